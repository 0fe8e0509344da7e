package io.promokit.spi;

import io.promokit.event.LogStream;

/**
 * Receives a container's output, one line at a time, as it comes. Lines are delivered in order per
 * stream, without the line terminator. Called from the runtime's threads, never concurrently for one
 * container.
 *
 * <p>A line longer than the runtime's limit arrives in pieces: every piece but the last through
 * {@link #partialLine}, the last one through {@link #line}. A sink that masks secrets or rebuilds the
 * output needs this to know that the next call for the stream continues the same line.
 */
@FunctionalInterface
public interface LogSink {

  /** Receives a whole line, or the last piece of a line whose earlier pieces came through {@link #partialLine}. */
  void line(LogStream stream, String text);

  /**
   * Receives a piece of a long line: the next call for this stream continues the same line. The default
   * hands the piece to {@link #line}, so a sink that does not care sees each piece as a line of its own.
   */
  default void partialLine(LogStream stream, String text) {
    line(stream, text);
  }
}
