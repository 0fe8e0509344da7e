package io.promokit.internal.validation;

import io.promokit.documents.Problem;
import java.util.function.Consumer;

/** A template without steps promotes nothing (Kargo requires at least one step); worth a warning. */
final class EmptyPlanCheck implements ValidationCheck {

  @Override
  public void check(ValidationInput input, Consumer<Problem> problems) {
    if (input.template().steps().isEmpty()) {
      problems.accept(Problem.warning(input.template().location(), null, "steps",
          "the template has no steps, so a promotion does nothing"));
    }
  }
}
