package io.promokit.expressions.internal;

import java.util.List;
import java.util.Set;
import org.apache.commons.jexl3.JexlScript;

/**
 * One expression, parsed, analysed and compiled to a JEXL script; or the syntax error it has (kept so that
 * a bad expression is not parsed again on every use).
 */
final class CompiledExpression {
  final String text;
  final JexlScript script;
  final List<Translator.NativeChain> chains;
  final Set<List<String>> references;
  final Set<String> functions;
  /** Whether it reads $env as a whole or by a computed name (then any variable may be read). */
  final boolean readsWholeEnvironment;
  final String compileError;
  final int errorOffset;

  CompiledExpression(String text, JexlScript script, List<Translator.NativeChain> chains,
      Analyzer.Result analysis) {
    this.text = text;
    this.script = script;
    this.chains = chains;
    this.references = analysis.references();
    this.functions = analysis.functions();
    this.readsWholeEnvironment = analysis.wholeEnvironment();
    this.compileError = null;
    this.errorOffset = 0;
  }

  CompiledExpression(String text, String compileError, int errorOffset) {
    this.text = text;
    this.script = null;
    this.chains = List.of();
    this.references = Set.of();
    this.functions = Set.of();
    this.readsWholeEnvironment = false;
    this.compileError = compileError;
    this.errorOffset = errorOffset;
  }
}
