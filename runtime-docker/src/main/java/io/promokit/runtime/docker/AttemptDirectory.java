package io.promokit.runtime.docker;

import io.promokit.spi.CapturedFile;
import io.promokit.spi.ContainerFile;
import io.promokit.steps.kit.DirectoryTrees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host folder of one attempt, outside the workdir: {@code out/} holds the empty {@code KARGO_OUTPUT}
 * file (mounted read-write at {@link #OUTPUT_MOUNT}), {@code files/} the request's files (mounted
 * read-only at {@link #FILES_MOUNT}), {@code env/} the secret env values, one file each, which the
 * {@link SecretLauncher} reads and deletes when the container starts. All belong to the shared group with group permissions, so that
 * the container user (whose group it is) can use them while nobody else on the host can read them.
 *
 * <p>It lives at {@code <scratch>/<engine folder>/<container name>}: one folder per engine id, so
 * that {@link DockerContainerRuntime#reap(String)} finds what a crashed engine left even without its
 * containers.
 */
final class AttemptDirectory {

  /** Where the container sees the {@code out/} folder. */
  static final String OUTPUT_MOUNT = "/promokit/out";
  /** Where the container sees the {@code files/} folder ({@code PROMOKIT_FILES}). */
  static final String FILES_MOUNT = "/promokit/files";
  /** The {@code KARGO_OUTPUT} file's name. */
  static final String OUTPUT_FILE = "kargo-output";

  private static final Logger LOG = LoggerFactory.getLogger(AttemptDirectory.class);
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final Path root;

  private AttemptDirectory(Path root) {
    this.root = root;
  }

  /** Makes the folder, with an empty output file and the request's files. Nothing is left when it fails. */
  static AttemptDirectory create(Path scratch, String engineId, String containerName, int group,
      List<ContainerFile> files, List<String> secretValues) throws IOException {
    Path engineDir = engineDirectory(scratch, engineId);
    Path root = engineDir.resolve(containerName);
    for (int attempt = 1; ; attempt++) {
      Files.createDirectories(engineDir);
      try {
        Files.createDirectory(root);
        break;
      } catch (NoSuchFileException e) {
        // Another attempt of the engine deleted the (then empty) engine folder meanwhile: make it again.
        if (attempt == 3) {
          throw e;
        }
      }
    }
    AttemptDirectory directory = new AttemptDirectory(root);
    try {
      Files.setAttribute(root, "unix:mode", 0700);
      Path out = Files.createDirectory(root.resolve("out"));
      Path output = Files.createFile(out.resolve(OUTPUT_FILE));
      share(output, group, 0660);
      share(out, group, 0770);
      Path filesDir = Files.createDirectory(root.resolve("files"));
      for (ContainerFile file : files) {
        Path target = filesDir.resolve(file.name());
        Files.write(target, file.content());
        share(target, group, 0640);
      }
      share(filesDir, group, 0750);
      Path envDir = Files.createDirectory(root.resolve("env"));
      for (int i = 0; i < secretValues.size(); i++) {
        Path target = envDir.resolve(Integer.toString(i));
        // Made with its final mode: the value is never readable by others, not even for a moment.
        Files.createFile(target, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(target, secretValues.get(i), StandardCharsets.UTF_8);
        share(target, group, 0640);
      }
      // Group-writable: the launcher, in the shared group, deletes each file once it has read it.
      share(envDir, group, 0770);
      return directory;
    } catch (IOException | RuntimeException e) {
      directory.delete();
      throw e;
    }
  }

  /** An attempt folder made earlier (by this or a crashed host), to delete it. */
  static AttemptDirectory existing(Path root) {
    return new AttemptDirectory(root);
  }

  /** The folder holding the attempt folders of one engine. */
  static Path engineDirectory(Path scratch, String engineId) {
    String safe = engineId.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (safe.length() > 40) {
      safe = safe.substring(0, 40);
    }
    return scratch.resolve(safe.toLowerCase(Locale.ROOT) + "-" + shortHash(engineId));
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void share(Path path, int group, int mode) throws IOException {
    Files.setAttribute(path, "unix:gid", group, NOFOLLOW);
    Files.setAttribute(path, "unix:mode", mode);
  }

  Path root() {
    return root;
  }

  Path outputDirectory() {
    return root.resolve("out");
  }

  Path filesDirectory() {
    return root.resolve("files");
  }

  Path envDirectory() {
    return root.resolve("env");
  }

  /** Reads the output file, at most {@code maxBytes} of it; empty when the command deleted it. */
  CapturedFile readOutput(long maxBytes) throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative, but was " + maxBytes);
    }
    Path file = outputDirectory().resolve(OUTPUT_FILE);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return CapturedFile.EMPTY;
    }
    // The container controls this file: never follow a link it put there, nor block on a pipe.
    if (!attributes.isRegularFile()) {
      throw new IOException("KARGO_OUTPUT (" + file + ") is not a regular file: the command replaced it with "
          + (attributes.isSymbolicLink() ? "a symbolic link" : attributes.isDirectory() ? "a folder" : "a special file"));
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ, NOFOLLOW)) {
      long size = channel.size();
      int cap = (int) Math.min(Math.min(maxBytes, size), Integer.MAX_VALUE - 8);
      ByteBuffer buffer = ByteBuffer.allocate(cap);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // Read up to the cap.
      }
      byte[] content = Arrays.copyOf(buffer.array(), buffer.position());
      return new CapturedFile(content, Math.max(size, content.length));
    } catch (NoSuchFileException e) {
      return CapturedFile.EMPTY;
    }
  }

  /** Deletes the folder, and the engine folder when it is left empty. Never throws. */
  void delete() {
    deleteTree(root);
    try {
      Files.deleteIfExists(root.getParent());
    } catch (DirectoryNotEmptyException e) {
      // Other attempts of the engine are still running.
    } catch (IOException e) {
      LOG.debug("could not delete {}", root.getParent(), e);
    }
  }

  /** Deletes a tree without following links. Never throws; says in the log what it could not delete. */
  static void deleteTree(Path root) {
    try {
      DirectoryTrees.delete(root);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", root, e.toString());
    }
  }

}
