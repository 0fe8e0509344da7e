package io.promokit.expressions;

import java.util.List;

/**
 * A function a host application adds to the expression language through
 * {@link ExpressionResolver.Builder#function(String, ExpressionFunction)}.
 *
 * <p>Arguments arrive as plain Java values (String, Long, BigInteger, Double, Boolean, Map, List, or
 * null). Throw {@link IllegalArgumentException} for a wrong argument: the resolver turns it into an
 * {@link ExpressionException} naming the function.
 */
@FunctionalInterface
public interface ExpressionFunction {
  Object apply(List<Object> arguments);
}
