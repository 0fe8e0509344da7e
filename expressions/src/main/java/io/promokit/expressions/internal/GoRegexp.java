package io.promokit.expressions.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Regular expressions as expr-lang's {@code matches} runs them: Go's regexp package, which is RE2. RE2/J is a
 * port of that package to Java, so syntax ({@code (?P<name>...)}, Perl classes, {@code \pL}) and meaning
 * ({@code $} is the end of the text unless {@code (?m)}, {@code (?i)} folds Unicode case) are Go's, and
 * matching takes time linear in the text, whatever the pattern.
 */
final class GoRegexp {
  private GoRegexp() {}

  /** Compiles a pattern; an invalid one is an error worded as Go's. */
  static Pattern compile(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new EvalError("invalid regular expression " + Strings.goQuote(regex) + ": " + e.getMessage());
    }
  }
}
