package io.promokit.internal.validation;

import java.util.List;

/** The checks {@link io.promokit.PromotionValidator} runs, in order. Add new rules here. */
public final class ValidationChecks {
  private ValidationChecks() {}

  public static List<ValidationCheck> standard() {
    return List.of(
        new UnknownStepCheck(),
        new ConditionCheck(),
        new ExpressionSyntaxCheck(),
        new StatusFunctionCheck(),
        new OutputReferenceCheck(),
        new VarReferenceCheck(),
        new ConfigSchemaCheck(),
        new ContainerStepCheck());
  }
}
