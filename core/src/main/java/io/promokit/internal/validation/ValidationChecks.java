package io.promokit.internal.validation;

import java.util.List;

/** The checks {@link io.promokit.validation.PromotionValidator} runs, in order. Add new rules here. */
public final class ValidationChecks {
  private ValidationChecks() {}

  public static List<ValidationCheck> standard() {
    return List.of(
        new EmptyPlanCheck(),
        new UnknownStepCheck(),
        new ConditionCheck(),
        new ExpressionSyntaxCheck(),
        new StatusFunctionCheck(),
        new OutputReferenceCheck(),
        new VarReferenceCheck(),
        new ContextReferenceCheck(),
        new ConfigSchemaCheck(),
        new ContainerStepCheck());
  }
}
