package io.promokit.expressions.internal;

import java.time.Duration;

/**
 * expr-lang's {@code duration()} and duration values over the one Go duration of promokit
 * ({@link io.promokit.expressions.GoDuration}): a bad duration is an expression error.
 */
final class GoDuration {
  private GoDuration() {}

  /** Parses {@code 1h30m}, {@code 1.5s}, {@code -300ms}, {@code 2us}; throws EvalError when invalid. */
  static Duration parse(String s) {
    try {
      return io.promokit.expressions.GoDuration.parse(s);
    } catch (io.promokit.expressions.GoDuration.InvalidDurationException e) {
      throw new EvalError("duration(): " + e.goMessage());
    }
  }

  /** Nanoseconds of a duration (saturating), as Go's JSON form of time.Duration. */
  static long nanos(Duration d) {
    return io.promokit.expressions.GoDuration.saturatedNanos(d);
  }

  /** Go's Duration.String(). */
  static String format(Duration d) {
    return io.promokit.expressions.GoDuration.format(d);
  }
}
