package io.promokit.expressions.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A template split into literal text and expressions (EXPRESSIONS.md section 1): the earliest of the two
 * openers ("${{" or "${%") starts an expression, the first matching closer ("}}" or "%}") ends it; no
 * nesting, no escapes.
 */
final class CompiledTemplate {
  final String template;
  /** literals[i] precedes expressions[i]; the last literal follows the last expression. */
  final String[] literals;
  final CompiledExpression[] expressions;
  /** 1-based column of each expression's opening delimiter. */
  final int[] columns;
  final boolean single;
  /** A scanning error (an unclosed expression), or null. */
  final String error;
  final int errorColumn;
  /** The text after an unclosed opener, or null. */
  final String errorText;

  private CompiledTemplate(String template, String[] literals, CompiledExpression[] expressions, int[] columns,
      String error, int errorColumn, String errorText) {
    this.template = template;
    this.literals = literals;
    this.expressions = expressions;
    this.columns = columns;
    this.single = error == null && expressions.length == 1 && literals[0].isEmpty() && literals[1].isEmpty();
    this.error = error;
    this.errorColumn = errorColumn;
    this.errorText = errorText;
  }

  static CompiledTemplate compile(String template, java.util.function.Function<String, CompiledExpression> compiler) {
    List<String> literals = new ArrayList<>();
    List<CompiledExpression> expressions = new ArrayList<>();
    List<Integer> columns = new ArrayList<>();
    int pos = 0;
    while (true) {
      int a = template.indexOf("${{", pos);
      int b = template.indexOf("${%", pos);
      int open = a < 0 ? b : b < 0 ? a : Math.min(a, b);
      if (open < 0) {
        literals.add(template.substring(pos));
        break;
      }
      String closer = open == a ? "}}" : "%}";
      int close = template.indexOf(closer, open + 3);
      if (close < 0) {
        return new CompiledTemplate(template, new String[0], new CompiledExpression[0], new int[0],
            "unclosed expression: expected \"" + closer + "\" but reached the end of the template", open + 1,
            template.substring(open + 3).strip());
      }
      literals.add(template.substring(pos, open));
      expressions.add(compiler.apply(template.substring(open + 3, close)));
      columns.add(open + 1);
      pos = close + 2;
    }
    return new CompiledTemplate(template, literals.toArray(new String[0]),
        expressions.toArray(new CompiledExpression[0]), columns.stream().mapToInt(Integer::intValue).toArray(),
        null, 0, null);
  }
}
