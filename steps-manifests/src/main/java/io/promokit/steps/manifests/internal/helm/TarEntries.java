package io.promokit.steps.manifests.internal.helm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the regular files of a tar stream (ustar, with GNU long names and pax {@code path} records), as
 * Helm packages charts. Charts are small; the files are kept in memory.
 */
final class TarEntries {

  private static final long LIMIT = 256L * 1024 * 1024;

  private TarEntries() {}

  static Map<String, byte[]> read(InputStream in) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    byte[] header = new byte[512];
    String longName = null;
    long total = 0;
    while (readFully(in, header)) {
      if (isZero(header)) {
        break;
      }
      String name = text(header, 0, 100);
      String prefix = text(header, 345, 155);
      long size = Long.parseLong(text(header, 124, 12).trim().isEmpty() ? "0" : text(header, 124, 12).trim(), 8);
      total += size;
      if (total > LIMIT) {
        throw new IOException("the chart archive is larger than " + LIMIT + " bytes unpacked");
      }
      char type = (char) header[156];
      byte[] data = in.readNBytes((int) size);
      long padding = (512 - size % 512) % 512;
      in.skipNBytes(padding);
      if (type == 'L') {
        longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
        continue;
      }
      if (type == 'x') {
        longName = paxPath(new String(data, StandardCharsets.UTF_8));
        continue;
      }
      String path = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
      longName = null;
      if (type == '0' || type == '\0') {
        files.put(path.startsWith("./") ? path.substring(2) : path, data);
      }
    }
    return files;
  }

  private static String paxPath(String records) {
    for (String record : records.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }

  private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
    int read = in.readNBytes(buffer, 0, buffer.length);
    return read == buffer.length;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }
}
