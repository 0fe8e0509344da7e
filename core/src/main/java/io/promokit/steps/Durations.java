package io.promokit.steps;

import io.promokit.GoDuration;
import io.promokit.steps.kit.InvalidConfigException;
import java.time.Duration;

/** Reads the Go durations of step configs, with messages that name the field. */
final class Durations {

  private Durations() {}

  /**
   * Parses {@code text} (Go syntax).
   *
   * @param mustBePositive whether zero is refused too (negative always is)
   * @throws InvalidConfigException naming {@code field} when the text is not a usable duration
   */
  static Duration parse(String text, String field, boolean mustBePositive) {
    Duration duration;
    try {
      duration = GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(field + ": " + e.getMessage());
    }
    if (duration.isNegative() || (mustBePositive && duration.isZero())) {
      throw new InvalidConfigException(field + ": must be " + (mustBePositive ? "positive" : "zero or more")
          + ", but was \"" + text + "\"");
    }
    return duration;
  }
}
