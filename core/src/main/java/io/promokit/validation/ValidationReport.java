package io.promokit.validation;

import io.promokit.documents.Problem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything {@link PromotionValidator} found, errors and warnings kept apart.
 *
 * @param errors problems that stop the promotion from running
 * @param warnings problems worth a look that do not stop it
 */
public record ValidationReport(List<Problem> errors, List<Problem> warnings) {

  public ValidationReport {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** A report of the given problems, split by severity, in the given order. */
  public static ValidationReport of(List<Problem> problems) {
    return new ValidationReport(
        problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList(),
        problems.stream().filter(p -> p.severity() == Problem.Severity.WARNING).toList());
  }

  /** Whether there are no errors (warnings allowed). */
  public boolean isValid() {
    return errors.isEmpty();
  }

  /** The errors, one per line. */
  public String describeErrors() {
    if (errors.isEmpty()) {
      return "no errors";
    }
    return errors.size() + (errors.size() == 1 ? " error" : " errors") + ":\n"
        + errors.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
