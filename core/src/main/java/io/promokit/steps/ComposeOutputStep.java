package io.promokit.steps;

import io.promokit.StepContext;
import io.promokit.StepResult;

/**
 * {@code compose-output}: the config becomes the step's outputs. Merging into the task alias's outputs (inside
 * a task) is the engine's part.
 */
final class ComposeOutputStep extends BuiltinStep {

  ComposeOutputStep() {
    super("compose-output");
  }

  @Override
  StepResult run(StepContext context) {
    return StepResult.succeeded(context.config());
  }
}
