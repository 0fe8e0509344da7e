package io.promokit.runtime.docker;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The host side of sharing files between the host process and containers running as another user,
 * in the manner of Kubernetes' {@code fsGroup}:
 *
 * <ul>
 *   <li>The <em>shared group</em> is the group of the workdir. Before a container starts,
 *       {@link #share(Path, int)} gives every entry of the tree that group and group permissions equal to
 *       (at least) its owner's: a file the host made with mode 0600 becomes 0660, a 0700 folder 0770. The
 *       container runs with the shared group (as its primary group or an added one), so it can read and
 *       write what the host made. A root host does this for every entry; another host only for its own
 *       (it may not change the others).
 *   <li>A container makes files owned by its own uid, often with modes the host user may not write
 *       (0644) or read (0600). A root host is not bound by modes, so nothing more is needed. For another
 *       host, {@link #foreignEntries(Path)} lists what the container left owned by someone else, and
 *       {@link OwnershipHandBack} has the daemon give those entries back to the host user.
 * </ul>
 *
 * Symbolic links are never followed and never changed. Entries that vanish during a walk are skipped.
 */
final class SharedFiles {

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final int OWNER_BITS = 0700;

  private final int hostUid;

  SharedFiles(int hostUid) {
    this.hostUid = hostUid;
  }

  /** The uid this process runs as (the owner of {@code /proc/self}, or of a file it makes). */
  static int currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      try {
        Path probe = Files.createTempFile("promokit-uid-", ".probe");
        try {
          return (Integer) Files.getAttribute(probe, "unix:uid", NOFOLLOW);
        } finally {
          Files.deleteIfExists(probe);
        }
      } catch (IOException probeFailure) {
        throw new IllegalStateException("cannot tell which uid this process runs as", probeFailure);
      }
    }
  }

  int hostUid() {
    return hostUid;
  }

  /** Whether files containers make must be handed back to the host user through the daemon. */
  boolean needsHandBack() {
    return hostUid != 0;
  }

  /** The group of a directory: the shared group when it is a workdir. */
  static int groupOf(Path directory) throws IOException {
    return (Integer) Files.getAttribute(directory, "unix:gid", NOFOLLOW);
  }

  /**
   * Gives every entry of the tree (that this process may change) the shared group, and group
   * permissions at least equal to its owner's.
   *
   * @throws IOException when an entry this process owns cannot be changed
   */
  void share(Path root, int group) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        makeShared(dir, group);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (!attrs.isSymbolicLink()) {
          makeShared(file, group);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException || (e instanceof AccessDeniedException && hostUid != 0)) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
  }

  private void makeShared(Path path, int group) throws IOException {
    Map<String, Object> attributes;
    try {
      attributes = Files.readAttributes(path, "unix:uid,gid,mode", NOFOLLOW);
    } catch (NoSuchFileException e) {
      return;
    }
    int uid = (Integer) attributes.get("uid");
    if (hostUid != 0 && uid != hostUid) {
      return;
    }
    try {
      if ((Integer) attributes.get("gid") != group) {
        Files.setAttribute(path, "unix:gid", group, NOFOLLOW);
      }
      int mode = (Integer) attributes.get("mode") & 07777;
      int shared = mode | ((mode & OWNER_BITS) >> 3);
      if (shared != mode) {
        // Follows links, but the walk only gets here for folders and regular files.
        Files.setAttribute(path, "unix:mode", shared);
      }
    } catch (NoSuchFileException e) {
      // Deleted meanwhile: nothing to share.
    } catch (IOException e) {
      throw new IOException("cannot share " + path + " with the container (group " + group
          + ", group permissions as the owner's): " + e.getMessage(), e);
    }
  }

  /**
   * The entries of the tree owned by another user than the host's, outermost first: a foreign folder
   * is listed without what it holds. Symbolic links are left out (their owner does not matter).
   */
  List<Path> foreignEntries(Path root) throws IOException {
    List<Path> foreign = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!dir.equals(root) && isForeign(dir)) {
          foreign.add(dir);
          return FileVisitResult.SKIP_SUBTREE;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (!attrs.isSymbolicLink() && isForeign(file)) {
          foreign.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        if (e instanceof AccessDeniedException) {
          // A folder we may not read: whoever owns it, the daemon can hand it back whole.
          foreign.add(file);
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    return foreign;
  }

  private boolean isForeign(Path path) throws IOException {
    try {
      return (Integer) Files.getAttribute(path, "unix:uid", NOFOLLOW) != hostUid;
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
