package io.promokit.runtime.docker;

import io.promokit.event.LogStream;
import io.promokit.spi.LogSink;
import java.nio.charset.StandardCharsets;

/**
 * Cuts one output stream of a container into lines, as its bytes arrive, and hands each line (without
 * {@code \n} or {@code \r\n}) to a {@link LogSink}. Holds at most {@link #MAX_LINE_BYTES} of a line: a
 * longer line is delivered in pieces, cut before a UTF-8 character that would not fit, so that a command
 * printing gigabytes without a newline never fills the heap; every piece but the last goes to
 * {@link LogSink#partialLine}. Not thread-safe: one splitter per stream,
 * fed by one thread.
 */
final class LineSplitter {

  /** The longest piece of a line delivered at once. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  private final LogStream stream;
  private final LogSink sink;
  private final byte[] line = new byte[MAX_LINE_BYTES];
  private int length;

  LineSplitter(LogStream stream, LogSink sink) {
    this.stream = stream;
    this.sink = sink;
  }

  /** Takes the next {@code count} bytes of the stream. */
  void accept(byte[] bytes, int offset, int count) {
    int end = offset + count;
    int start = offset;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i - start);
        int cut = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        deliver(cut);
        length = 0;
        start = i + 1;
      }
    }
    append(bytes, start, end - start);
  }

  /** Delivers what is left of a last line without a newline. */
  void finish() {
    if (length > 0) {
      deliver(length);
      length = 0;
    }
  }

  private void append(byte[] bytes, int from, int count) {
    while (count > 0) {
      if (length == line.length) {
        deliverPiece();
      }
      int n = Math.min(count, line.length - length);
      System.arraycopy(bytes, from, line, length, n);
      length += n;
      from += n;
      count -= n;
    }
  }

  /** Delivers a full buffer up to the last whole UTF-8 character and keeps the rest for the next piece. */
  private void deliverPiece() {
    int cut = completeCharacters(line, length);
    sink.partialLine(stream, new String(line, 0, cut, StandardCharsets.UTF_8));
    System.arraycopy(line, cut, line, 0, length - cut);
    length -= cut;
  }

  /** How many leading bytes of {@code bytes[0..length)} end on a character boundary (at least one byte). */
  static int completeCharacters(byte[] bytes, int length) {
    int lead = length - 1;
    int continuation = 0;
    while (lead >= 0 && continuation < 3 && (bytes[lead] & 0xC0) == 0x80) {
      lead--;
      continuation++;
    }
    if (lead < 0) {
      return length;
    }
    int b = bytes[lead] & 0xFF;
    int expected = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
    if (expected > continuation && lead > 0) {
      return lead;
    }
    return length;
  }

  private void deliver(int bytes) {
    sink.line(stream, new String(line, 0, bytes, StandardCharsets.UTF_8));
  }
}
