package io.promokit.internal.validation;

import io.promokit.internal.ConfigPath;
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
    return ConfigPath.segments(path);
  }

  /** Whether {@code prefix} is {@code path} or one of its ancestors. */
  static boolean startsWith(List<String> path, List<String> prefix) {
    return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
  }
}
