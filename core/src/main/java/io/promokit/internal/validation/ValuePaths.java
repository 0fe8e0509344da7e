package io.promokit.internal.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * The segments of paths written in the project's notation ({@link io.promokit.internal.ConfigPath}:
 * {@code config.apps[0].name}, {@code config['my-key']}), so that paths printed by different parts of the
 * engine compare.
 */
final class ValuePaths {

  private ValuePaths() {}

  /**
   * The segments of a path: {@code config.apps[0]['a.b']} gives {@code [config, apps, 0, a.b]}. Reads
   * {@code .name}, {@code [0]}, {@code ['key']} and {@code ["key"]}; returns null for text that is not a path.
   */
  static List<String> segments(String path) {
    List<String> segments = new ArrayList<>();
    int i = 0;
    int n = path.length();
    StringBuilder name = new StringBuilder();
    while (i < n) {
      char c = path.charAt(i);
      if (c == '.') {
        flush(name, segments);
        i++;
      } else if (c == '[') {
        flush(name, segments);
        int close;
        if (i + 1 < n && (path.charAt(i + 1) == '\'' || path.charAt(i + 1) == '"')) {
          char quote = path.charAt(i + 1);
          StringBuilder key = new StringBuilder();
          int j = i + 2;
          while (j < n && path.charAt(j) != quote) {
            if (path.charAt(j) == '\\' && j + 1 < n) {
              j++;
            }
            key.append(path.charAt(j));
            j++;
          }
          if (j + 1 >= n || path.charAt(j + 1) != ']') {
            return null;
          }
          segments.add(key.toString());
          close = j + 1;
        } else {
          close = path.indexOf(']', i);
          if (close < 0) {
            return null;
          }
          segments.add(path.substring(i + 1, close));
        }
        i = close + 1;
      } else if (c == ' ' || c == ':') {
        return null;
      } else {
        name.append(c);
        i++;
      }
    }
    flush(name, segments);
    return segments;
  }

  private static void flush(StringBuilder name, List<String> segments) {
    if (name.length() > 0) {
      segments.add(name.toString());
      name.setLength(0);
    }
  }

  /** Whether {@code prefix} is {@code path} or one of its ancestors. */
  static boolean startsWith(List<String> path, List<String> prefix) {
    return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
  }
}
