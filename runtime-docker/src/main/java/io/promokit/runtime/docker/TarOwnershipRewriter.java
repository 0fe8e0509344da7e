package io.promokit.runtime.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a tar stream (ustar, PAX or GNU, as the Docker daemon writes it) and gives it back with every
 * entry owned by one uid and gid: the numeric owner fields are replaced, the owner names cleared, and the
 * {@code uid}, {@code gid}, {@code uname} and {@code gname} records of PAX headers dropped. Content passes
 * through unchanged, one block at a time, so memory does not grow with the archive.
 *
 * <p>The runtime sends the result back into the container with the daemon's archive API: the daemon
 * (root) extracts it with the owner the headers name, which hands files a container made back to a
 * non-root host user.
 */
final class TarOwnershipRewriter extends InputStream {

  static final int BLOCK = 512;
  private static final int UID = 108;
  private static final int GID = 116;
  private static final int SIZE = 124;
  private static final int CHECKSUM = 148;
  private static final int TYPE = 156;
  private static final int UNAME = 265;
  private static final int GNAME = 297;
  private static final int NAME_FIELD = 32;
  /** PAX headers are small; a larger one is not a tar the daemon wrote. */
  private static final int MAX_PAX_BYTES = 1 << 20;

  private final InputStream in;
  private final int uid;
  private final int gid;
  private byte[] out = new byte[0];
  private int outPos;
  private long contentLeft;
  private boolean ended;
  private final byte[] chunk = new byte[64 * BLOCK];

  TarOwnershipRewriter(InputStream in, int uid, int gid) {
    this.in = in;
    this.uid = uid;
    this.gid = gid;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (outPos == out.length) {
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, out.length - outPos);
    System.arraycopy(out, outPos, b, off, n);
    outPos += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Produces the next piece of output; false at the end of the input. */
  private boolean fill() throws IOException {
    if (contentLeft > 0 || ended) {
      int want = ended ? chunk.length : (int) Math.min(contentLeft, chunk.length);
      int n = in.read(chunk, 0, want);
      if (n < 0) {
        if (contentLeft > 0) {
          throw new EOFException("tar stream ended inside an entry's content");
        }
        return false;
      }
      if (!ended) {
        contentLeft -= n;
      }
      emit(Arrays.copyOf(chunk, n));
      return true;
    }
    byte[] header = new byte[BLOCK];
    int n = in.readNBytes(header, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("tar stream ended inside a header");
    }
    if (isZero(header)) {
      // End of archive: pass the rest (the second zero block and padding) through as it is.
      ended = true;
      emit(header);
      return true;
    }
    long size = parseNumber(header, SIZE, 12);
    byte type = header[TYPE];
    if (type == 'x' || type == 'g') {
      emit(rewritePax(header, size));
    } else {
      setOwner(header);
      emit(header);
      contentLeft = padded(size);
    }
    return true;
  }

  private byte[] rewritePax(byte[] header, long size) throws IOException {
    if (size > MAX_PAX_BYTES) {
      throw new IOException("PAX header of " + size + " bytes is larger than " + MAX_PAX_BYTES);
    }
    byte[] data = in.readNBytes((int) padded(size));
    if (data.length < padded(size)) {
      throw new EOFException("tar stream ended inside a PAX header");
    }
    byte[] records = filterPaxRecords(Arrays.copyOf(data, (int) size));
    writeNumber(header, SIZE, 12, records.length);
    setOwner(header);
    byte[] result = new byte[BLOCK + (int) padded(records.length)];
    System.arraycopy(header, 0, result, 0, BLOCK);
    System.arraycopy(records, 0, result, BLOCK, records.length);
    return result;
  }

  /** PAX records ({@code "<length> <key>=<value>\n"}) without the owner ones. */
  static byte[] filterPaxRecords(byte[] data) throws IOException {
    java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream(data.length);
    int pos = 0;
    while (pos < data.length) {
      int space = pos;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int length;
      try {
        length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("malformed PAX record at byte " + pos);
      }
      if (length <= 0 || pos + length > data.length) {
        throw new IOException("malformed PAX record length " + length + " at byte " + pos);
      }
      int equals = space + 1;
      while (equals < pos + length && data[equals] != '=') {
        equals++;
      }
      String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
      if (!key.equals("uid") && !key.equals("gid") && !key.equals("uname") && !key.equals("gname")) {
        kept.write(data, pos, length);
      }
      pos += length;
    }
    return kept.toByteArray();
  }

  private void setOwner(byte[] header) {
    writeNumber(header, UID, 8, uid);
    writeNumber(header, GID, 8, gid);
    Arrays.fill(header, UNAME, UNAME + NAME_FIELD, (byte) 0);
    Arrays.fill(header, GNAME, GNAME + NAME_FIELD, (byte) 0);
    writeChecksum(header);
  }

  private void emit(byte[] bytes) {
    out = bytes;
    outPos = 0;
  }

  static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** A numeric field: octal text, or base-256 when the first byte has its high bit set (GNU). */
  static long parseNumber(byte[] header, int offset, int length) throws IOException {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7F;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (header[offset + i] & 0xFF);
      }
      return value;
    }
    long value = 0;
    boolean digits = false;
    for (int i = offset; i < offset + length; i++) {
      byte b = header[i];
      if (b == 0 || (b == ' ' && digits)) {
        break;
      }
      if (b == ' ') {
        continue;
      }
      if (b < '0' || b > '7') {
        throw new IOException("malformed number in tar header at offset " + offset);
      }
      value = value * 8 + (b - '0');
      digits = true;
    }
    return value;
  }

  /** Writes octal digits and a NUL when they fit, else base-256. */
  static void writeNumber(byte[] header, int offset, int length, long value) {
    String octal = Long.toOctalString(value);
    if (octal.length() <= length - 1) {
      String padded = "0".repeat(length - 1 - octal.length()) + octal;
      byte[] text = padded.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(text, 0, header, offset, text.length);
      header[offset + length - 1] = 0;
      return;
    }
    for (int i = length - 1; i >= 1; i--) {
      header[offset + i] = (byte) (value & 0xFF);
      value >>>= 8;
    }
    header[offset] = (byte) 0x80;
  }

  private static void writeChecksum(byte[] header) {
    Arrays.fill(header, CHECKSUM, CHECKSUM + 8, (byte) ' ');
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xFF;
    }
    String octal = String.format("%06o", sum);
    byte[] text = octal.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, header, CHECKSUM, 6);
    header[CHECKSUM + 6] = 0;
    header[CHECKSUM + 7] = ' ';
  }
}
