package io.promokit.expressions.internal;

import io.promokit.expressions.ExpressionResolver;

/**
 * The benchmarks' window on the resolver's compiler: compiles one expression to its executable form without
 * the cache, and reads the resolver's compile count (cache misses). Lives in the resolver's package, in the
 * benchmarks module only, so the library exposes nothing for it.
 */
public final class CompileProbe {

  private final DefaultExpressionResolver resolver;

  /** A probe on the given resolver (one made by {@link ExpressionResolver#builder()}). */
  public CompileProbe(ExpressionResolver resolver) {
    this.resolver = (DefaultExpressionResolver) resolver;
  }

  /** Compiles the expression with no cache; returns the compiled form (an error is a value, not thrown). */
  public Object compile(String expression) {
    return resolver.compileExpression(expression);
  }

  /**
   * Compiles the expression with no cache, then builds its JEXL script as its first evaluation does: the
   * whole cost of a cache miss followed by a run.
   */
  public Object compileExecutable(String expression) {
    CompiledExpression ce = resolver.compileExpression(expression);
    return ce.compileError == null ? ce.script(resolver.engine) : ce;
  }

  /** Whether the expression compiles without an error. */
  public boolean compiles(String expression) {
    return resolver.compileExpression(expression).compileError == null;
  }

  /** How many expressions the resolver has compiled so far (its cache misses). */
  public long compilations() {
    return resolver.compilations();
  }
}
