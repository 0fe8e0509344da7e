package io.promokit.expressions.internal;

import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionFunction;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.ParsedExpression;
import io.promokit.expressions.TemplateInfo;
import java.time.Duration;
import java.util.Map;

/** Placeholder until the JEXL-backed implementation lands. */
public final class DefaultExpressionResolver implements ExpressionResolver {
  public DefaultExpressionResolver(
      Map<String, ExpressionFunction> functions, Duration timeout, long maxSize, int cacheSize) {}

  @Override
  public Object resolve(String template, ExpressionEnvironment environment) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public Object resolveTree(Object tree, ExpressionEnvironment environment, String path) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public Object evaluate(String expression, ExpressionEnvironment environment) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public TemplateInfo inspect(String template) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public ParsedExpression inspectExpression(String expression) {
    throw new UnsupportedOperationException("not yet");
  }
}
