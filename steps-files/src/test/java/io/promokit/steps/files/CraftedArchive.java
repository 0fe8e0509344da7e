package io.promokit.steps.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes tar archives entry by entry, including the hostile ones GNU tar will not make on request (names
 * climbing out, links to absolute paths, devices), to test untar's safety rules.
 */
final class CraftedArchive implements AutoCloseable {

  private final OutputStream file;
  private final GZIPOutputStream gzip;
  private final TarArchiveOutputStream tar;

  private CraftedArchive(Path path, boolean gzip) throws IOException {
    this.file = Files.newOutputStream(path);
    this.gzip = gzip ? new GZIPOutputStream(file) : null;
    this.tar = new TarArchiveOutputStream(gzip ? this.gzip : file, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  static CraftedArchive create(Path path) throws IOException {
    return new CraftedArchive(path, false);
  }

  static CraftedArchive gzipped(Path path) throws IOException {
    return new CraftedArchive(path, true);
  }

  CraftedArchive file(String name, String content) throws IOException {
    return file(name, content, 0644);
  }

  CraftedArchive file(String name, String content, int mode) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(bytes.length);
    entry.setMode(mode);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
    return this;
  }

  /** A file whose header claims {@code size} bytes, filled with zeros (compresses to almost nothing). */
  CraftedArchive zeros(String name, long size) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(size);
    tar.putArchiveEntry(entry);
    byte[] block = new byte[64 * 1024];
    for (long left = size; left > 0; left -= block.length) {
      tar.write(block, 0, (int) Math.min(block.length, left));
    }
    tar.closeArchiveEntry();
    return this;
  }

  CraftedArchive directory(String name) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
    entry.setMode(040755);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
    return this;
  }

  CraftedArchive symlink(String name, String target) throws IOException {
    return link(name, target, TarConstants.LF_SYMLINK);
  }

  CraftedArchive hardLink(String name, String target) throws IOException {
    return link(name, target, TarConstants.LF_LINK);
  }

  CraftedArchive special(String name, byte type) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
    return this;
  }

  private CraftedArchive link(String name, String target, byte type) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
    entry.setLinkName(target);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
    return this;
  }

  @Override
  public void close() throws IOException {
    tar.finish();
    tar.flush();
    if (gzip != null) {
      gzip.finish();
    }
    file.close();
  }
}
