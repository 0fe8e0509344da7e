package io.promokit.testkit;

import io.promokit.event.LogStream;
import io.promokit.spi.LogSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LogSink} that keeps every line it receives, per stream and in arrival order, and lets a test
 * wait until a given line has arrived. The pieces of a long line ({@link LogSink#partialLine}) are kept
 * as they came in {@link #stdout()}, {@link #stderr()} and {@link #all()}, and joined in
 * {@link #wholeStdoutLines()}. Thread-safe.
 */
public final class LogCollector implements LogSink {

  private final List<String> stdout = new ArrayList<>();
  private final List<String> stderr = new ArrayList<>();
  private final List<String> all = new ArrayList<>();
  private final List<String> wholeStdout = new ArrayList<>();
  private final StringBuilder stdoutLineSoFar = new StringBuilder();

  @Override
  public synchronized void line(LogStream stream, String text) {
    keep(stream, text, false);
  }

  @Override
  public synchronized void partialLine(LogStream stream, String text) {
    keep(stream, text, true);
  }

  private void keep(LogStream stream, String text, boolean partial) {
    if (stream == LogStream.STDOUT) {
      stdoutLineSoFar.append(text);
      if (!partial) {
        wholeStdout.add(stdoutLineSoFar.toString());
        stdoutLineSoFar.setLength(0);
      }
    }
    if (stream == LogStream.STDERR) {
      stderr.add(text);
    } else {
      stdout.add(text);
    }
    all.add(stream + ": " + text);
    notifyAll();
  }

  /** The stdout lines so far. */
  public synchronized List<String> stdout() {
    return List.copyOf(stdout);
  }

  /** The stdout lines so far, the pieces of a long line joined into the line (a line still in pieces is left out). */
  public synchronized List<String> wholeStdoutLines() {
    return List.copyOf(wholeStdout);
  }

  /** The stderr lines so far. */
  public synchronized List<String> stderr() {
    return List.copyOf(stderr);
  }

  /** Every line so far as {@code STREAM: text}, in arrival order. */
  public synchronized List<String> all() {
    return List.copyOf(all);
  }

  /**
   * Waits until the stream has received a line equal to {@code text}.
   *
   * @throws AssertionError when it has not arrived within {@code timeout}, listing what did arrive
   */
  public synchronized void awaitLine(LogStream stream, String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> lines = stream == LogStream.STDERR ? stderr : stdout;
    while (!lines.contains(text)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("line \"" + text + "\" did not arrive on " + stream + " within " + timeout
            + "; received: " + all);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
