package io.promokit.steps.git;

import java.util.List;

/** The checks Kargo makes on a checkout's {@code sparse} directories before cone-mode sparse checkout. */
final class SparsePatterns {

  private SparsePatterns() {}

  /**
   * Checks each directory.
   *
   * @throws io.promokit.steps.kit.InvalidConfigException naming the entry when one is absolute, climbs
   *     with {@code ..}, or is a glob (cone mode takes directories only)
   */
  static void check(List<String> directories, String field) {
    for (int i = 0; i < directories.size(); i++) {
      String dir = directories.get(i);
      String where = field + "[" + i + "]: \"" + dir + "\" ";
      if (dir.startsWith("/")) {
        throw new io.promokit.steps.kit.InvalidConfigException(where + "must be relative to the repository root");
      }
      if (dir.startsWith("..")) {
        throw new io.promokit.steps.kit.InvalidConfigException(where + "must not start with \"..\"");
      }
      if (dir.contains("*") || dir.contains("?") || dir.contains("[")) {
        throw new io.promokit.steps.kit.InvalidConfigException(where
            + "is a glob pattern; sparse checkout takes directories only");
      }
    }
  }
}
