package io.promokit.runtime.k8s;

import io.promokit.event.LogStream;
import io.promokit.spi.LogSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Keeps every line a handle delivered, and lets a test wait for one. */
final class RecordingSink implements LogSink {
  record Line(LogStream stream, String text, boolean partial) {
    @Override
    public String toString() {
      return stream + ": " + text;
    }
  }

  private final List<Line> lines = new ArrayList<>();

  @Override
  public synchronized void line(LogStream stream, String text) {
    lines.add(new Line(stream, text, false));
    notifyAll();
  }

  @Override
  public synchronized void partialLine(LogStream stream, String text) {
    lines.add(new Line(stream, text, true));
    notifyAll();
  }

  synchronized List<Line> lines() {
    return List.copyOf(lines);
  }

  synchronized List<String> texts(LogStream stream) {
    return lines.stream().filter(l -> l.stream() == stream).map(Line::text).toList();
  }

  /** Waits until a line matches; fails with every line seen when none did within the limit. */
  synchronized Line await(Predicate<Line> match, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (true) {
      for (Line l : lines) {
        if (match.test(l)) {
          return l;
        }
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching line within " + limit + "; lines: " + lines);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
