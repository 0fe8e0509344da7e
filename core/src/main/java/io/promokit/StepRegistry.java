package io.promokit;

import io.promokit.internal.DefaultStepRegistry;
import java.util.List;
import java.util.Optional;

/**
 * The steps templates can use, by name: promokit's built-ins, the host's own {@link StepRuntime}s and
 * container steps from {@code CustomPromotionStep} definitions. Immutable and thread-safe once built;
 * share one across promotions.
 *
 * <pre>{@code
 * StepRegistry registry = StepRegistry.builder()
 *     .withBuiltins()
 *     .register(GitSteps.builder().credentials(credentials).build().steps())
 *     .register("open-ticket", ticketStep, StepOptions.builder().defaultTimeout(Duration.ofMinutes(2)).build())
 *     .build();
 * }</pre>
 */
public interface StepRegistry {

  static Builder builder() {
    return DefaultStepRegistry.builder();
  }

  /** The step registered under {@code name}. */
  Optional<RegisteredStep> find(String name);

  /**
   * The step registered under {@code name}.
   *
   * @throws PromotionException when there is none, naming the closest registered names and listing
   *     what is registered
   */
  RegisteredStep require(String name);

  /** Every registered step, sorted by name. */
  List<RegisteredStep> steps();

  /** Up to {@code limit} registered names closest to {@code name} (by edit distance), closest first. */
  List<String> closestNames(String name, int limit);

  /** Builds a {@link StepRegistry}. Names must be unique unless replaced on purpose. */
  interface Builder {

    /** Adds promokit's built-in steps (BUILTIN-STEPS.md). */
    Builder withBuiltins();

    /** Registers an in-process step with default options. */
    default Builder register(String name, StepRuntime runtime) {
      return register(name, runtime, StepOptions.DEFAULTS);
    }

    /**
     * Registers an in-process step.
     *
     * @throws IllegalArgumentException when the name is malformed or already registered
     */
    Builder register(String name, StepRuntime runtime, StepOptions options);

    /** Registers an in-process step, replacing any step of the same name. */
    Builder replace(String name, StepRuntime runtime, StepOptions options);

    /**
     * Registers a container step under its definition's name; its {@code defaultTimeout},
     * {@code defaultErrorThreshold}, {@code configSchema} and {@code description} become its options.
     *
     * @throws IllegalArgumentException when a step of that name is already registered
     */
    Builder register(CustomStepDefinition definition);

    /** Registers a container step, replacing any step of the same name. */
    Builder replace(CustomStepDefinition definition);

    /**
     * Registers a step as defined: a step module's ({@link io.promokit.steps.kit.StepDefinition}), a built-in,
     * or any other {@link RegisteredStep}.
     *
     * @throws IllegalArgumentException when the name is malformed or already registered
     */
    Builder register(RegisteredStep step);

    /** Registers a step, replacing any step of the same name. */
    Builder replace(RegisteredStep step);

    /**
     * Registers every step, in order: a step module's family, as
     * {@code .register(GitSteps.builder().build().steps())}.
     *
     * @throws IllegalArgumentException when a name is malformed or already registered
     */
    default Builder register(java.util.Collection<RegisteredStep> steps) {
      steps.forEach(this::register);
      return this;
    }

    /** Registers every definition, in order (for example {@code documents.customSteps()}). */
    default Builder registerAll(java.util.Collection<CustomStepDefinition> definitions) {
      definitions.forEach(this::register);
      return this;
    }

    StepRegistry build();
  }
}
