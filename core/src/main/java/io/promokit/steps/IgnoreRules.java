package io.promokit.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .gitignore}-style rules, matched against {@code /}-separated paths relative to a root: blank lines
 * and {@code #} comments are skipped, {@code !} re-includes, a trailing {@code /} matches directories only, a
 * pattern with a {@code /} before its end is anchored at the root, any other matches at every depth. The last
 * rule that matches decides. A caller that skips an ignored directory skips what is inside it, as git does.
 */
final class IgnoreRules {

  private record Rule(Pattern pattern, boolean negated, boolean directoriesOnly) {}

  private final List<Rule> rules;

  private IgnoreRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  static IgnoreRules none() {
    return new IgnoreRules(List.of());
  }

  /** Rules from lines of patterns (a multi-line string split into lines, or a list). */
  static IgnoreRules parse(List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : lines) {
      String line = stripTrailingSpaces(raw);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean negated = line.startsWith("!");
      if (negated) {
        line = line.substring(1);
      } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
        line = line.substring(1);
      }
      boolean directoriesOnly = line.endsWith("/");
      if (directoriesOnly) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        continue;
      }
      boolean anchored = line.contains("/");
      if (line.startsWith("/")) {
        line = line.substring(1);
      }
      String regex = (anchored ? "" : "(?:.*/)?") + GlobPattern.toRegex(line);
      rules.add(new Rule(Pattern.compile(regex), negated, directoriesOnly));
    }
    return new IgnoreRules(rules);
  }

  /** Whether the entry at {@code relativePath} is ignored. */
  boolean isIgnored(String relativePath, boolean directory) {
    boolean ignored = false;
    for (Rule rule : rules) {
      if (rule.directoriesOnly() && !directory) {
        continue;
      }
      if (rule.pattern().matcher(relativePath).matches()) {
        ignored = !rule.negated();
      }
    }
    return ignored;
  }

  private static String stripTrailingSpaces(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t' || line.charAt(end - 1) == '\r')
        && !(end > 1 && line.charAt(end - 2) == '\\')) {
      end--;
    }
    return line.substring(0, end);
  }
}
