package io.promokit.steps.manifests;

import io.promokit.PromotionContext;
import io.promokit.RegisteredStep;
import io.promokit.StepResult;
import io.promokit.testkit.TestStepContext;
import java.nio.file.Path;
import java.util.Map;

/** Runs one of the manifest steps in tests, the way the engine would. */
final class Steps {

  static final PromotionContext PROMOTION = PromotionContext.builder().project("test-project").stage("dev")
      .promotion("p-1").build();

  private Steps() {}

  static RegisteredStep step(ManifestSteps steps, String name) {
    return steps.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  static TestStepContext context(Path workdir, Map<String, ?> config) {
    return TestStepContext.builder(workdir).config(config).promotion(PROMOTION).build();
  }

  static StepResult run(ManifestSteps steps, String name, TestStepContext context) throws Exception {
    return context.run(step(steps, name));
  }
}
