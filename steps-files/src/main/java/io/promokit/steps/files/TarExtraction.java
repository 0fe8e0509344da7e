package io.promokit.steps.files;

import io.promokit.StepException;
import io.promokit.steps.kit.IgnorePatterns;
import io.promokit.steps.kit.WorkdirPaths.Access;
import io.promokit.steps.kit.WorkdirPaths;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Extracts a tar (or gzipped tar, detected by its first bytes {@code 1F 8B}) into a new, empty directory that
 * nothing else writes to, under the archive safety rules:
 * <ul>
 *   <li>entry names pass {@link EntryNames} (no absolute names, no {@code ..}, no backslash or NUL);</li>
 *   <li>only regular files, directories and symlinks are created; hard links, devices, FIFOs and other types are
 *       skipped and logged;</li>
 *   <li>a symlink is created only when its target, followed from where the link is (through the links already
 *       there), stays inside the directory; absolute targets are skipped; every link is checked again at the end,
 *       so a later entry cannot turn an earlier link into a way out;</li>
 *   <li>nothing is written through a symlink that leads out, and an existing file or link is replaced, never
 *       written through;</li>
 *   <li>file modes are masked to {@code 0777} (no setuid, setgid or sticky bit), directories are {@code 0750},
 *       modification times are kept;</li>
 *   <li>the {@link ArchiveLimits}: file size and total size (from the headers, every regular entry counting,
 *       extracted or not), entry count, and the uncompressed stream's size.</li>
 * </ul>
 */
final class TarExtraction {

  private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-x---");
  private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_ATTRIBUTE =
      PosixFilePermissions.asFileAttribute(DIRECTORY_MODE);
  private static final int BUFFER_BYTES = 64 * 1024;
  private static final int TAR_BLOCK = 512;

  /** What an extraction did. */
  record Summary(int files, int directories, int symlinks, int ignored, int skipped) {}

  /** The archive broke a rule that ends the extraction (a limit, a malformed archive). */
  static final class ExtractionException extends Exception {
    private static final long serialVersionUID = 1L;

    ExtractionException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Path root;
  private final int stripComponents;
  private final IgnorePatterns ignore;
  private final ArchiveLimits limits;
  private final Consumer<String> log;
  private final BooleanSupplier cancelled;

  private final Set<String> symlinks = new HashSet<>();
  private final List<String> symlinksInOrder = new ArrayList<>();
  private final Set<Path> madeDirectories = new HashSet<>();
  /** Files and links this extraction created (the directory is new and ours alone: nothing else is in it). */
  private final Set<Path> created = new HashSet<>();
  private Set<PosixFilePermission> umask;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int files;
  private int directories;
  private int ignored;
  private int skipped;
  private long totalBytes;

  /**
   * @param root the new, empty directory to extract into (a real path)
   * @param log where skipped entries are reported, one line each
   * @param cancelled polled between entries; when true, extraction stops with an {@link InterruptedException}
   */
  TarExtraction(Path root, int stripComponents, IgnorePatterns ignore, ArchiveLimits limits, Consumer<String> log,
      BooleanSupplier cancelled) {
    this.root = root;
    this.stripComponents = stripComponents;
    this.ignore = ignore;
    this.limits = limits;
    this.log = log;
    this.cancelled = cancelled;
    madeDirectories.add(root);
  }

