package io.promokit.internal.engine;

import io.promokit.spi.ContainerSelector;
import io.promokit.spi.Leftover;
import io.promokit.spi.LeftoverSource;
import io.promokit.steps.kit.DirectoryTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list of working directories engines made and will delete: {@code <ledger>/<engine id>/<folder name>}, a
 * file holding the folder's absolute path, written when the folder is made (or a resumed promotion takes it
 * over) and deleted once the folder is gone or handed to a record (a waiting promotion). What a crashed engine
 * leaves in it is what {@code reap} deletes; folders the host named ({@code workdir(...)}) or kept are never
 * listed.
 */
public final class WorkdirLedger implements LeftoverSource {
  private static final Logger LOG = LoggerFactory.getLogger(WorkdirLedger.class);
  static final String KIND = "workdir";

  private final Path root;

  private WorkdirLedger(Path root) {
    this.root = root.toAbsolutePath();
  }

  /** The ledger in {@code root}. */
  public static WorkdirLedger at(Path root) {
    return new WorkdirLedger(Objects.requireNonNull(root, "root must not be null"));
  }

  /** The default ledger: {@code <java.io.tmpdir>/promokit-workdirs}. */
  public static Path defaultRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"), "promokit-workdirs");
  }

  /** Lists a working directory the engine will delete; a failure is logged (the promotion still runs). */
  void add(String engineId, Path workdir) {
    Path entry = entry(engineId, workdir);
    try {
      Files.createDirectories(entry.getParent());
      Files.writeString(entry, workdir.toAbsolutePath().toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.warn("could not list the working directory {} in {}: a crash would leave it for good", workdir, root, e);
    }
  }

  /** Takes a working directory off the list (it is gone, or a record holds it now). */
  void remove(String engineId, Path workdir) {
    Path entry = entry(engineId, workdir);
    try {
      Files.deleteIfExists(entry);
      deleteIfEmpty(entry.getParent());
    } catch (IOException e) {
      LOG.warn("could not remove {} from the list of working directories", entry, e);
    }
  }

  private Path entry(String engineId, Path workdir) {
    return root.resolve(engineId).resolve(workdir.getFileName().toString());
  }

  @Override
  public List<Leftover> find(ContainerSelector selector) {
    List<Leftover> found = new ArrayList<>();
    for (Path engineDir : children(root)) {
      String engineId = engineDir.getFileName().toString();
      if (selector.engineId().isPresent() && !selector.engineId().get().equals(engineId)) {
        continue;
      }
      for (Path entry : children(engineDir)) {
        try {
          Leftover leftover = new Leftover(KIND, Files.readString(entry, StandardCharsets.UTF_8).trim(), engineId,
              Files.getLastModifiedTime(entry).toInstant());
          if (leftover.matches(selector)) {
            found.add(leftover);
          }
        } catch (IOException e) {
          LOG.debug("skipping {}: {}", entry, e.toString());
        }
      }
    }
    return found;
  }

  @Override
  public boolean remove(Leftover leftover) {
    Path workdir = Path.of(leftover.name());
    boolean existed = Files.exists(workdir);
    try {
      DirectoryTrees.delete(workdir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the working directory " + workdir, e);
    }
    remove(leftover.engineId(), workdir);
    return existed;
  }

  private static List<Path> children(Path dir) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(found::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return found;
  }

  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException notEmpty) {
      // other working directories of the engine are listed
    }
  }

  @Override
  public String toString() {
    return "WorkdirLedger[" + root + "]";
  }
}
