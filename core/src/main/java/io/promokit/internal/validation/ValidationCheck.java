package io.promokit.internal.validation;

import io.promokit.documents.Problem;
import java.util.function.Consumer;

/**
 * One rule of offline validation. A check reports every problem it finds (errors and warnings) and never
 * throws for a problem of the template; checks are independent and run in the order of
 * {@link ValidationChecks#standard()}.
 */
@FunctionalInterface
public interface ValidationCheck {

  /** Reports the problems of {@code input} to {@code problems}. */
  void check(ValidationInput input, Consumer<Problem> problems);
}
