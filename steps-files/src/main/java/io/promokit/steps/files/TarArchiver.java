package io.promokit.steps.files;

import io.promokit.steps.kit.IgnorePatterns;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a directory tree (or one file) as a tar stream, as Kargo's tar step does: entry names relative to the
 * input with {@code /}, directories with a trailing {@code /}, the input directory itself left out, a single
 * file named by its base name; symlinks stored as links with their targets (never followed); modes, times and
 * owners from the files. Ignored directories are pruned. Special files (FIFOs, sockets, devices) are skipped
 * and logged (<b>[ours]</b>: Kargo stores FIFOs and devices). The sizes of the regular files are bounded by
 * the {@link ArchiveLimits}, checked before their bytes are read.
 */
final class TarArchiver {

  /** The input broke a limit; nothing is written. */
  static final class LimitException extends Exception {
    private static final long serialVersionUID = 1L;

    LimitException(String message) {
      super(message);
    }
  }

  /** What was archived. */
  record Summary(int entries, long bytes) {}

  private final IgnorePatterns ignore;
  private final ArchiveLimits limits;
  private final Consumer<String> log;
  private final BooleanSupplier cancelled;

  TarArchiver(IgnorePatterns ignore, ArchiveLimits limits, Consumer<String> log, BooleanSupplier cancelled) {
    this.ignore = ignore;
    this.limits = limits;
    this.log = log;
    this.cancelled = cancelled;
  }

  /** Archives {@code input} into {@code out} (gzipped when asked); does not close {@code out}. */
  Summary write(Path input, OutputStream out, boolean gzip) throws IOException, LimitException, InterruptedException {
    GZIPOutputStream zipped = gzip ? new GZIPOutputStream(out, 64 * 1024) : null;
    OutputStream stream = new BufferedOutputStream(zipped == null ? out : zipped, 64 * 1024);
    TarArchiveOutputStream tar = new TarArchiveOutputStream(stream, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    Walk walk = new Walk(input, tar);
    try {
      if (Files.isDirectory(input, LinkOption.NOFOLLOW_LINKS)) {
        Files.walkFileTree(input, walk);
      } else {
        walk.add(input, input.getFileName().toString(),
            Files.readAttributes(input, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
      }
    } catch (WalkAbort abort) {
      if (abort.getCause() instanceof LimitException limit) {
        throw limit;
      }
      throw (InterruptedException) abort.getCause();
    }
    tar.finish();
    stream.flush();
    if (zipped != null) {
      zipped.finish();
    }
    out.flush();
    return new Summary(walk.entries, walk.bytes);
  }

  /** Carries a limit breach or a cancellation out of the file visitor. */
  private static final class WalkAbort extends IOException {
    private static final long serialVersionUID = 1L;

    WalkAbort(Exception cause) {
      super(cause);
    }
  }

  private final class Walk extends SimpleFileVisitor<Path> {
    private final Path input;
    private final TarArchiveOutputStream tar;
    int entries;
    long bytes;

    Walk(Path input, TarArchiveOutputStream tar) {
      this.input = input;
      this.tar = tar;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
      if (dir.equals(input)) {
        return FileVisitResult.CONTINUE;
      }
      String name = relative(dir);
      if (ignore.matches(name, true)) {
        return FileVisitResult.SKIP_SUBTREE;
      }
      add(dir, name + "/", attributes);
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
      String name = relative(file);
      if (!ignore.matches(name, attributes.isDirectory())) {
        add(file, name, attributes);
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
      throw new IOException("cannot read " + relative(file) + ": " + e.getMessage(), e);
    }

    private String relative(Path path) {
      return input.relativize(path).toString().replace(java.io.File.separatorChar, '/');
    }

    void add(Path path, String name, BasicFileAttributes attributes) throws IOException {
      if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
        throw new WalkAbort(new InterruptedException("archiving cancelled"));
      }
      if (attributes.isOther()) {
        log.accept("skipped " + name + ": not a regular file, directory or symlink");
        return;
      }
      if (++entries > limits.maxEntries()) {
        throw new WalkAbort(new LimitException("the input has more than " + limits.maxEntries() + " entries"));
      }
      if (attributes.isRegularFile()) {
        checkSize(name, attributes.size());
      }
      TarArchiveEntry entry = header(path, name, attributes);
      tar.putArchiveEntry(entry);
      if (attributes.isRegularFile()) {
        Files.copy(path, tar);
      }
      tar.closeArchiveEntry();
    }

    /**
     * The entry's header from the file's own attributes, as Go's {@code tar.FileInfoHeader} makes it: type, mode,
     * size, modification time, owner and group (ids and names). Nothing else (no PAX extras such as a creation
     * time, which GNU tar warns about).
     */
    private TarArchiveEntry header(Path path, String name, BasicFileAttributes attributes) throws IOException {
      Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid,owner,group", LinkOption.NOFOLLOW_LINKS);
      int permissions = ((Integer) unix.get("mode")) & 07777;
      TarArchiveEntry entry;
      if (attributes.isSymbolicLink()) {
        entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(Files.readSymbolicLink(path).toString().replace(java.io.File.separatorChar, '/'));
        entry.setMode(0120000 | permissions);
      } else if (attributes.isDirectory()) {
        entry = new TarArchiveEntry(name);
        entry.setMode(040000 | permissions);
      } else {
        entry = new TarArchiveEntry(name);
        entry.setMode(0100000 | permissions);
        entry.setSize(attributes.size());
      }
      entry.setModTime(attributes.lastModifiedTime());
      entry.setUserId(((Number) unix.get("uid")).longValue());
      entry.setGroupId(((Number) unix.get("gid")).longValue());
      entry.setUserName(((java.nio.file.attribute.UserPrincipal) unix.get("owner")).getName());
      entry.setGroupName(((java.nio.file.attribute.GroupPrincipal) unix.get("group")).getName());
      return entry;
    }

    private void checkSize(String name, long size) throws WalkAbort {
      if (size > limits.maxFileBytes()) {
        throw new WalkAbort(new LimitException("file \"" + name + "\" size (" + size
            + " bytes) exceeds the maximum allowed single file size (" + limits.maxFileBytes() + " bytes)"));
      }
      bytes += size;
      if (bytes > limits.maxTotalBytes()) {
        throw new WalkAbort(new LimitException("total tar archive source size exceeds the maximum allowed size ("
            + limits.maxTotalBytes() + " bytes)"));
      }
    }
  }
}
