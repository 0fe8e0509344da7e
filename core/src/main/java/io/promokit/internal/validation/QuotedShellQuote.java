package io.promokit.internal.validation;

import io.promokit.CustomStepDefinition;
import io.promokit.documents.Problem;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The other half of the shellQuote advice: {@code ${{ shellQuote(x) }}} inside double or single quotes of a
 * {@code sh -c} script does not protect. shellQuote's output is single-quoted; inside double quotes those quotes are
 * literal characters, so {@code $(...)} and backquotes in the value still run; inside single quotes, the value's
 * quotes end the quoting. The script is read with the POSIX quoting rules (backslash, single and double quotes;
 * command substitutions are not followed into). One warning per expression and definition.
 */
final class QuotedShellQuote {
  private QuotedShellQuote() {}

  /** Warns about each quoted {@code shellQuote()} in the script at {@code command[script]}. */
  static void check(CustomStepDefinition definition, int script, Consumer<Problem> problems) {
    String text = definition.command().get(script);
    Set<String> warned = new HashSet<>();
    for (Splice splice : splices(text)) {
      if (splice.quote() != 0 && splice.expression().contains("shellQuote(") && warned.add(splice.expression())) {
        String where = splice.quote() == '"' ? "double" : "single";
        problems.accept(Problem.warning(definition.locationOf("command[" + script + "]"), null,
            "command[" + script + "]",
            "step \"" + definition.name() + "\" puts ${{ " + splice.expression() + " }} inside " + where + " quotes"
                + " in a shell script, where shellQuote() does not protect: "
                + (splice.quote() == '"' ? "its single quotes are literal there, so $(...) in the value runs"
                    : "a quote in the value ends the quoting")
                + "; write it outside quotes"));
      }
    }
  }

  /** An expression in a script and the quote it sits in ({@code '}, {@code "}, or 0 outside quotes). */
  record Splice(String expression, char quote) {}

  /** The {@code ${{ }}} expressions of a script, each with the quoting it stands in. */
  static List<Splice> splices(String script) {
    List<Splice> found = new java.util.ArrayList<>();
    char quote = 0;
    int i = 0;
    while (i < script.length()) {
      if (script.startsWith("${{", i)) {
        int end = script.indexOf("}}", i + 3);
        if (end < 0) {
          break;
        }
        found.add(new Splice(script.substring(i + 3, end).strip(), quote));
        i = end + 2;
        continue;
      }
      char c = script.charAt(i);
      if (quote == '\'') {
        quote = c == '\'' ? 0 : quote;
      } else if (c == '\\') {
        i++; // the next character is escaped (outside quotes and inside double quotes)
      } else if (quote == '"') {
        quote = c == '"' ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      }
      i++;
    }
    return found;
  }
}
