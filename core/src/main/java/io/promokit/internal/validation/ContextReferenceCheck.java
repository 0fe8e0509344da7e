package io.promokit.internal.validation;

import io.promokit.documents.Problem;
import io.promokit.PromotionContext;
import io.promokit.expressions.ClosestNames;
import io.promokit.expressions.ParsedExpression;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A warning for {@code ctx.X} where {@code ctx} has no field X (SEMANTICS.md section 5): it would be null,
 * and reading a member of it an error. The fields are those {@link PromotionContext} gives expressions.
 */
final class ContextReferenceCheck implements ValidationCheck {

  private static final Map<String, Object> SHAPE = PromotionContext.builder().build().toExpressionMap("");

  @Override
  public void check(ValidationInput input, Consumer<Problem> problems) {
    for (ExpressionSite site : input.expressions().all()) {
      Set<String> messages = new LinkedHashSet<>();
      for (ParsedExpression expression : site.expressions()) {
        for (List<String> path : expression.references()) {
          if (path.size() >= 2 && path.get(0).equals("ctx")) {
            String message = unknownField(path);
            if (message != null) {
              messages.add(message);
            }
          }
        }
      }
      messages.forEach(m -> problems.accept(Problem.warning(site.location(), site.alias(), site.path(), m)));
    }
  }

  /** The message for the first unknown field along the path, or null when every field is known. */
  private static String unknownField(List<String> path) {
    Object level = SHAPE;
    StringBuilder walked = new StringBuilder("ctx");
    for (String field : path.subList(1, path.size())) {
      if (!(level instanceof Map<?, ?> fields)) {
        return null;
      }
      if (!fields.containsKey(field)) {
        Set<String> known = new TreeSet<>();
        fields.keySet().forEach(key -> known.add(String.valueOf(key)));
        String suggestion = ClosestNames.didYouMean(field, known);
        return walked + "." + field + " is not a field of " + walked + ", so it is null; "
            + (suggestion.isEmpty() ? "its fields are " + String.join(", ", known) : suggestion);
      }
      level = fields.get(field);
      walked.append('.').append(field);
    }
    return null;
  }
}
