package io.promokit.cli;

import io.promokit.RegisteredStep;
import io.promokit.steps.git.GitSteps;
import java.util.ArrayList;
import java.util.List;

/**
 * The step families the command registers besides the built-ins. {@code run} builds them from its options;
 * {@code validate} and {@code steps} only need their names and schemas, so they take the defaults.
 */
final class StepFamilies {

  private StepFamilies() {}

  /** Every family with default settings. */
  static List<RegisteredStep> defaults() {
    List<RegisteredStep> steps = new ArrayList<>();
    try {
      steps.addAll(GitSteps.create().steps());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    return List.copyOf(steps);
  }
}
