package io.promokit.steps;

import io.promokit.ConfigSchema;
import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import io.promokit.steps.kit.StepDefinition;
import java.util.Objects;

/**
 * A built-in step, defined with the step kit like any step module's: its config schema (from
 * {@code schemas/<name>.json}) is checked by the engine before it runs, and the config problems it finds
 * itself ({@link io.promokit.steps.kit.InvalidConfigException}, paths the working directory refuses) end it
 * {@code Failed} with {@code invalid config: ...} (see {@link io.promokit.steps.kit.StepAttempt}).
 */
abstract class BuiltinStep implements StepRuntime {

  private final String name;
  private final ConfigSchema schema;

  BuiltinStep(String name) {
    this.name = Objects.requireNonNull(name);
    this.schema = StepSchemas.of(name);
  }

  /** The name templates use. */
  final String name() {
    return name;
  }

  final ConfigSchema schema() {
    return schema;
  }

  @Override
  public final StepResult execute(StepContext context) throws Exception {
    return run(context);
  }

  /**
   * Runs one attempt with a config that passed the schema; binds it with {@link StepContext#config(Class)}.
   *
   * @throws io.promokit.steps.kit.InvalidConfigException when the config breaks a rule the schema cannot say
   */
  abstract StepResult run(StepContext context) throws Exception;

  final RegisteredStep registration() {
    return StepDefinition.builder(name).schema(schema).run(this).build();
  }
}
