package io.promokit.expressions;

import java.util.List;
import java.util.Objects;

/**
 * A template, parsed but not evaluated, from {@link ExpressionResolver#inspect(String)}.
 *
 * @param template the template text
 * @param expressions the expressions it holds, in order (empty for a plain string)
 */
public record TemplateInfo(String template, List<ParsedExpression> expressions) {
  public TemplateInfo {
    Objects.requireNonNull(template, "template must not be null");
    expressions = List.copyOf(expressions);
  }

  /** Whether the template holds any expression (a string without one is used as is). */
  public boolean hasExpressions() {
    return !expressions.isEmpty();
  }
}
