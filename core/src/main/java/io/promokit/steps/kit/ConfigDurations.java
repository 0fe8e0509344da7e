package io.promokit.steps.kit;

import io.promokit.expressions.GoDuration;
import java.time.Duration;

/**
 * Reads the Go durations of a step's config ({@code timeout: 5m}) with {@link GoDuration}, turning every bad
 * value (garbage, an unknown unit, a value beyond Go's range, a negative one) into an
 * {@link InvalidConfigException} that names the field, so the step ends {@code Failed}:
 * {@code invalid config: config.timeout: invalid duration "soon": expected a Go duration such as 90s, ...}.
 */
public final class ConfigDurations {

  private ConfigDurations() {}

  /**
   * A duration of zero or more.
   *
   * @param field the config path named in messages, such as {@code config.timeout}
   * @throws InvalidConfigException naming the field when the text is not a usable duration
   */
  public static Duration nonNegative(String text, String field) {
    return parse(text, field, false);
  }

  /**
   * A duration of more than zero.
   *
   * @throws InvalidConfigException naming the field when the text is not a positive duration
   */
  public static Duration positive(String text, String field) {
    return parse(text, field, true);
  }

  private static Duration parse(String text, String field, boolean mustBePositive) {
    if (text == null) {
      throw new InvalidConfigException(field + ": is required");
    }
    Duration duration;
    try {
      duration = GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(field + ": " + e.getMessage(), e);
    }
    if (duration.isNegative() || (mustBePositive && duration.isZero())) {
      throw new InvalidConfigException(field + ": must be " + (mustBePositive ? "positive" : "zero or more")
          + ", but was \"" + text + "\"");
    }
    return duration;
  }
}
