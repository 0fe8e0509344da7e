package io.promokit;

import java.util.Objects;

/**
 * A step known to a {@link StepRegistry}: one of three kinds, each holding exactly what it needs.
 *
 * <ul>
 *   <li>{@link Builtin}: shipped with promokit or a step module, run in the JVM by its {@link StepRuntime};
 *   <li>{@link Host}: a host's own {@link StepRuntime};
 *   <li>{@link Container}: a {@code CustomPromotionStep}, which each engine binds to its own container runtime
 *       ({@link CustomStepDefinition#bind}).
 * </ul>
 */
public sealed interface RegisteredStep permits RegisteredStep.Builtin, RegisteredStep.Host, RegisteredStep.Container {

  /** The name templates use it by. */
  String name();

  /** Defaults, schema and description. */
  StepOptions options();

  /** Its kind, as {@code promokit steps} prints it. */
  StepKind kind();

  /** A built-in step (promokit's, or a step module's). */
  static Builtin builtin(String name, StepRuntime runtime, StepOptions options) {
    return new Builtin(name, runtime, options);
  }

  /** A host's own in-process step. */
  static Host host(String name, StepRuntime runtime, StepOptions options) {
    return new Host(name, runtime, options);
  }

  /** A container step: its name, defaults, schema and description come from the definition. */
  static Container container(CustomStepDefinition definition) {
    return new Container(definition);
  }

  /**
   * A built-in step, run in the JVM.
   *
   * @param name the name templates use it by
   * @param runtime what runs it
   * @param options defaults, schema and description
   */
  record Builtin(String name, StepRuntime runtime, StepOptions options) implements RegisteredStep {
    /** Checks that nothing is null. */
    public Builtin {
      requireName(name);
      Objects.requireNonNull(runtime, "runtime must not be null");
      Objects.requireNonNull(options, "options must not be null");
    }

    @Override
    public StepKind kind() {
      return StepKind.BUILTIN;
    }
  }

  /**
   * A host's own step, run in the JVM.
   *
   * @param name the name templates use it by
   * @param runtime what runs it
   * @param options defaults, schema and description
   */
  record Host(String name, StepRuntime runtime, StepOptions options) implements RegisteredStep {
    /** Checks that nothing is null. */
    public Host {
      requireName(name);
      Objects.requireNonNull(runtime, "runtime must not be null");
      Objects.requireNonNull(options, "options must not be null");
    }

    @Override
    public StepKind kind() {
      return StepKind.IN_PROCESS;
    }
  }

  /** A container step: a {@link CustomStepDefinition}, run by the engine's container runtime. */
  final class Container implements RegisteredStep {
    private final CustomStepDefinition definition;
    private final StepOptions options;

    private Container(CustomStepDefinition definition) {
      this.definition = Objects.requireNonNull(definition, "definition must not be null");
      this.options = definition.toStepOptions();
    }

    /** The step's definition. */
    public CustomStepDefinition definition() {
      return definition;
    }

    @Override
    public String name() {
      return definition.name();
    }

    @Override
    public StepOptions options() {
      return options;
    }

    @Override
    public StepKind kind() {
      return StepKind.CONTAINER;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Container c && definition.equals(c.definition);
    }

    @Override
    public int hashCode() {
      return definition.hashCode();
    }

    @Override
    public String toString() {
      return "RegisteredStep.Container[" + definition.name() + ", image " + definition.image() + "]";
    }
  }

  private static void requireName(String name) {
    Objects.requireNonNull(name, "name must not be null");
  }
}
