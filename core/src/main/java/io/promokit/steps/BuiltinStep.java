package io.promokit.steps;

import io.promokit.ConfigSchema;
import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepKind;
import io.promokit.StepOptions;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import io.promokit.internal.WorkdirPaths;
import java.util.List;
import java.util.Objects;

/**
 * A built-in step: checks its config against its schema (and its own rules) before doing anything, then
 * runs. Invalid config makes the step {@code Failed}, with a message that names the field:
 * {@code invalid config: config.inPath: is required} (the engine adds {@code step "<alias>": }).
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
    List<String> problems = schema.validate(context.config(), "config");
    if (!problems.isEmpty()) {
      return invalid(String.join("; ", problems));
    }
    try {
      return run(context);
    } catch (InvalidConfigException | WorkdirPaths.RejectedPathException e) {
      // A path the workdir's rules refuse is a config problem too (BUILTIN-STEPS.md: invalid config is Failed).
      return invalid(e.getMessage());
    }
  }

  /**
   * Runs one attempt with a config that passed the schema; binds it with {@link StepContext#config(Class)}.
   *
   * @throws InvalidConfigException when the config breaks a rule the schema cannot say (the step fails)
   */
  abstract StepResult run(StepContext context) throws Exception;

  final RegisteredStep registration() {
    Object description = schema.asMap().get("description");
    StepOptions options = StepOptions.builder()
        .configSchema(schema)
        .description(description instanceof String s ? s : "")
        .build();
    return new RegisteredStep(name, StepKind.BUILTIN, this, options);
  }

  private StepResult invalid(String problems) {
    return StepResult.failed("invalid config: " + problems);
  }
}
