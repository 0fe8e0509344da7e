package io.promokit.expressions;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Picks the candidates closest to a misspelled name, for "did you mean" hints (an unknown step, field,
 * variable, output or document kind), by Levenshtein distance: the one edit distance of promokit.
 */
public final class ClosestNames {
  private ClosestNames() {}

  /** The Levenshtein distance: how many single-character insertions, deletions or substitutions turn a into b. */
  public static int distance(String a, String b) {
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

  /**
   * Up to {@code limit} candidates close to {@code name}, closest first. Case is ignored when measuring, and
   * only names where at most a third of the longer one differs (at least 2 edits) count as close.
   */
  public static List<String> of(String name, Collection<String> candidates, int limit) {
    if (name == null || limit <= 0) {
      return List.of();
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return candidates.stream()
        .distinct()
        .filter(candidate -> !candidate.equals(name))
        .map(candidate -> Map.entry(candidate, distance(lower, candidate.toLowerCase(Locale.ROOT))))
        .filter(e -> e.getValue() <= Math.max(2, Math.max(name.length(), e.getKey().length()) / 3))
        .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .limit(limit)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** {@code did you mean "a" or "b"?}, or an empty string when nothing is close. */
  public static String didYouMean(String name, Collection<String> candidates) {
    List<String> closest = of(name, candidates, 3);
    if (closest.isEmpty()) {
      return "";
    }
    return "did you mean " + closest.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(" or ")) + "?";
  }
}
