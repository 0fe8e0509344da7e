package io.promokit.expressions.internal;

import io.promokit.expressions.ExpressionEnvironment;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.jexl3.JexlContext;

/**
 * What JEXL sees during one resolver call: the environment's root variables, no assignments, and the
 * {@code pk} function namespace. An unknown root name is an error (expr-lang reads it as nil; here a typo,
 * or a reach for {@code System} or {@code this}, says so instead of going on with nil).
 */
final class EvalContext implements JexlContext, JexlContext.NamespaceResolver, JexlContext.CancellationHandle {

  final ExpressionEnvironment environment;
  final Functions functions;
  private final Map<String, Object> variables;
  /**
   * JEXL's cancellation flag, one per call instead of one per expression. Never set by us (the limits are
   * enforced by the functions); JEXL also stops when the thread is interrupted.
   */
  private final AtomicBoolean cancellation = new AtomicBoolean();

  EvalContext(Engine engine, ExpressionEnvironment environment) {
    this.environment = environment;
    this.variables = environment.variables();
    this.functions = new Functions(engine, environment, this);
  }

  @Override
  public Object get(String name) {
    return variable(name);
  }

  /** A root variable's value; an unknown name is an error listing the names there are. */
  Object variable(String name) {
    Object value = variables.get(name);
    if (value == null && !variables.containsKey(name)) {
      throw new EvalError(unknownName(name, variables));
    }
    return value;
  }

  static String unknownName(String name, Map<String, Object> variables) {
    StringBuilder sb = new StringBuilder("unknown name ").append(name);
    String close = Suggestions.closest(name, variables.keySet());
    if (close != null) {
      sb.append(" (did you mean ").append(close).append("?)");
    } else if (variables.isEmpty()) {
      sb.append(" (no variables are defined here)");
    } else {
      sb.append(" (the variables here are ").append(String.join(", ", new java.util.TreeSet<>(variables.keySet())))
          .append(')');
    }
    return sb.toString();
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
  public AtomicBoolean getCancellation() {
    return cancellation;
  }

  @Override
  public Object resolveNamespace(String name) {
    return Translator.NS.equals(name) ? functions : null;
  }
}
