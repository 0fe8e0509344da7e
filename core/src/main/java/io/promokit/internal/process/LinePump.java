package io.promokit.internal.process;

import io.promokit.event.LogStream;
import io.promokit.spi.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads one output stream of a process and delivers it line by line, as it comes, without the line
 * terminator ({@code \n} or {@code \r\n}). Holds at most one line (and at most {@link #MAX_LINE_BYTES} of
 * it) in memory: a longer line is delivered in pieces, cut at a character boundary, so that a command
 * printing gigabytes never fills the heap. Every piece but the last goes to {@link LogSink#partialLine}.
 */
public final class LinePump implements Runnable {

  /** The longest piece of a line delivered at once. */
  public static final int MAX_LINE_BYTES = 64 * 1024;

  private final InputStream in;
  private final LogStream stream;
  private final LogSink sink;
  private final byte[] line = new byte[MAX_LINE_BYTES];
  private int length;

  public LinePump(InputStream in, LogStream stream, LogSink sink) {
    this.in = in;
    this.stream = stream;
    this.sink = sink;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[64 * 1024];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        accept(buffer, n);
      }
    } catch (IOException e) {
      // The stream was closed under us (the process is being cleaned up): deliver what we have.
    }
    if (length > 0) {
      deliver(length);
    }
  }

  private void accept(byte[] buffer, int n) {
    for (int i = 0; i < n; i++) {
      byte b = buffer[i];
      if (b == '\n') {
        deliver(length > 0 && line[length - 1] == '\r' ? length - 1 : length);
        length = 0;
      } else {
        if (length == line.length) {
          deliverPiece();
        }
        line[length++] = b;
      }
    }
  }

  /** Delivers a full buffer up to the last complete UTF-8 character and keeps the rest. */
  private void deliverPiece() {
    int cut = length;
    // Step back over continuation bytes (10xxxxxx) and the lead byte of a character that may be cut.
    int back = 0;
    while (back < 3 && cut - back - 1 >= 0 && (line[cut - back - 1] & 0xC0) == 0x80) {
      back++;
    }
    if (cut - back - 1 >= 0 && (line[cut - back - 1] & 0xC0) == 0xC0) {
      int lead = line[cut - back - 1] & 0xFF;
      int needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
      if (back < needed) {
        cut = cut - back - 1;
      }
    }
    if (cut == 0) {
      cut = length;
    }
    sink.partialLine(stream, new String(line, 0, cut, StandardCharsets.UTF_8));
    System.arraycopy(line, cut, line, 0, length - cut);
    length -= cut;
  }

  private void deliver(int bytes) {
    sink.line(stream, new String(line, 0, bytes, StandardCharsets.UTF_8));
  }
}
