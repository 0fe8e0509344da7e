package io.promokit.steps.kit;

import io.promokit.ConfigSchema;
import io.promokit.RegisteredStep;
import io.promokit.StepKind;
import io.promokit.StepOptions;
import io.promokit.StepRuntime;
import io.promokit.internal.DefaultStepRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * Defines a step for a step module (or a host): its name, its config's JSON Schema and type, its defaults,
 * and what runs it; {@link Builder#build()} gives the {@link RegisteredStep} that
 * {@link io.promokit.StepRegistry.Builder#register(java.util.Collection)} takes.
 *
 * <pre>{@code
 * RegisteredStep clone = StepDefinition.builder("git-clone")
 *     .schemaResource(GitSteps.class, "schemas/git-clone.json")
 *     .run(CloneConfig.class, (ctx, config) -> cloner.clone(ctx, config))
 *     .build();
 * }</pre>
 *
 * <p>The engine checks each attempt's evaluated config against the schema before the step runs and ends
 * the step {@code Failed} ({@code invalid config: config.repoURL: is required}) when it does not match, so
 * the step itself never checks it again (see {@link StepAttempt}). The schema also drives validation of
 * literal config values and the generated reference page's field table; its top-level {@code description}
 * is the step's description unless one is given.
 */
public final class StepDefinition {

  private StepDefinition() {}

  /**
   * Starts a definition.
   *
   * @param name the name templates use ({@code uses: git-clone}): lower-case words joined by dashes
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds the {@link RegisteredStep}. Setters check their value and say what was wrong. */
  public static final class Builder {
    private final String name;
    private final StepOptions.Builder options = StepOptions.builder();
    private ConfigSchema schema;
    private String description;
    private StepKind kind = StepKind.BUILTIN;
    private StepRuntime runtime;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name must not be null");
    }

    /** The config's JSON Schema (checked by the engine before every attempt). */
    public Builder schema(ConfigSchema schema) {
      this.schema = Objects.requireNonNull(schema, "schema must not be null");
      return this;
    }

    /**
     * The config's JSON Schema from a class-path resource of the step module, resolved like
     * {@link Class#getResourceAsStream} ({@code "schemas/git-clone.json"} next to {@code anchor}).
     *
     * @throws IllegalArgumentException when the resource is missing or not a valid schema
     */
    public Builder schemaResource(Class<?> anchor, String resource) {
      return schema(ConfigSchema.fromResource(anchor, resource));
    }

    /** One sentence saying what the step does (default: the schema's {@code description}). */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description must not be null");
      return this;
    }

    /** The timeout when a template sets none (default: none); zero means none. */
    public Builder defaultTimeout(Duration timeout) {
      options.defaultTimeout(Objects.requireNonNull(timeout, "defaultTimeout must not be null"));
      return this;
    }

    /** Consecutive errors that end the step when a template sets none (default 1: no retries). */
    public Builder defaultErrorThreshold(int threshold) {
      options.defaultErrorThreshold(threshold);
      return this;
    }

    /**
     * How {@code promokit steps} lists the step: {@link StepKind#BUILTIN} (the default: a step module's
     * Kargo step) or {@link StepKind#IN_PROCESS} (a host's own).
     */
    public Builder kind(StepKind kind) {
      Objects.requireNonNull(kind, "kind must not be null");
      if (kind == StepKind.CONTAINER) {
        throw new IllegalArgumentException("a container step is registered from its CustomStepDefinition");
      }
      this.kind = kind;
      return this;
    }

    /** What runs the step; it reads its config with {@code ctx.config(MyConfig.class)} or {@code ctx.config()}. */
    public Builder run(StepRuntime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime must not be null");
      return this;
    }

    /**
     * What runs the step, with its config bound to {@code configType} by {@link ConfigBinder} for each
     * attempt. A config that does not bind ends the step {@code Failed} naming the field.
     */
    public <C> Builder run(Class<C> configType, TypedStep<C> step) {
      Objects.requireNonNull(configType, "configType must not be null");
      Objects.requireNonNull(step, "step must not be null");
      this.runtime = context -> step.execute(context, ConfigBinder.bind(context.config(), configType));
      return this;
    }

    /**
     * The registration.
     *
     * @throws IllegalStateException when no runtime is set
     * @throws IllegalArgumentException when the name is malformed
     */
    public RegisteredStep build() {
      if (!DefaultStepRegistry.NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("step name must match " + DefaultStepRegistry.NAME.pattern()
            + " (lower-case letters, digits and dashes), but was \"" + name + "\"");
      }
      if (runtime == null) {
        throw new IllegalStateException("step \"" + name + "\" needs a runtime (Builder.run)");
      }
      // Without a description of its own, StepOptions reads the schema's when asked (not here: a command that
      // registers every module's steps would read every schema at start).
      StepOptions built = options.configSchema(schema).description(description).build();
      return kind == StepKind.BUILTIN ? RegisteredStep.builtin(name, runtime, built)
          : RegisteredStep.host(name, runtime, built);
    }
  }
}
