package io.promokit.steps;

import io.promokit.GoDuration;
import io.promokit.StepContext;
import io.promokit.StepResult;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code sleep} [ours]: waits for {@code duration} on the step's thread. It wakes at once when the thread is
 * interrupted (the engine's timeout and abort do that) and checks {@link StepContext#isCancelled()} at least
 * every {@link #CHECK_EVERY}, so it also stops when cancelled without an interrupt.
 */
final class SleepStep extends BuiltinStep {

  static final Duration CHECK_EVERY = Duration.ofMillis(100);

  record Config(String duration) {}

  SleepStep() {
    super("sleep");
  }

  @Override
  StepResult run(StepContext context) throws InterruptedException {
    Duration duration = Durations.parse(context.config(Config.class).duration(), "config.duration", false);
    Instant end = Instant.now().plus(duration);
    context.log().info("sleeping for " + GoDuration.format(duration));
    while (true) {
      if (context.isCancelled()) {
        throw new InterruptedException("sleep cancelled");
      }
      Duration left = Duration.between(Instant.now(), end);
      if (left.isNegative() || left.isZero()) {
        return StepResult.succeeded();
      }
      Thread.sleep(Math.max(1, Math.min(left.toMillis(), CHECK_EVERY.toMillis())));
    }
  }
}
