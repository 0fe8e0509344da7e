package io.promokit.documents;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A step's {@code retry} block.
 *
 * @param errorThreshold consecutive errors that make the step Errored; 0 means "use the step's default"
 * @param timeout time allowed from the step's first start across all attempts; null means "use the
 *     step's default"; {@link Duration#ZERO} means "no timeout"
 */
public record RetrySpec(int errorThreshold, @Nullable Duration timeout) {

  /** Nothing set: the step's defaults apply. */
  public static final RetrySpec DEFAULTS = new RetrySpec(0, null);

  public RetrySpec {
    if (errorThreshold < 0) {
      throw new IllegalArgumentException("errorThreshold must not be negative, but was " + errorThreshold);
    }
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, but was " + timeout);
    }
  }
}
