package io.promokit.internal.validation;

import io.promokit.documents.Problem;
import io.promokit.expressions.ParsedExpression;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** The status functions work in {@code if} and config, not in vars (SEMANTICS.md section 4). */
final class StatusFunctionCheck implements ValidationCheck {

  static final Set<String> STATUS_FUNCTIONS = Set.of("success", "failure", "always", "status");

  @Override
  public void check(ValidationInput input, Consumer<Problem> problems) {
    for (ExpressionSite site : input.expressions().all()) {
      if (site.kind().allowsStatusFunctions()) {
        continue;
      }
      Set<String> used = new TreeSet<>();
      for (ParsedExpression expression : site.expressions()) {
        for (String function : expression.functions()) {
          if (STATUS_FUNCTIONS.contains(function)) {
            used.add(function);
          }
        }
      }
      if (!used.isEmpty()) {
        problems.accept(Problem.error(site.location(), site.alias(), site.path(), "status functions work only in"
            + " \"if\" and config, not in vars, but this var calls "
            + used.stream().map(f -> f + "()").collect(Collectors.joining(", "))));
      }
    }
  }
}
