package io.promokit.internal.validation;

import io.promokit.documents.PlannedStep;
import io.promokit.documents.Problem;
import io.promokit.internal.DefaultStepRegistry;
import java.util.function.Consumer;

/** Every {@code uses} names a registered step; a miss suggests the closest names. */
final class UnknownStepCheck implements ValidationCheck {

  @Override
  public void check(ValidationInput input, Consumer<Problem> problems) {
    for (PlannedStep step : input.plan().steps()) {
      if (input.registry().find(step.uses()).isEmpty()) {
        problems.accept(Problem.error(step.locationOf("uses"), step.alias(), "uses",
            DefaultStepRegistry.unknownStepMessage(input.registry(), step.uses())));
      }
    }
  }
}