  /** Extracts the archive file into the root. */
  Summary extract(Path archive) throws IOException, ExtractionException, InterruptedException {
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), BUFFER_BYTES)) {
      InputStream uncompressed = isGzip(file) ? new GZIPInputStream(file, BUFFER_BYTES) : file;
      BoundedInputStream bounded = new BoundedInputStream(uncompressed, limits.maxStreamBytes(),
          "the uncompressed archive");
      try (TarArchiveInputStream tar = new TarArchiveInputStream(bounded, "UTF-8")) {
        int entries = 0;
        TarArchiveEntry entry;
        while ((entry = nextEntry(tar)) != null) {
          if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("extraction cancelled");
          }
          if (++entries > limits.maxEntries()) {
            throw new ExtractionException("extraction aborted: the archive has more than " + limits.maxEntries()
                + " entries", null);
          }
          extract(tar, entry);
        }
        if (entries == 0 && bounded.count() < TAR_BLOCK) {
          // a tar holds at least one 512-byte block; commons-compress reads a shorter stream as an empty archive
          throw new ExtractionException("error reading tar: unexpected EOF (" + bounded.count()
              + " bytes are too few for a tar archive)", null);
        }
      } catch (BoundedInputStream.LimitExceeded e) {
        throw new ExtractionException("extraction aborted: " + e.getMessage(), e);
      }
    }
    recheckSymlinks();
    return new Summary(files, directories, symlinksInOrder.size(), ignored, skipped);
  }

  private static boolean isGzip(InputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == 0x1f && second == 0x8b;
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException, ExtractionException {
    try {
      return tar.getNextEntry();
    } catch (BoundedInputStream.LimitExceeded e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      throw new ExtractionException("error reading tar: " + e.getMessage(), e);
    }
  }

  private void extract(TarArchiveInputStream tar, TarArchiveEntry entry)
      throws IOException, ExtractionException {
    // commons-compress calls every entry that is not a directory a "file"; only '0' (and old '\0') are
    boolean regular = entry.getLinkFlag() == TarConstants.LF_NORMAL || entry.getLinkFlag() == TarConstants.LF_OLDNORM;
    if (regular) {
      checkSize(entry);
    }
    EntryNames.Checked name = EntryNames.check(entry.getName(), stripComponents);
    if (name.isSkipped()) {
      if (!name.expected()) {   // the root itself, or a leading directory stripComponents removes: nothing to say
        skip(entry.getName(), name.skipReason());
      }
      return;
    }
    String path = name.path();
    if (ignore.isIgnored(path, entry.isDirectory())) {
      ignored++;
      return;
    }
    if (entry.isDirectory()) {
      directory(path);
    } else if (entry.isSymbolicLink()) {
      symlink(entry, path);
    } else if (regular) {
      regularFile(tar, entry, path);
    } else {
      skip(entry.getName(), "is " + typeOf(entry) + ", which untar does not create");
    }
  }

  private void checkSize(TarArchiveEntry entry) throws ExtractionException {
    long size = entry.getSize();
    if (size > limits.maxFileBytes()) {
      throw new ExtractionException("extraction aborted: file " + entry.getName() + " exceeds size limit of "
          + limits.maxFileBytes() + " bytes", null);
    }
    totalBytes += size;
    if (totalBytes > limits.maxTotalBytes()) {
      throw new ExtractionException("extraction aborted: total size would exceed limit of " + limits.maxTotalBytes()
          + " bytes", null);
    }
  }

  private void directory(String path) throws IOException {
    Path target = target(path);
    if (target == null) {
      return;
    }
    if (madeDirectories.contains(target) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!clearPlace(path, target)) {
      return;
    }
    makeDirectories(target);
    directories++;
  }

  private void symlink(TarArchiveEntry entry, String path) throws IOException {
    String linkTarget = entry.getLinkName();
    if (linkTarget.isEmpty() || linkTarget.startsWith("/") || linkTarget.indexOf('\\') >= 0
        || linkTarget.indexOf('\0') >= 0) {
      skip(entry.getName(), "is a symlink to \"" + linkTarget + "\", "
          + (linkTarget.startsWith("/") ? "an absolute path" : "which is not a usable relative path"));
      return;
    }
    int slash = path.lastIndexOf('/');
    String fromRoot = (slash < 0 ? "" : path.substring(0, slash + 1)) + linkTarget;
    try {
      WorkdirPaths.resolve(root, fromRoot, Access.READ, null);
    } catch (WorkdirPaths.RejectedPathException e) {
      skip(entry.getName(), "is a symlink to \"" + linkTarget + "\", which leads out of the extraction directory");
      return;
    }
    Path target = target(path);
    if (target == null || !clearPlace(path, target)) {
      return;
    }
    makeDirectories(target.getParent());
    Files.createSymbolicLink(target, Path.of(linkTarget));
    created.add(target);
    symlinks.add(path);
    symlinksInOrder.add(path);
  }

  private void regularFile(TarArchiveInputStream tar, TarArchiveEntry entry, String path) throws IOException {
    Path target = target(path);
    if (target == null || !clearPlace(path, target)) {
      return;
    }
    makeDirectories(target.getParent());
    long size = entry.getSize();
    Set<PosixFilePermission> mode = permissions(entry.getMode());
    try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(target,
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(mode)))) {
      long left = size;
      while (left > 0) {
        int n = tar.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("the archive ends inside " + entry.getName());
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    created.add(target);
    if (!Collections.disjoint(mode, umask())) {
      Files.setPosixFilePermissions(target, mode);   // the process umask took bits away at creation
    }
    // both times at once, as Go's Chtimes does (setting only one makes the JDK read the other first)
    FileTime modified = FileTime.from(entry.getLastModifiedTime().toInstant());
    Files.getFileAttributeView(target, BasicFileAttributeView.class).setTimes(modified, modified, null);
    files++;
  }

  /**
   * Where the entry goes: directly under the root when no symlink was extracted on its way (the directory is
   * ours alone, so nothing else can be there), else resolved link by link, and null (skipped) when a link on
   * the way leads out.
   */
  private Path target(String path) {
    int slash = path.lastIndexOf('/');
    if (!passesThroughSymlink(path, slash)) {
      return root.resolve(path);
    }
    try {
      Path parent = slash < 0 ? root : WorkdirPaths.resolve(root, path.substring(0, slash), Access.READ, null);
      return parent.resolve(path.substring(slash + 1));
    } catch (WorkdirPaths.RejectedPathException e) {
      skip(path, "would be written through a symlink that leads out of the extraction directory");
      return null;
    }
  }

  private boolean passesThroughSymlink(String path, int lastSlash) {
    if (symlinks.isEmpty()) {
      return false;
    }
    for (int slash = path.indexOf('/'); slash > 0 && slash <= lastSlash; slash = path.indexOf('/', slash + 1)) {
      if (symlinks.contains(path.substring(0, slash))) {
        return true;
      }
    }
    return false;
  }

  /** Removes a file or link already at the target (never following it); false when a directory is there. */
  private boolean clearPlace(String path, Path target) throws IOException {
    if (!madeDirectories.contains(target) && !created.contains(target) && !passesThroughSymlink(path, path.length())) {
      return true;   // a place this extraction never wrote to, reached without a link: nothing is there
    }
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      skip(path, "would replace the directory extracted before it");
      return false;
    }
    if (Files.deleteIfExists(target)) {
      created.remove(target);
      symlinks.remove(path);
      symlinksInOrder.remove(path);
    }
    return true;
  }

  private void makeDirectories(Path directory) throws IOException {
    if (directory == null || madeDirectories.contains(directory)) {
      return;
    }
    makeDirectories(directory.getParent());
    try {
      Files.createDirectory(directory, DIRECTORY_ATTRIBUTE);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(directory)) {
        throw new IOException("cannot create the directory " + root.relativize(directory)
            + ": a file of that name was extracted before", e);
      }
    }
    madeDirectories.add(directory);
  }

  /** Links checked again now that every entry is there; one that leads out after all is removed. */
  private void recheckSymlinks() throws IOException {
    for (String path : List.copyOf(symlinksInOrder)) {
      try {
        WorkdirPaths.resolve(root, path, Access.READ, null);
      } catch (WorkdirPaths.RejectedPathException e) {
        Files.deleteIfExists(root.resolve(path));
        symlinksInOrder.remove(path);
        skip(path, "is a symlink that leads out of the extraction directory through links extracted after it");
      } catch (StepException e) {
        throw new IOException("cannot check the symlink " + path + ": " + e.getMessage(), e);
      }
    }
  }

  private void skip(String name, String reason) {
    skipped++;
    log.accept("skipped archive entry \"" + name + "\": " + reason);
  }

  /** The bits the process umask removes from new files, found once with a probe file. */
  private Set<PosixFilePermission> umask() throws IOException {
    if (umask == null) {
      Path probe = Files.createTempFile(root, ".umask", "",
          PosixFilePermissions.asFileAttribute(EnumSet.allOf(PosixFilePermission.class)));
      try {
        Set<PosixFilePermission> removed = EnumSet.allOf(PosixFilePermission.class);
        removed.removeAll(Files.getPosixFilePermissions(probe));
        umask = removed;
      } finally {
        Files.delete(probe);
      }
    }
    return umask;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private static String typeOf(TarArchiveEntry entry) {
    if (entry.isLink()) {
      return "a hard link";
    }
    if (entry.isCharacterDevice()) {
      return "a character device";
    }
    if (entry.isBlockDevice()) {
      return "a block device";
    }
    if (entry.isFIFO()) {
      return "a FIFO";
    }
    return "an entry of type '" + (char) entry.getLinkFlag() + "'";
  }
}
