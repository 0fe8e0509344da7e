package io.promokit.internal;

import io.promokit.StepException;
import java.nio.file.Path;

/** Placeholder: safe path resolution is being implemented on the builtins branch. */
public final class WorkdirPaths {
  private WorkdirPaths() {}

  public static Path resolve(Path workdir, String relative) {
    Path p = workdir.resolve(relative).normalize();
    if (!p.startsWith(workdir)) {
      throw StepException.terminal("path \"" + relative + "\" leaves the working directory");
    }
    return p;
  }
}
