package io.promokit.spi;

import io.promokit.event.LogStream;

/**
 * Receives a container's output, one line at a time, as it comes. Lines are delivered in order per
 * stream, without the line terminator; a line longer than the runtime's limit arrives in pieces. Called
 * from the runtime's threads, never concurrently for one container.
 */
@FunctionalInterface
public interface LogSink {
  void line(LogStream stream, String text);
}
