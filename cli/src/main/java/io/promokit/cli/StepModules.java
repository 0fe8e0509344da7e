package io.promokit.cli;

import io.promokit.RegisteredStep;
import io.promokit.steps.files.FileSteps;
import java.util.ArrayList;
import java.util.List;

/** The step modules the command registers besides core's built-ins, each with its default settings. */
final class StepModules {

  private StepModules() {}

  /** Every module step, in the order the modules are listed here. */
  static List<RegisteredStep> all() {
    List<RegisteredStep> steps = new ArrayList<>();
    steps.addAll(FileSteps.create().steps());
    return steps;
  }
}
