package io.promokit.steps.manifests;

import io.promokit.ConfigSchema;
import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepKind;
import io.promokit.StepOptions;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One of the manifest steps: checks its config against its schema before doing anything, then runs. Invalid
 * config, and config this implementation cannot honour, make the step {@code Failed} (Kargo's F!) with
 * {@code invalid config: <path>: <reason>}; errors while working are thrown as {@link io.promokit.StepException}
 * (Kargo's E).
 */
abstract class ManifestStep implements StepRuntime {

  private final String name;
  private final ConfigSchema schema;

  ManifestStep(String name) {
    this.name = Objects.requireNonNull(name);
    this.schema = ConfigSchema.fromResource(ManifestStep.class, "schemas/" + name + ".json");
  }

  final String name() {
    return name;
  }

  @Override
  public final StepResult execute(StepContext context) throws Exception {
    List<String> problems = schema.validate(context.config(), "config");
    if (!problems.isEmpty()) {
      return invalid(String.join("; ", problems));
    }
    try {
      return run(context);
    } catch (InvalidConfigException e) {
      return invalid(e.getMessage());
    }
  }

  /**
   * Runs one attempt with a config that passed the schema.
   *
   * @throws InvalidConfigException when the config breaks a rule the schema cannot say
   */
  abstract StepResult run(StepContext context) throws Exception;

  final RegisteredStep registration() {
    Map<String, Object> map = schema.asMap();
    Object description = map.get("description");
    StepOptions options = StepOptions.builder()
        .configSchema(schema)
        .description(description instanceof String s ? s : "")
        .build();
    return new RegisteredStep(name, StepKind.BUILTIN, this, options);
  }

  private static StepResult invalid(String problems) {
    return StepResult.failed("invalid config: " + problems);
  }
}
