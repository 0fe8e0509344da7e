package io.promokit.steps;

import io.promokit.StepContext;
import io.promokit.StepResult;

/** {@code fail}: ends the step {@code Failed} with {@code step "<alias>": failed: <message>}. */
final class FailStep extends BuiltinStep {

  record Config(String message) {}

  FailStep() {
    super("fail");
  }

  @Override
  StepResult run(StepContext context) {
    Config config = context.config(Config.class);
    String prefix = "step \"" + context.alias() + "\": failed";
    boolean hasMessage = config.message() != null && !config.message().isBlank();
    return StepResult.failed(hasMessage ? prefix + ": " + config.message() : prefix);
  }
}
