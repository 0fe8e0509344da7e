package io.promokit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Says in words what a file that is not a regular file is ("is a named pipe", "is a folder"), for the
 * errors of steps that read only regular files: opening a named pipe or a device would block, maybe
 * forever, or read without end.
 */
public final class FileKind {

  // The file-type bits of st_mode (S_IFMT) and their values, as in Linux's and macOS's <sys/stat.h>.
  private static final int TYPE_MASK = 0170000;
  private static final int NAMED_PIPE = 0010000;
  private static final int CHARACTER_DEVICE = 0020000;
  private static final int BLOCK_DEVICE = 0060000;
  private static final int SOCKET = 0140000;

  private FileKind() {}

  /**
   * What {@code file} is, as a phrase that follows its name: {@code "is a folder"}, {@code "is a named pipe"},
   * {@code "is a symbolic link"}, {@code "is a socket"}, {@code "is a device"}, or {@code "is a special file"}
   * when the platform does not tell; {@code "is a regular file"} for a regular file.
   *
   * @param attributes its attributes, read without following links
   */
  public static String describe(Path file, BasicFileAttributes attributes) {
    if (attributes.isRegularFile()) {
      return "is a regular file";
    }
    if (attributes.isDirectory()) {
      return "is a folder";
    }
    if (attributes.isSymbolicLink()) {
      return "is a symbolic link";
    }
    Integer mode = unixMode(file);
    if (mode == null) {
      return "is a special file";
    }
    return switch (mode & TYPE_MASK) {
      case NAMED_PIPE -> "is a named pipe";
      case SOCKET -> "is a socket";
      case CHARACTER_DEVICE, BLOCK_DEVICE -> "is a device";
      default -> "is a special file";
    };
  }

  private static Integer unixMode(Path file) {
    try {
      return (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException | ClassCastException e) {
      return null;
    }
  }
}
