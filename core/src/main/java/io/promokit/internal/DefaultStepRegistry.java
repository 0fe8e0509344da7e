package io.promokit.internal;

import io.promokit.CustomStepDefinition;
import io.promokit.PromotionException;
import io.promokit.RegisteredStep;
import io.promokit.StepKind;
import io.promokit.StepOptions;
import io.promokit.StepRegistry;
import io.promokit.StepRuntime;
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
    return find(name).orElseThrow(() -> new PromotionException(unknownStepMessage(name)));
  }

  /** {@code unknown step "yaml-updat"; did you mean "yaml-update"? Registered: a, b, c}. */
  public String unknownStepMessage(String name) {
    List<String> closest = closestNames(name, 3);
    StringBuilder sb = new StringBuilder("unknown step \"").append(name).append('"');
    if (!closest.isEmpty()) {
      sb.append("; did you mean ")
          .append(closest.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(" or ")))
          .append('?');
    }
    sb.append(" Registered steps: ").append(steps.isEmpty() ? "(none)" : String.join(", ", new TreeMap<>(steps).keySet()));
    return sb.toString();
  }

  @Override
  public List<RegisteredStep> steps() {
    return steps.values().stream().sorted(Comparator.comparing(RegisteredStep::name)).toList();
  }

  @Override
  public List<String> closestNames(String name, int limit) {
    if (name == null || limit <= 0) {
      return List.of();
    }
    // Only names reasonably close: at most a third of the longer name may differ.
    return steps.keySet().stream()
        .map(candidate -> Map.entry(candidate, EditDistance.between(name, candidate)))
        .filter(e -> e.getValue() <= Math.max(2, Math.max(name.length(), e.getKey().length()) / 3))
        .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .limit(limit)
        .map(Map.Entry::getKey)
        .toList();
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
      return new RegisteredStep(name, StepKind.IN_PROCESS, runtime, options);
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
