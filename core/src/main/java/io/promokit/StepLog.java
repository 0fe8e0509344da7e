package io.promokit;

import io.promokit.event.LogStream;

/**
 * Where a step writes log lines. Lines reach the promotion's listeners (in order, secrets masked) and
 * the CLI's progress output, prefixed with the step's alias. A container's line longer than the runtime's
 * piece size (64 KiB) reaches them as several consecutive lines, masked as one.
 */
@FunctionalInterface
public interface StepLog {

  /** Writes one line to the given stream. */
  void line(LogStream stream, String text);

  /** Writes an informational line. */
  default void info(String text) {
    line(LogStream.INFO, text);
  }
}
