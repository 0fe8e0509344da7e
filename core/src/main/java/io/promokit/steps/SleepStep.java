package io.promokit.steps;

import io.promokit.StepContext;
import io.promokit.StepResult;
import io.promokit.expressions.GoDuration;
import io.promokit.steps.kit.ConfigDurations;
import java.time.Duration;

/**
 * {@code sleep} [ours]: waits for {@code duration} on the engine's clock ({@link StepContext#sleep}). It wakes
 * at once when the attempt is cancelled (the engine's timeout and abort do that) or its thread interrupted. A
 * duration that is not a valid Go duration (garbage, beyond Go's range) or is negative is invalid config.
 */
final class SleepStep extends BuiltinStep {

  record Config(String duration) {}

  SleepStep() {
    super("sleep");
  }

  @Override
  StepResult run(StepContext context) throws InterruptedException {
    Duration duration = ConfigDurations.nonNegative(context.config(Config.class).duration(), "config.duration");
    context.log().info("sleeping for " + GoDuration.format(duration));
    context.sleep(duration);
    return StepResult.succeeded();
  }
}
