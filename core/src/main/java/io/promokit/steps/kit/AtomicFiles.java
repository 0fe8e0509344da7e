package io.promokit.steps.kit;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Writes a file so that readers see either the old or the new contents, never half of it, and nothing is left
 * behind on failure: the bytes go to a temporary file next to the target, which is then renamed over it.
 *
 * <p>Part of the step kit: resolve the target with {@link WorkdirPaths} ({@link WorkdirPaths.Access#WRITE})
 * first, then write it here. Missing parent directories are created.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /**
   * Writes {@code data} to {@code target}.
   *
   * @param permissions the mode to give the file, or null to keep the target's own (or the default for a new
   *     file)
   * @param replace whether an existing file may be replaced
   * @throws FileAlreadyExistsException when the target exists and {@code replace} is false
   * @throws IOException when the file cannot be written; the target is then as it was
   */
  public static void write(Path target, byte[] data, Set<PosixFilePermission> permissions, boolean replace)
      throws IOException {
    try {
      write(target, file -> Files.write(file, data), permissions, replace);
    } catch (InterruptedException e) {
      // Files.write is not interruptible this way; keep the interrupt for the caller.
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while writing " + target);
    }
  }

  /**
   * Writes what {@code content} streams into the temporary file to {@code target}, for content too large to
   * hold in memory (a download, an archive). The temporary file ({@code 0600}) is next to the target; when
   * {@code content} throws, or the step is cancelled, it is removed and the target is as it was.
   *
   * @param permissions the mode to give the file, or null to keep the target's own (or {@code 0600} for a new
   *     file)
   * @param replace whether an existing file may be replaced
   * @throws FileAlreadyExistsException when the target exists and {@code replace} is false
   */
  public static void write(Path target, StreamedContent content, Set<PosixFilePermission> permissions,
      boolean replace) throws IOException, InterruptedException {
    Path directory = target.getParent();
    Files.createDirectories(directory);
    Set<PosixFilePermission> mode = permissions;
    if (mode == null && Files.exists(target) && supportsPosix(target)) {
      mode = Files.getPosixFilePermissions(target);
    }
    Path temp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".promokit-tmp");
    boolean moved = false;
    try {
      content.writeTo(temp);
      if (mode != null && supportsPosix(temp)) {
        Files.setPosixFilePermissions(temp, mode);
      }
      if (replace) {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(temp, target);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Content written into a temporary file by {@link #write(Path, StreamedContent, Set, boolean)}. */
  @FunctionalInterface
  public interface StreamedContent {
    /** Writes the whole content into {@code file} (which exists, empty). */
    void writeTo(Path file) throws IOException, InterruptedException;
  }

  /** Writes UTF-8 text to {@code target}, replacing it, keeping an existing file's mode. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), null, true);
  }

  private static boolean supportsPosix(Path path) {
    return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
  }
}
