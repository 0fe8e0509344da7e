package io.promokit.steps.manifests.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a step's output files whole: a reader never sees half a file, a failed write leaves no temp file. */
public final class OutputFiles {

  private OutputFiles() {}

  /** Writes {@code data} to {@code target} through a temporary file next to it, creating parent folders. */
  public static void write(Path target, byte[] data) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.write(temp, data);
      try {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
