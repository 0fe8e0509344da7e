package io.promokit.validation;

import io.promokit.PromotionException;
import java.util.Objects;

/** A template, its tasks or its step definitions have errors; the report lists every one of them. */
public class ValidationException extends PromotionException {
  private static final long serialVersionUID = 1L;

  private final transient ValidationReport report;

  public ValidationException(ValidationReport report) {
    super(Objects.requireNonNull(report, "report must not be null").describeErrors());
    this.report = report;
  }

  public ValidationReport report() {
    return report;
  }
}
