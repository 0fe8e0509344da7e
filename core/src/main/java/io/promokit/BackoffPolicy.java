package io.promokit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the engine waits before trying a step again after a retryable error, or before polling a step
 * that returned {@code Running} without a delay of its own. The default backs off exponentially with
 * jitter: about 1 s, then 2 s, 4 s, ... capped at 5 minutes (SEMANTICS.md section 3).
 */
@FunctionalInterface
public interface BackoffPolicy {

  /**
   * The delay before the next attempt.
   *
   * @param count how many errors in a row (or polls in a row) there have been so far, at least 1
   */
  Duration delay(int count);

  /** Exponential backoff with jitter: initial 1 s, factor 2, cap 5 min, randomization ±50 %. */
  static BackoffPolicy defaultPolicy() {
    return exponential(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0.5);
  }

  /**
   * Exponential backoff with jitter: the {@code count}-th delay is {@code initial * multiplier^(count - 1)},
   * capped at {@code max}, then moved at random by up to {@code randomization} of itself (and capped again).
   *
   * @param initial the first delay
   * @param multiplier growth per attempt (at least 1)
   * @param max the largest delay
   * @param randomization jitter as a fraction of the delay, in [0, 1)
   */
  static BackoffPolicy exponential(Duration initial, double multiplier, Duration max, double randomization) {
    Objects.requireNonNull(initial, "initial must not be null");
    Objects.requireNonNull(max, "max must not be null");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial must be positive, but was " + initial);
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be at least 1, but was " + multiplier);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max must not be below initial (" + initial + "), but was " + max);
    }
    if (randomization < 0 || randomization >= 1) {
      throw new IllegalArgumentException("randomization must be in [0, 1), but was " + randomization);
    }
    // Computed here rather than with resilience4j's IntervalFunction: it is the only part of resilience4j
    // core would use, and core's runtime classpath stays small (issue 12).
    long initialMillis = initial.toMillis();
    long maxMillis = max.toMillis();
    return count -> {
      double exponential = initialMillis * Math.pow(multiplier, Math.max(1, count) - 1);
      double capped = Math.min(exponential, maxMillis);
      double jittered = randomization == 0
          ? capped
          : capped * (1 - randomization + 2 * randomization * ThreadLocalRandom.current().nextDouble());
      return Duration.ofMillis(Math.min(Math.round(jittered), maxMillis));
    };
  }

  /** The same delay every time (useful in tests and for fixed polling). */
  static BackoffPolicy fixed(Duration delay) {
    Objects.requireNonNull(delay, "delay must not be null");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, but was " + delay);
    }
    return count -> delay;
  }
}
