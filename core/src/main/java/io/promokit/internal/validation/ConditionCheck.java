package io.promokit.internal.validation;

import io.promokit.documents.PlannedStep;
import io.promokit.documents.Problem;
import java.util.List;
import java.util.function.Consumer;

/**
 * An {@code if} must be a template that evaluates to a boolean: a plain string such as {@code true} (which
 * YAML reads as a boolean, and Kargo as a string) is an error (SEMANTICS.md section 3); text around the
 * expression, or several expressions, make it a string, which is worth a warning.
 */
final class ConditionCheck implements ValidationCheck {

  @Override
  public void check(ValidationInput input, Consumer<Problem> problems) {
    List<PlannedStep> steps = input.plan().steps();
    for (int i = 0; i < steps.size(); i++) {
      PlannedStep step = steps.get(i);
      String condition = step.ifCondition();
      if (condition == null || condition.isBlank()) {
        continue;
      }
      if (!ExpressionIndex.holdsExpression(condition)) {
        problems.accept(Problem.error(step.locationOf("if"), step.alias(), "if", "\"if\" must be an expression such as"
            + " \"${{ " + condition.strip() + " }}\", but is the plain string \"" + condition + "\""));
        continue;
      }
      String stripped = condition.strip();
      boolean single = (stripped.startsWith("${{") && stripped.endsWith("}}"))
          || (stripped.startsWith("${%") && stripped.endsWith("%}"));
      int expressions = 0;
      for (ExpressionSite site : input.expressions().stepSites(i)) { // a loop: this runs in every validation
        if (site.kind() == SiteKind.CONDITION) {
          expressions += site.expressions().size();
        }
      }
      if (!single || expressions > 1) {
        problems.accept(Problem.warning(step.locationOf("if"), step.alias(), "if", "\"if\" mixes text and"
            + " expressions, so it evaluates to a string rather than a boolean; write one expression:"
            + " \"${{ a && b }}\""));
      }
    }
  }
}
