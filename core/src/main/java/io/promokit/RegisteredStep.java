package io.promokit;

import java.util.Objects;

/**
 * A step known to a {@link StepRegistry}.
 *
 * @param name the name templates use it by
 * @param kind built-in, in-process or container
 * @param runtime what runs it; null for container steps, which each engine binds to its own container
 *     runtime ({@link CustomStepDefinition#bind})
 * @param options defaults, schema and description
 * @param definition for container steps, their definition; null otherwise
 */
public record RegisteredStep(
    String name, StepKind kind, StepRuntime runtime, StepOptions options, CustomStepDefinition definition) {
  public RegisteredStep {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(options, "options must not be null");
    if (kind == StepKind.CONTAINER && definition == null) {
      throw new IllegalArgumentException("container step \"" + name + "\" needs its definition");
    }
    if (kind != StepKind.CONTAINER && runtime == null) {
      throw new IllegalArgumentException(kind.label() + " step \"" + name + "\" needs a runtime");
    }
  }

  /** A built-in or in-process step. */
  public RegisteredStep(String name, StepKind kind, StepRuntime runtime, StepOptions options) {
    this(name, kind, runtime, options, null);
  }

  /** A container step: its name, defaults, schema and description come from the definition. */
  public static RegisteredStep container(CustomStepDefinition definition) {
    Objects.requireNonNull(definition, "definition must not be null");
    return new RegisteredStep(definition.name(), StepKind.CONTAINER, null, definition.toStepOptions(), definition);
  }
}
