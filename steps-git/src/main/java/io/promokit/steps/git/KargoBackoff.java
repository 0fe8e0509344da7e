package io.promokit.steps.git;

import io.promokit.BackoffPolicy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delay between {@code git-push} attempts after a non-fast-forward rejection, as Kargo's
 * {@code wait.Backoff{Duration: 1s, Factor: 1.5, Jitter: 0.5, Cap: 30s}}: 1 s, 1.5 s, 2.25 s, ... (capped
 * at 30 s), each plus up to half of itself at random.
 */
final class KargoBackoff implements BackoffPolicy {

  private static final double INITIAL_MILLIS = 1_000;
  private static final double FACTOR = 1.5;
  private static final double JITTER = 0.5;
  private static final double CAP_MILLIS = 30_000;

  @Override
  public Duration delay(int count) {
    double base = Math.min(CAP_MILLIS, INITIAL_MILLIS * Math.pow(FACTOR, Math.max(0, count - 1)));
    double jittered = base + ThreadLocalRandom.current().nextDouble() * JITTER * base;
    return Duration.ofMillis(Math.round(jittered));
  }
}
