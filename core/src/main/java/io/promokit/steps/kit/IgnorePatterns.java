package io.promokit.steps.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .gitignore} rules (the {@code ignore} of copy, tar and untar), matched against {@code /}-separated paths
 * relative to a root: blank lines and {@code #} comments are skipped, trailing spaces are dropped unless escaped,
 * {@code !} re-includes, a trailing {@code /} matches directories only, a pattern with a {@code /} before its end
 * is anchored at the root and any other matches at every depth; globs as {@link GlobPattern#toRegex}. The last
 * rule that matches decides, and whatever is inside an ignored directory is ignored too, as git does.
 */
public final class IgnorePatterns {

  private record Rule(Pattern pattern, boolean negated, boolean directoriesOnly) {}

  private final List<Rule> rules;

  private IgnorePatterns(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * No rule: nothing is ignored.
   *
   * @return the empty rules
   */
  public static IgnorePatterns none() {
    return new IgnorePatterns(List.of());
  }

  /**
   * The rules of a multi-line {@code ignore} value; with no rule at all (null, blank, only comments), {@code .git}
   * is ignored, as Kargo's tar and untar do.
   *
   * @param text the value, or null
   * @return the rules
   */
  public static IgnorePatterns parseOrDefault(String text) {
    IgnorePatterns parsed = parse(text == null ? List.of() : text.lines().toList());
    return parsed.rules.isEmpty() ? parse(List.of(".git")) : parsed;
  }

  /**
   * Rules from lines of patterns.
   *
   * @param lines a multi-line value split into lines, or a list of patterns
   * @return the rules
   */
  public static IgnorePatterns parse(List<String> lines) {
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
    return new IgnorePatterns(rules);
  }

  /**
   * Whether the entry is ignored, itself or because a directory above it is.
   *
   * @param relativePath the entry's path relative to the root, {@code /}-separated
   * @param directory whether the entry is a directory
   * @return true when the rules ignore it
   */
  public boolean isIgnored(String relativePath, boolean directory) {
    int slash = relativePath.indexOf('/');
    while (slash > 0) {
      if (matches(relativePath.substring(0, slash), true)) {
        return true;
      }
      slash = relativePath.indexOf('/', slash + 1);
    }
    return matches(relativePath, directory);
  }

  /**
   * Whether the entry itself matches; its parents are not looked at (for a tree walk that skips ignored
   * directories, where they cannot match).
   *
   * @param relativePath the entry's path relative to the root, {@code /}-separated
   * @param directory whether the entry is a directory
   * @return true when the last rule matching the entry ignores it
   */
  public boolean matches(String relativePath, boolean directory) {
    boolean ignored = false;
    for (Rule rule : rules) {
      if ((!rule.directoriesOnly() || directory) && rule.pattern().matcher(relativePath).matches()) {
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
