package io.promokit.steps.kit;

import java.util.regex.Pattern;

/**
 * Glob patterns over {@code /}-separated relative paths: {@code *} and {@code ?} within one name,
 * {@code [abc]} / {@code [!abc]} classes, {@code \x} for a literal character, {@code **}{@code /} for any
 * number of directories (also none), and a trailing {@code /**} for everything inside a directory.
 *
 * <p>Two flavours: {@link #toRegex} reads {@code .gitignore} lines, where a {@code [} that is not closed is a
 * literal; {@link #compileStrict} reads the patterns of Kargo's {@code delete} (the doublestar library), which
 * adds {@code {a,b}} alternatives and refuses a <code>[</code> or <code>&#123;</code> that is not closed and a trailing
 * {@code \}.
 */
public final class GlobPattern {

  private GlobPattern() {}

  /**
   * Whether the text holds a glob metacharacter (of either flavour).
   *
   * @param text a name or pattern
   * @return true when it has <code>* ? [ &#123;</code> or a backslash
   */
  public static boolean hasMeta(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '{' || c == '\\') {
        return true;
      }
    }
    return false;
  }

  /**
   * The regular expression (without anchors) that matches what a {@code .gitignore} glob matches.
   *
   * @param glob one pattern, without gitignore's {@code !}, leading {@code /} or trailing {@code /}
   * @return the regular expression
   */
  public static String toRegex(String glob) {
    return toRegex(glob, false);
  }

  /**
   * A pattern matching whole relative paths, in doublestar's syntax (with {@code {a,b}} alternatives).
   *
   * @param glob the pattern
   * @return the compiled pattern
   * @throws IllegalArgumentException saying why the pattern is malformed, such as {@code "[" is not closed by "]"}
   */
  public static Pattern compileStrict(String glob) {
    return Pattern.compile(toRegex(glob, true));
  }

  private static String toRegex(String glob, boolean strict) {
    StringBuilder regex = new StringBuilder();
    int braces = 0;
    int i = 0;
    int n = glob.length();
    while (i < n) {
      char c = glob.charAt(i);
      if (strict && c == '{') {
        regex.append("(?:");
        braces++;
        i++;
      } else if (strict && braces > 0 && c == ',') {
        regex.append('|');
        i++;
      } else if (strict && braces > 0 && c == '}') {
        regex.append(')');
        braces--;
        i++;
      } else if (c == '*') {
        boolean doubleStar = i + 1 < n && glob.charAt(i + 1) == '*';
        boolean atNameStart = i == 0 || glob.charAt(i - 1) == '/';
        if (doubleStar && atNameStart && (i + 2 == n || glob.charAt(i + 2) == '/')) {
          if (i + 2 == n) {
            regex.append(".*");          // "a/**": everything below a
            i += 2;
          } else {
            regex.append("(?:.*/)?");    // "**/": any number of directories, also none
            i += 3;
          }
          continue;
        }
        regex.append("[^/]*");
        i += doubleStar ? 2 : 1;
      } else if (c == '?') {
        regex.append("[^/]");
        i++;
      } else if (c == '[') {
        int close = classEnd(glob, i);
        if (close < 0 && strict) {
          throw new IllegalArgumentException("\"[\" at character " + (i + 1) + " is not closed by \"]\"");
        }
        if (close < 0) {
          regex.append(Pattern.quote("["));
          i++;
          continue;
        }
        String body = glob.substring(i + 1, close);
        boolean negated = body.startsWith("!") || body.startsWith("^");
        if (negated) {
          body = body.substring(1);
        }
        regex.append('[').append(negated ? "^/" : "");
        for (char b : body.toCharArray()) {
          if (b == '\\' || b == '[' || b == ']' || b == '^' || b == '&') {
            regex.append('\\');
          }
          regex.append(b);
        }
        regex.append(']');
        i = close + 1;
      } else if (c == '\\' && i + 1 < n) {
        regex.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
        i += 2;
      } else if (c == '\\' && strict) {
        throw new IllegalArgumentException("it ends with a lone \"\\\"");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    if (braces > 0) {
      throw new IllegalArgumentException("\"{\" is not closed by \"}\"");
    }
    return regex.toString();
  }

  private static int classEnd(String glob, int open) {
    int j = open + 1;
    if (j < glob.length() && (glob.charAt(j) == '!' || glob.charAt(j) == '^')) {
      j++;
    }
    if (j < glob.length() && glob.charAt(j) == ']') {
      j++;
    }
    while (j < glob.length() && glob.charAt(j) != ']') {
      if (glob.charAt(j) == '/') {
        return -1;
      }
      j++;
    }
    return j < glob.length() ? j : -1;
  }
}
