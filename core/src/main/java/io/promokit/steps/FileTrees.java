package io.promokit.steps;

import io.promokit.StepContext;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Recursive file operations that never follow symlinks and stop when the step is cancelled. */
final class FileTrees {

  private FileTrees() {}

  /** Deletes a file, a symlink (the link itself) or a directory with everything in it. */
  static void delete(Path path, StepContext context) throws IOException, InterruptedException {
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(path);
      return;
    }
    try {
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          checkCancelled(context);
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (CancelledIo e) {
      throw new InterruptedException("cancelled while deleting " + path);
    }
  }

  /** Throws (inside a file visitor) when the step was cancelled or its thread interrupted. */
  static void checkCancelled(StepContext context) {
    if (context.isCancelled() || Thread.currentThread().isInterrupted()) {
      throw new CancelledIo();
    }
  }

  /** Carries a cancellation out of a {@link java.nio.file.FileVisitor}. */
  static final class CancelledIo extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CancelledIo() {
      super("cancelled", null, false, false);
    }
  }
}
