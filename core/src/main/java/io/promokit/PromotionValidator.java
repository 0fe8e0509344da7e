package io.promokit;

import io.promokit.expressions.ExpressionResolver;
import java.util.List;

/** Placeholder: offline validation is being implemented on the documents branch. */
public final class PromotionValidator {
  private PromotionValidator() {}

  public static ValidationReport validate(PromotionTemplate template, StepRegistry registry, TaskCatalog tasks,
      ExpressionResolver resolver) {
    return ValidationReport.of(List.of());
  }
}
