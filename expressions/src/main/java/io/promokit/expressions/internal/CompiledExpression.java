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
  private final String jexlSource;
  /** Built on first use; a race builds it twice, harmlessly (the scripts are equal and immutable). */
  private volatile JexlScript script;

  CompiledExpression(String text, String jexlSource, List<Translator.NativeChain> chains,
      Analyzer.Result analysis) {
    this.text = text;
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
    this.jexlSource = null;
    this.chains = List.of();
    this.references = Set.of();
    this.functions = Set.of();
    this.readsWholeEnvironment = false;
    this.compileError = compileError;
    this.errorOffset = errorOffset;
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
        s = engine.jexl.createScript(new JexlInfo("expression", 1, 1), jexlSource);
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
