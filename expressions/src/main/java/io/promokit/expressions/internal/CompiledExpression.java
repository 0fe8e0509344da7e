package io.promokit.expressions.internal;

import java.util.List;
import java.util.Set;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlInfo;
import org.apache.commons.jexl3.JexlScript;

/**
 * One expression, parsed, type-checked, analysed and translated to JEXL source; or the syntax error it has
 * (kept so that a bad expression is not parsed again on every use).
 *
 * <p>The JEXL script is built from the source on the first evaluation, not at compile time: JEXL's parser
 * costs 15-50 µs per expression, several times the rest of compiling, and validation ({@code inspect}) never
 * needs the script. Built once, it is kept with the expression in the resolver's cache.
 */
final class CompiledExpression {
  final String text;
  final List<Translator.NativeChain> chains;
  final Set<List<String>> references;
  final Set<String> functions;
  /** Whether it reads $env as a whole or by a computed name (then any variable may be read). */
  final boolean readsWholeEnvironment;
  final String compileError;
  final int errorOffset;
  /** Whether the expression folded to a literal: then {@link #constantValue} is its value and JEXL is not used. */
  final boolean constant;
  final Object constantValue;
  private final String jexlSource;
  /** Built on first use; a race builds it twice, harmlessly (the scripts are equal and immutable). */
  private volatile JexlScript script;

  CompiledExpression(String text, Ast.Node folded, String jexlSource, List<Translator.NativeChain> chains,
      Analyzer.Result analysis) {
    this.text = text;
    this.constant = isPlainLiteral(folded);
    this.constantValue = constant ? ((Ast.Lit) folded).value() : null;
    this.jexlSource = jexlSource;
    this.chains = chains;
    this.references = analysis.references();
    this.functions = analysis.functions();
    this.readsWholeEnvironment = analysis.wholeEnvironment();
    this.compileError = null;
    this.errorOffset = 0;
  }

  CompiledExpression(String text, String compileError, int errorOffset) {
    this.text = text;
    this.constant = false;
    this.constantValue = null;
    this.jexlSource = null;
    this.chains = List.of();
    this.references = Set.of();
    this.functions = Set.of();
    this.readsWholeEnvironment = false;
    this.compileError = compileError;
    this.errorOffset = errorOffset;
  }

  /**
   * Whether the folded expression is a literal JEXL would return as it is ({@code "a"}, {@code 3}, {@code
   * true}, {@code nil}, {@code 1.5}): a value the Translator writes with a sign goes through JEXL's negation, so
   * only the values written without one qualify.
   */
  private static boolean isPlainLiteral(Ast.Node folded) {
    if (!(folded instanceof Ast.Lit)) {
      return false;
    }
    Object v = ((Ast.Lit) folded).value();
    if (v == null || v instanceof String || v instanceof Boolean) {
      return true;
    }
    if (v instanceof Long) {
      return (Long) v >= 0;
    }
    if (v instanceof Double) {
      double d = (Double) v;
      return Double.isFinite(d) && Math.copySign(1.0, d) > 0;
    }
    return v instanceof java.math.BigInteger && ((java.math.BigInteger) v).signum() >= 0;
  }

  /**
   * The JEXL script, built by the engine on first call.
   *
   * @throws EvalError when JEXL cannot build it (a translation the sandboxed engine rejects, or a nesting
   *     deeper than this thread's stack)
   */
  JexlScript script(Engine engine) {
    JexlScript s = script;
    if (s == null) {
      try {
        s = engine.jexl().createScript(new JexlInfo("expression", 1, 1), jexlSource);
      } catch (JexlException e) {
        throw new EvalError("this expression is not supported (it could not be compiled)");
      } catch (StackOverflowError e) {
        // Only with a nesting limit raised beyond what this thread's stack holds.
        throw new EvalError("the expression is nested too deeply to compile on this thread's stack (lower "
            + "ExpressionResolver.Builder.maxNestingDepth or use a larger stack)");
      }
      script = s;
    }
    return s;
  }

  /** The JEXL source the script is built from (for tests and the benchmarks). */
  String jexlSource() {
    return jexlSource;
  }
}
