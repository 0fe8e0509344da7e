package io.promokit.steps.manifests.internal;

import io.promokit.StepException;

/**
 * The guard on file names made from a resource's kind and name: a name that could leave the output folder
 * (Kargo: "unsafe generated resource filename") is refused.
 */
public final class SafeFileNames {

  private SafeFileNames() {}

  /**
   * Returns the name when it is one plain path segment.
   *
   * @throws StepException (terminal) naming the file when it is empty, {@code .}, {@code ..}, absolute, holds
   *     a separator, or is not in clean form
   */
  public static String check(String name) {
    boolean unsafe = name.isEmpty() || name.equals(".") || name.equals("..") || name.startsWith("/")
        || name.contains("/") || name.contains("\\") || name.contains("\0");
    if (unsafe) {
      throw StepException.terminal("unsafe generated resource filename \"" + name
          + "\": a resource's kind or name would lead outside the output folder");
    }
    return name;
  }
}
