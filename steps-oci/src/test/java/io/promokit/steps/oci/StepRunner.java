package io.promokit.steps.oci;

import io.promokit.RegisteredStep;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.testkit.TestStepContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs one of the OCI steps as the engine would (schema checked first), with a test context. */
final class StepRunner {

  private final List<RegisteredStep> steps;
  private final Path workdir;
  TestStepContext lastContext;

  StepRunner(OciSteps ociSteps, Path workdir) {
    this.steps = ociSteps.steps();
    this.workdir = workdir;
  }

  StepResult run(String stepName, Map<String, ?> config) throws Exception {
    return run(stepName, TestStepContext.builder(workdir).stepName(stepName).config(config).build());
  }

  StepResult run(String stepName, TestStepContext context) throws Exception {
    lastContext = context;
    return context.run(step(stepName));
  }

  /** Runs the step expecting it to throw (Errored): the exception. */
  StepException error(String stepName, Map<String, ?> config) throws Exception {
    return error(stepName, TestStepContext.builder(workdir).stepName(stepName).config(config).build());
  }

  StepException error(String stepName, TestStepContext context) throws Exception {
    try {
      StepResult result = run(stepName, context);
      throw new AssertionError("expected " + stepName + " to error, but it ended " + result.status() + ": "
          + result.message());
    } catch (StepException e) {
      return e;
    }
  }

  RegisteredStep step(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /** What the last run logged. */
  List<String> lines() {
    return lastContext.lines();
  }
}
