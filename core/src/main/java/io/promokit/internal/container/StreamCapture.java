package io.promokit.internal.container;

import io.promokit.spi.CapturedFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first {@link OutputCapture#READ_CAP} bytes of a stream's lines (joined with {@code \n}) for a
 * Stdout or Stderr output source, and counts the rest without keeping it.
 */
final class StreamCapture {

  private final int cap;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private long size;
  private long lines;

  StreamCapture(int cap) {
    this.cap = cap;
  }

  synchronized void add(String line) {
    byte[] bytes = (lines++ > 0 ? "\n" + line : line).getBytes(StandardCharsets.UTF_8);
    long room = (long) cap - kept.size();
    if (room > 0) {
      kept.write(bytes, 0, (int) Math.min(room, bytes.length));
    }
    size += bytes.length;
  }

  synchronized CapturedFile captured() {
    byte[] content = kept.toByteArray();
    return new CapturedFile(content, Math.max(size, content.length));
  }
}
