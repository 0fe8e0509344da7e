package io.promokit.steps;

import io.promokit.RegisteredStep;
import java.util.List;

/** promokit's built-in steps (BUILTIN-STEPS.md). Placeholder. */
public final class BuiltinSteps {
  private BuiltinSteps() {}

  /** Every built-in step, registered by {@code StepRegistry.builder().withBuiltins()}. */
  public static List<RegisteredStep> all() {
    return List.of();
  }
}
