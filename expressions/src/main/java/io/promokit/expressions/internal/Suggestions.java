package io.promokit.expressions.internal;

import java.util.Locale;

/** "Did you mean" for a misspelt function or variable name: the closest known name, if one is close. */
final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate closest to {@code name} (case-insensitive edit distance below 3, or a candidate of at least
   * three letters that {@code name} starts with), or null.
   */
  static String closest(String name, Iterable<String> candidates) {
    String best = null;
    int bestDistance = 3;
    String n = name.toLowerCase(Locale.ROOT);
    for (String candidate : candidates) {
      String c = candidate.toLowerCase(Locale.ROOT);
      int d = distance(n, c);
      if (c.length() >= 3 && n.startsWith(c) && best == null) {
        best = candidate;
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best;
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
