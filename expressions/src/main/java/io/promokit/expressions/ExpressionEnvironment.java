package io.promokit.expressions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an expression can see: its root variables ({@code ctx}, {@code vars}, {@code outputs},
 * {@code task}, {@code config}, {@code output}, ...) and the host services behind the functions.
 * Immutable; build one per evaluation scope.
 *
 * <p>Variable values are plain Java values: maps, lists, strings, numbers, booleans, null. Missing map
 * keys read as null. The maps are not copied deeply; callers must not change them during evaluation.
 */
public final class ExpressionEnvironment {

  private static final ExpressionEnvironment EMPTY = builder().build();

  private final Map<String, Object> variables;
  private final StepStatusView statusView;
  private final SecretSource secrets;
  private final ConfigMapSource configMaps;
  private final FreightLookup freight;
  private final SecretMasker masker;

  private ExpressionEnvironment(Builder b) {
    this.variables = Collections.unmodifiableMap(new LinkedHashMap<>(b.variables));
    this.statusView = b.statusView;
    this.secrets = b.secrets;
    this.configMaps = b.configMaps;
    this.freight = b.freight;
    this.masker = b.masker != null ? b.masker : new SecretMasker();
  }

  /** An environment with no variables and no host services. */
  public static ExpressionEnvironment empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this environment's settings, to add or replace variables. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.variables.putAll(variables);
    b.statusView = statusView;
    b.secrets = secrets;
    b.configMaps = configMaps;
    b.freight = freight;
    b.masker = masker;
    return b;
  }

  /** The root variables by name. */
  public Map<String, Object> variables() {
    return variables;
  }

  /** The step history for the status functions; empty where they are not allowed (in vars). */
  public Optional<StepStatusView> statusView() {
    return Optional.ofNullable(statusView);
  }

  public SecretSource secrets() {
    return secrets;
  }

  public ConfigMapSource configMaps() {
    return configMaps;
  }

  /** The freight lookup; empty when the host has none (the freight functions then fail). */
  public Optional<FreightLookup> freight() {
    return Optional.ofNullable(freight);
  }

  /** Where secret values returned by {@code secret()} are registered. */
  public SecretMasker masker() {
    return masker;
  }

  /** Builds {@link ExpressionEnvironment}s. */
  public static final class Builder {
    private final Map<String, Object> variables = new LinkedHashMap<>();
    private StepStatusView statusView;
    private SecretSource secrets = SecretSource.NONE;
    private ConfigMapSource configMaps = ConfigMapSource.NONE;
    private FreightLookup freight;
    private SecretMasker masker;

    private Builder() {}

    /** Sets a root variable, for example {@code variable("vars", Map.of("a", 1))}. */
    public Builder variable(String name, Object value) {
      Objects.requireNonNull(name, "variable name must not be null");
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("variable name must be an identifier, but was \"" + name + "\"");
      }
      variables.put(name, value);
      return this;
    }

    /** Sets several root variables. */
    public Builder variables(Map<String, ?> values) {
      Objects.requireNonNull(values, "variables must not be null");
      values.forEach(this::variable);
      return this;
    }

    /** The step history for {@code success()}, {@code failure()}, {@code status()}; null disables them. */
    public Builder statusView(StepStatusView statusView) {
      this.statusView = statusView;
      return this;
    }

    public Builder secrets(SecretSource secrets) {
      this.secrets = Objects.requireNonNull(secrets, "secrets must not be null (use SecretSource.NONE)");
      return this;
    }

    public Builder configMaps(ConfigMapSource configMaps) {
      this.configMaps =
          Objects.requireNonNull(configMaps, "configMaps must not be null (use ConfigMapSource.NONE)");
      return this;
    }

    /** The host's freight lookup; null (the default) makes the freight functions fail clearly. */
    public Builder freight(FreightLookup freight) {
      this.freight = freight;
      return this;
    }

    /** The masker to register secrets with (default: a new one per environment). */
    public Builder masker(SecretMasker masker) {
      this.masker = Objects.requireNonNull(masker, "masker must not be null");
      return this;
    }

    public ExpressionEnvironment build() {
      return new ExpressionEnvironment(this);
    }
  }
}
