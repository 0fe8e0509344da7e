package io.promokit.runtime.k8s;

import io.promokit.event.LogStream;
import io.promokit.spi.LogSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands lines to the request's sink one at a time (the log follower and the watch threads both write),
 * repeats no informational line twice in a row, and drops everything once the handle is closed.
 */
final class SerializedLogSink implements LogSink {
  private static final Logger LOG = LoggerFactory.getLogger(SerializedLogSink.class);

  private final LogSink target;
  private String lastInfo;
  private boolean closed;

  SerializedLogSink(LogSink target) {
    this.target = target;
  }

  @Override
  public synchronized void line(LogStream stream, String text) {
    deliver(stream, text, false);
  }

  @Override
  public synchronized void partialLine(LogStream stream, String text) {
    deliver(stream, text, true);
  }

  private void deliver(LogStream stream, String text, boolean partial) {
    if (closed) {
      return;
    }
    if (stream == LogStream.INFO) {
      if (text.equals(lastInfo)) {
        return;
      }
      lastInfo = text;
    }
    try {
      if (partial) {
        target.partialLine(stream, text);
      } else {
        target.line(stream, text);
      }
    } catch (RuntimeException e) {
      LOG.warn("a log sink failed on a line; the line is lost", e);
    }
  }

  synchronized void close() {
    closed = true;
  }
}
