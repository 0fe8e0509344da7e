package io.promokit.steps.kit;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removing directory trees: the engine's workdirs and scratch folders, a step's temporary folders, what a
 * runtime made for an attempt.
 */
public final class DirectoryTrees {
  private DirectoryTrees() {}

  /**
   * Deletes a directory tree without following symlinks, making read-only directories writable first (a
   * step may have left them so); a tree that is already gone is fine. A symlink is removed itself.
   *
   * @param root the folder (or file) to delete
   * @throws IOException when something in the tree cannot be deleted; what was deleted before stays deleted
   */
  public static void delete(Path root) throws IOException {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          dir.toFile().setWritable(true, true);
          dir.toFile().setExecutable(true, true);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      // already gone
    }
  }
}
