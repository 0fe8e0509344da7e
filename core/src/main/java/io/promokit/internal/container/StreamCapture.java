package io.promokit.internal.container;

import io.promokit.spi.CapturedFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first {@link OutputCapture#READ_CAP} bytes of a stream's lines (joined with {@code \n}; the
 * pieces of a long line joined as they were) for a Stdout or Stderr output source, and counts the rest
 * without keeping it.
 */
final class StreamCapture {

  private final int cap;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private long size;
  private boolean lineEnded;

  StreamCapture(int cap) {
    this.cap = cap;
  }

  /** Adds a whole line (or the last piece of one). */
  synchronized void add(String line) {
    add(line, false);
  }

  /** Adds a line, or with {@code partial} a piece of a long line that the next call continues. */
  synchronized void add(String text, boolean partial) {
    byte[] bytes = (lineEnded ? "\n" + text : text).getBytes(StandardCharsets.UTF_8);
    lineEnded = !partial;
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
