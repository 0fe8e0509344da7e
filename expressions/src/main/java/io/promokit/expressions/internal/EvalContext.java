package io.promokit.expressions.internal;

import io.promokit.expressions.ExpressionEnvironment;
import java.util.Map;
import org.apache.commons.jexl3.JexlContext;

/**
 * What JEXL sees during one resolver call: the environment's root variables (an unknown name reads as nil,
 * as with expr-lang's map environments), no assignments, and the {@code pk} function namespace.
 */
final class EvalContext implements JexlContext, JexlContext.NamespaceResolver {

  final ExpressionEnvironment environment;
  final Functions functions;
  private final Map<String, Object> variables;

  EvalContext(Engine engine, ExpressionEnvironment environment) {
    this.environment = environment;
    this.variables = environment.variables();
    this.functions = new Functions(engine, environment, this);
  }

  @Override
  public Object get(String name) {
    return variables.get(name);
  }

  @Override
  public void set(String name, Object value) {
    throw new EvalError("assignments are not supported");
  }

  @Override
  public boolean has(String name) {
    return true;
  }

  @Override
  public Object resolveNamespace(String name) {
    return Translator.NS.equals(name) ? functions : null;
  }
}
