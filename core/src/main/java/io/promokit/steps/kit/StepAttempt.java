package io.promokit.steps.kit;

import io.promokit.StepContext;
import io.promokit.StepOptions;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How config problems end one attempt of a step, the same for every kind of step (built-in, a step module's,
 * a host's {@link StepRuntime}, a container step): the engine checks the evaluated config against the step's
 * {@link io.promokit.ConfigSchema} before it calls the step, and a step that throws an
 * {@link InvalidConfigException} (a rule of its own, a config that does not bind to its type, a path the
 * working directory refuses) ends the same way. Either way the step is {@code Failed}, not retried, with the
 * message {@code invalid config: <problems>} (the engine adds {@code step "<alias>": } in front).
 *
 * <p>The engine and the testkit's {@code TestStepContext} both go through this class, so a step's unit test
 * sees exactly the status and message a promotion would.
 */
public final class StepAttempt {

  /** The start of every config problem's message. */
  public static final String INVALID_CONFIG = "invalid config: ";

  private StepAttempt() {}

  /**
   * Checks a config against the step's schema, if it has one.
   *
   * @return empty when the config is valid (or there is no schema), else the message of the {@code Failed}
   *     result: {@code invalid config: config.path: is required; config.x: ...}
   */
  public static Optional<String> checkConfig(StepOptions options, Map<String, ?> config) {
    Objects.requireNonNull(options, "options must not be null");
    Objects.requireNonNull(config, "config must not be null");
    return options.configSchema()
        .map(schema -> schema.validate(config, "config"))
        .filter(problems -> !problems.isEmpty())
        .map(StepAttempt::invalidConfig);
  }

  /**
   * Calls the step; an {@link InvalidConfigException} it throws becomes a {@code Failed} result. Every other
   * outcome (a result, another exception) is the step's own.
   */
  public static StepResult execute(StepRuntime runtime, StepContext context) throws Exception {
    Objects.requireNonNull(runtime, "runtime must not be null");
    try {
      return runtime.execute(context);
    } catch (InvalidConfigException e) {
      return StepResult.failed(INVALID_CONFIG + e.getMessage());
    }
  }

  /**
   * One attempt as the engine makes it: {@link #checkConfig} on the context's config, then
   * {@link #execute}.
   */
  public static StepResult run(StepOptions options, StepRuntime runtime, StepContext context) throws Exception {
    Optional<String> problem = checkConfig(options, context.config());
    if (problem.isPresent()) {
      return StepResult.failed(problem.get());
    }
    return execute(runtime, context);
  }

  private static String invalidConfig(List<String> problems) {
    return INVALID_CONFIG + String.join("; ", problems);
  }
}
