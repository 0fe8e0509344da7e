package io.promokit.runtime;

import io.promokit.steps.kit.DirectoryTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-attempt scratch directory of a local process, outside the workdir: the {@code KARGO_OUTPUT}
 * file and the {@code PROMOKIT_FILES} directory. Its name, {@code <engine>__<container name>__<random>},
 * is also the mark the process's environment carries, so a restarted host can find both by engine id.
 */
final class Scratch {

  /** Env var naming the engine that started a process. */
  static final String ENGINE_MARK = "PROMOKIT_ENGINE";
  /** Env var naming the scratch directory (and so the "container") a process belongs to. */
  static final String CONTAINER_MARK = "PROMOKIT_CONTAINER_ID";

  private static final String SEPARATOR = "__";

  private final Path dir;

  private Scratch(Path dir) {
    this.dir = dir;
  }

  static Scratch create(Path root, String engine, String containerName) throws IOException {
    Files.createDirectories(root);
    String id = engine + SEPARATOR + containerName + SEPARATOR + UUID.randomUUID().toString().substring(0, 8);
    Path dir = Files.createDirectory(root.resolve(id));
    Scratch scratch = new Scratch(dir);
    Files.createFile(scratch.outputFile());
    Files.createDirectory(scratch.filesDir());
    return scratch;
  }

  /** Every scratch directory under the root (named as scratch directories are). */
  static List<Path> all(Path root) throws IOException {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try (var entries = Files.list(root)) {
      entries.filter(p -> engineOf(p.getFileName().toString()).isPresent()).forEach(found::add);
    }
    return found;
  }

  /** The engine part of a scratch directory's name: everything before the last two separators. */
  static Optional<String> engineOf(String id) {
    int last = id.lastIndexOf(SEPARATOR);
    if (last <= 0) {
      return Optional.empty();
    }
    int before = id.lastIndexOf(SEPARATOR, last - 1);
    return before <= 0 ? Optional.empty() : Optional.of(id.substring(0, before));
  }

  /** An engine id as it can appear in a file name: other characters than letters, digits, {@code .-} become {@code -}. */
  static String safe(String engine) {
    String s = engine.replaceAll("[^A-Za-z0-9.-]", "-");
    return s.isEmpty() ? "none" : s;
  }

  String id() {
    return dir.getFileName().toString();
  }

  Path outputFile() {
    return dir.resolve("output");
  }

  Path filesDir() {
    return dir.resolve("files");
  }

  void delete() {
    deleteTree(dir);
  }

  /** Deletes a directory tree, making read-only parts writable first; a missing tree is fine. */
  static void deleteTree(Path root) {
    try {
      DirectoryTrees.delete(root);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(Scratch.class).warn("could not delete {}", root, e);
    }
  }
}
