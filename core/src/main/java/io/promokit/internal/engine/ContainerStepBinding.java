package io.promokit.internal.engine;

import io.promokit.PromotionException;
import io.promokit.RegisteredStep;
import io.promokit.StepKind;
import io.promokit.StepRuntime;

/** Turns a registered step into what runs it; container steps are bound to the engine's runtime. */
final class ContainerStepBinding {
  private ContainerStepBinding() {}

  static StepRuntime bind(RegisteredStep step, EngineSettings settings) {
    if (step.kind() != StepKind.CONTAINER) {
      return step.runtime();
    }
    if (settings.containerRuntime() == null) {
      throw new PromotionException("step \"" + step.name() + "\" runs a container, but no ContainerRuntime is set");
    }
    return step.definition().bind(settings.containerRuntime(), settings.capabilities(), settings.pullSecrets(),
        settings.engineId());
  }
}
