package io.promokit.documents;

import java.util.List;
import java.util.Objects;

/**
 * A promotion template: global vars and steps, read from a bare template, a Kargo {@code Stage}
 * (its {@code spec.vars} first, then its template's vars) or built in code.
 *
 * @param name a name for messages (the Stage's name, or the file name)
 * @param vars global vars in order
 * @param steps the steps as written (task steps not yet inflated)
 * @param location where the template starts
 */
public record PromotionTemplate(String name, List<VarSpec> vars, List<StepSpec> steps, SourceLocation location) {
  public PromotionTemplate {
    Objects.requireNonNull(name, "name must not be null");
    vars = vars == null ? List.of() : List.copyOf(vars);
    steps = steps == null ? List.of() : List.copyOf(steps);
    Objects.requireNonNull(location, "location must not be null");
  }

  /** A template built in code. */
  public static PromotionTemplate of(String name, List<VarSpec> vars, List<StepSpec> steps) {
    return new PromotionTemplate(name, vars, steps, SourceLocation.IN_CODE);
  }
}
