package io.promokit.internal;

import io.promokit.CustomStepDefinition;
import io.promokit.PromotionException;
import io.promokit.RegisteredStep;
import io.promokit.StepOptions;
import io.promokit.StepRegistry;
import io.promokit.StepRuntime;
import io.promokit.expressions.ClosestNames;
import io.promokit.steps.BuiltinSteps;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The immutable map-backed {@link StepRegistry}. */
public final class DefaultStepRegistry implements StepRegistry {

  /** Step names: lower-case words joined by dashes, as Kargo's step names and Kubernetes names are. */
  public static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  private final Map<String, RegisteredStep> steps;

  private DefaultStepRegistry(Map<String, RegisteredStep> steps) {
    this.steps = Map.copyOf(steps);
  }

  public static Builder builder() {
    return new RegistryBuilder();
  }

  @Override
  public Optional<RegisteredStep> find(String name) {
    return Optional.ofNullable(name == null ? null : steps.get(name));
  }

  @Override
  public RegisteredStep require(String name) {
    return find(name).orElseThrow(() -> new PromotionException(unknownStepMessage(this, name)));
  }

  /** Unknown names list the registered steps when there are at most this many. */
  private static final int LIST_LIMIT = 20;

  /**
   * {@code unknown step "yaml-updat"; did you mean "yaml-update"?}, or, when no name is close, the list of
   * registered steps (or how many there are, when there are many).
   */
  public static String unknownStepMessage(StepRegistry registry, String name) {
    List<String> closest = registry.closestNames(name, 3);
    StringBuilder message = new StringBuilder("unknown step \"").append(name).append('"');
    if (!closest.isEmpty()) {
      return message.append("; did you mean ")
          .append(closest.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(" or ")))
          .append('?').toString();
    }
    List<RegisteredStep> registered = registry.steps();
    if (registered.isEmpty()) {
      return message.append(" (no steps are registered)").toString();
    }
    if (registered.size() > LIST_LIMIT) {
      return message.append(" (none of the ").append(registered.size())
          .append(" registered steps has a similar name)").toString();
    }
    return message.append(" (registered steps: ")
        .append(registered.stream().map(RegisteredStep::name).collect(Collectors.joining(", "))).append(')')
        .toString();
  }

  @Override
  public List<RegisteredStep> steps() {
    return steps.values().stream().sorted(Comparator.comparing(RegisteredStep::name)).toList();
  }

  @Override
  public List<String> closestNames(String name, int limit) {
    return ClosestNames.of(name, steps.keySet(), limit);
  }

  /** Collects registrations; {@link #build()} freezes them. */
  public static class RegistryBuilder implements Builder {
    protected final Map<String, RegisteredStep> steps = new TreeMap<>();

    @Override
    public Builder withBuiltins() {
      BuiltinSteps.all().forEach(step -> add(step, false));
      return this;
    }

    @Override
    public Builder register(String name, StepRuntime runtime, StepOptions options) {
      return add(inProcess(name, runtime, options), false);
    }

    @Override
    public Builder replace(String name, StepRuntime runtime, StepOptions options) {
      return add(inProcess(name, runtime, options), true);
    }

    @Override
    public Builder register(CustomStepDefinition definition) {
      return add(RegisteredStep.container(definition), false);
    }

    @Override
    public Builder replace(CustomStepDefinition definition) {
      return add(RegisteredStep.container(definition), true);
    }

    @Override
    public Builder register(RegisteredStep step) {
      return add(Objects.requireNonNull(step, "step must not be null"), false);
    }

    @Override
    public Builder replace(RegisteredStep step) {
      return add(Objects.requireNonNull(step, "step must not be null"), true);
    }

    /** Adds a step of any kind; {@code replace} allows overriding a step of the same name. */
    public Builder add(RegisteredStep step, boolean replace) {
      checkName(step.name());
      RegisteredStep previous = steps.get(step.name());
      if (previous != null && !replace) {
        throw new IllegalArgumentException("a step named \"" + step.name() + "\" is already registered ("
            + previous.kind().label() + "); register with replace to override it");
      }
      steps.put(step.name(), step);
      return this;
    }

    private static RegisteredStep inProcess(String name, StepRuntime runtime, StepOptions options) {
      Objects.requireNonNull(runtime, "runtime must not be null");
      Objects.requireNonNull(options, "options must not be null (use StepOptions.DEFAULTS)");
      return RegisteredStep.host(name, runtime, options);
    }

    private static void checkName(String name) {
      Objects.requireNonNull(name, "step name must not be null");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("step name must match " + NAME.pattern()
            + " (lower-case letters, digits and dashes), but was \"" + name + "\"");
      }
    }

    @Override
    public StepRegistry build() {
      return new DefaultStepRegistry(steps);
    }
  }
}
