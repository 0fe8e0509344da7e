package io.promokit.steps.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file written in full before it appears: the bytes go to a temporary file ({@code 0600}) next to the target,
 * which {@link #commit} renames over it atomically; {@link #close} removes the temporary file if it was not
 * committed, so a failed or cancelled write leaves nothing behind. For content that is streamed (archives,
 * downloads) rather than held in memory, which the step kit's {@code AtomicFiles} needs.
 */
final class PendingFile implements AutoCloseable {

  private final Path target;
  private final Path temp;
  private boolean committed;

  private PendingFile(Path target, Path temp) {
    this.target = target;
    this.temp = temp;
  }

  /** A temporary file next to {@code target} (whose directory must exist). */
  static PendingFile next(Path target) throws IOException {
    Path temp = Files.createTempFile(target.getParent(), target.getFileName() + ".tmp",
        "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return new PendingFile(target, temp);
  }

  /** Where to write the content. */
  Path path() {
    return temp;
  }

  /**
   * Puts the written file in place of the target.
   *
   * @param replace whether an existing target may be replaced (else {@link java.nio.file.FileAlreadyExistsException})
   */
  void commit(boolean replace) throws IOException {
    if (replace) {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } else {
      // link() fails when the target exists, and is atomic: no window where another writer is overwritten
      Files.createLink(target, temp);
      Files.delete(temp);
    }
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      Files.deleteIfExists(temp);
    }
  }
}
