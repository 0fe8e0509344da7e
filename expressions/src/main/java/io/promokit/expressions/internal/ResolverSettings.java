package io.promokit.expressions.internal;

import io.promokit.expressions.ExpressionFunction;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link io.promokit.expressions.ExpressionResolver.Builder} hands to the resolver it builds; the
 * builder validates each value.
 *
 * @param functions the host functions by name
 * @param timeout longest time one expression may run
 * @param maxSize largest string or collection an expression may build
 * @param cacheSize how many templates and expressions are cached
 * @param maxExpressionLength longest expression text, in characters
 * @param maxNestingDepth deepest nesting of an expression
 */
public record ResolverSettings(Map<String, ExpressionFunction> functions, Duration timeout, long maxSize,
    int cacheSize, int maxExpressionLength, int maxNestingDepth) {

  public ResolverSettings {
    functions = Map.copyOf(Objects.requireNonNull(functions, "functions must not be null"));
    Objects.requireNonNull(timeout, "timeout must not be null");
  }
}
