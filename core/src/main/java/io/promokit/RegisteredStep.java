package io.promokit;

import java.util.Objects;

/**
 * A step known to a {@link StepRegistry}.
 *
 * @param name the name templates use it by
 * @param kind built-in, in-process or container
 * @param runtime what runs it (for container steps, the engine binds the definition to its runtime)
 * @param options defaults, schema and description
 */
public record RegisteredStep(String name, StepKind kind, StepRuntime runtime, StepOptions options) {
  public RegisteredStep {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(options, "options must not be null");
  }
}
