package io.promokit.expressions.internal;

import io.promokit.expressions.ExpressionEnvironment;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.jexl3.JexlContext;

/**
 * What JEXL sees during one resolver call: the environment's root variables (an unknown name reads as nil,
 * as with expr-lang's map environments), no assignments, and the {@code pk} function namespace.
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
  public AtomicBoolean getCancellation() {
    return cancellation;
  }

  @Override
  public Object resolveNamespace(String name) {
    return Translator.NS.equals(name) ? functions : null;
  }
}
