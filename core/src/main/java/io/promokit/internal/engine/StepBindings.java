package io.promokit.internal.engine;

import io.promokit.PromotionException;
import io.promokit.RegisteredStep;
import io.promokit.StepRegistry;
import io.promokit.StepRuntime;
import io.promokit.spi.CapabilityProvider;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.PullSecretSource;
import java.util.HashMap;
import java.util.Map;

/**
 * What runs each registered step, bound once per engine: an in-process or built-in step is its own runtime; a
 * container step is its definition bound to the engine's container runtime, capabilities, pull secrets and
 * engine id. Immutable, shared by every promotion of the engine.
 */
public final class StepBindings {

  private final Map<String, StepRuntime> containerSteps;

  private StepBindings(Map<String, StepRuntime> containerSteps) {
    this.containerSteps = containerSteps;
  }

  /** Binds every container step of the registry, when there is a runtime to bind them to. */
  public static StepBindings bind(StepRegistry registry, ContainerRuntime runtime, CapabilityProvider capabilities,
      PullSecretSource pullSecrets, String engineId) {
    Map<String, StepRuntime> bound = new HashMap<>();
    if (runtime != null) {
      for (RegisteredStep step : registry.steps()) {
        if (step instanceof RegisteredStep.Container container) {
          bound.put(step.name(), container.definition().bind(runtime, capabilities, pullSecrets, engineId));
        }
      }
    }
    return new StepBindings(Map.copyOf(bound));
  }

  /**
   * What runs the step.
   *
   * @throws PromotionException when it is a container step and the engine has no container runtime
   */
  StepRuntime runtimeOf(RegisteredStep step) {
    if (step instanceof RegisteredStep.Builtin builtin) {
      return builtin.runtime();
    }
    if (step instanceof RegisteredStep.Host host) {
      return host.runtime();
    }
    StepRuntime bound = containerSteps.get(step.name());
    if (bound == null) {
      throw new PromotionException("step \"" + step.name() + "\" runs a container, but no ContainerRuntime is set");
    }
    return bound;
  }
}
