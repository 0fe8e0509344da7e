package io.promokit.expressions.internal;

import io.promokit.expressions.ClosestNames;
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
      int d = ClosestNames.distance(n, c);
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
}
