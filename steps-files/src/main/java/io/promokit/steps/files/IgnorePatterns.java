package io.promokit.steps.files;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .gitignore} rules for tar and untar, matched against {@code /}-separated paths relative to the archive
 * root: blank lines and {@code #} comments are skipped, {@code !} re-includes, a trailing {@code /} matches
 * directories only, a pattern with a {@code /} before its end is anchored at the root and any other matches at
 * every depth, {@code *} and {@code ?} stay within one name, {@code **} spans directories. The last matching rule
 * decides, and whatever is inside an ignored directory is ignored too (as git does).
 */
final class IgnorePatterns {

  private record Rule(Pattern pattern, boolean negated, boolean directoriesOnly) {}

  private final List<Rule> rules;

  private IgnorePatterns(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * The rules of a multi-line {@code ignore} config value; with no rule at all (null, blank, only comments),
   * {@code .git} is ignored, as in Kargo.
   */
  static IgnorePatterns parseOrDefault(String text) {
    IgnorePatterns parsed = parse(text == null ? List.of() : text.lines().toList());
    return parsed.rules.isEmpty() ? parse(List.of(".git")) : parsed;
  }

  static IgnorePatterns parse(List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean negated = line.startsWith("!");
      if (negated || line.startsWith("\\!") || line.startsWith("\\#")) {
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
      rules.add(new Rule(Pattern.compile((anchored ? "" : "(?:.*/)?") + globToRegex(line)), negated, directoriesOnly));
    }
    return new IgnorePatterns(rules);
  }

  /** Whether the entry is ignored, itself or because a directory above it is. */
  boolean isIgnored(String relativePath, boolean directory) {
    int slash = relativePath.indexOf('/');
    while (slash > 0) {
      if (matches(relativePath.substring(0, slash), true)) {
        return true;
      }
      slash = relativePath.indexOf('/', slash + 1);
    }
    return matches(relativePath, directory);
  }

  /** Whether the entry itself matches (its parents are not looked at: a tree walk prunes ignored directories). */
  boolean matches(String relativePath, boolean directory) {
    boolean ignored = false;
    for (Rule rule : rules) {
      if ((!rule.directoriesOnly() || directory) && rule.pattern().matcher(relativePath).matches()) {
        ignored = !rule.negated();
      }
    }
    return ignored;
  }

  private static String globToRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    int n = glob.length();
    for (int i = 0; i < n; i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        boolean doubleStar = i + 1 < n && glob.charAt(i + 1) == '*';
        boolean nameStart = i == 0 || glob.charAt(i - 1) == '/';
        if (doubleStar && nameStart && i + 2 == n) {
          regex.append(".*");
          i++;
        } else if (doubleStar && nameStart && glob.charAt(i + 2) == '/') {
          regex.append("(?:.*/)?");
          i += 2;
        } else {
          regex.append("[^/]*");
          i += doubleStar ? 1 : 0;
        }
      } else if (c == '?') {
        regex.append("[^/]");
      } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
        int close = glob.indexOf(']', i + 2);
        String body = glob.substring(i + 1, close);
        boolean negated = body.startsWith("!") || body.startsWith("^");
        regex.append('[').append(negated ? "^/" : "");
        for (char b : (negated ? body.substring(1) : body).toCharArray()) {
          regex.append(b == '\\' || b == '[' || b == '^' || b == '&' ? "\\" + b : String.valueOf(b));
        }
        regex.append(']');
        i = close;
      } else if (c == '\\' && i + 1 < n) {
        regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }
}
