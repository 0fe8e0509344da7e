package io.promokit.steps.files;

import io.promokit.RegisteredStep;
import io.promokit.StepResult;
import io.promokit.testkit.TestStepContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs one of the file steps as the engine would (schema checked first), with a test context. */
final class StepRunner {

  private final List<RegisteredStep> steps;
  private final Path workdir;
  TestStepContext lastContext;

  StepRunner(FileSteps fileSteps, Path workdir) {
    this.steps = fileSteps.steps();
    this.workdir = workdir;
  }

  StepRunner(Path workdir) {
    this(FileSteps.create(), workdir);
  }

  StepResult run(String stepName, Map<String, ?> config) throws Exception {
    return run(stepName, TestStepContext.builder(workdir).stepName(stepName).config(config).build());
  }

  StepResult run(String stepName, TestStepContext context) throws Exception {
    lastContext = context;
    return context.run(step(stepName));
  }

  RegisteredStep step(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /** What the last run logged. */
  List<String> lines() {
    return lastContext.lines();
  }
}
