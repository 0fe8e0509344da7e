package io.promokit.validation;

import io.promokit.documents.Problem;
import java.util.ArrayList;
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
    List<Problem> errors = new ArrayList<>();
    List<Problem> warnings = new ArrayList<>();
    for (Problem p : problems) { // a loop, not streams: every validation ends here, and a cold start counts
      (p.severity() == Problem.Severity.ERROR ? errors : warnings).add(p);
    }
    return new ValidationReport(errors, warnings);
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
