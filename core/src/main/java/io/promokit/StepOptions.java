package io.promokit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a registered step behaves unless a template says otherwise: default timeout and error threshold,
 * a config schema checked before the step runs (and by validation), and a description.
 */
public final class StepOptions {

  /** Threshold 1 (no retries), no timeout, no schema. */
  public static final StepOptions DEFAULTS = builder().build();

  private final Duration defaultTimeout;
  private final int defaultErrorThreshold;
  private final ConfigSchema configSchema;
  private final String description;

  private StepOptions(Builder b) {
    this.defaultTimeout = b.defaultTimeout;
    this.defaultErrorThreshold = b.defaultErrorThreshold;
    this.configSchema = b.configSchema;
    this.description = b.description;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The timeout when a template sets none; empty means no timeout. */
  public Optional<Duration> defaultTimeout() {
    return Optional.ofNullable(defaultTimeout);
  }

  /** Consecutive errors that make the step Errored when a template sets none (at least 1). */
  public int defaultErrorThreshold() {
    return defaultErrorThreshold;
  }

  public Optional<ConfigSchema> configSchema() {
    return Optional.ofNullable(configSchema);
  }

  /**
   * One sentence saying what the step does: the one given to the builder, else the config schema's top-level
   * {@code description} (read when first asked, so registering many steps does not read their schemas), else
   * empty.
   */
  public String description() {
    if (!description.isEmpty() || configSchema == null) {
      return description;
    }
    return configSchema.asMap().get("description") instanceof String d ? d : "";
  }

  /** Builds {@link StepOptions}. */
  public static final class Builder {
    private Duration defaultTimeout;
    private int defaultErrorThreshold = 1;
    private ConfigSchema configSchema;
    private String description = "";

    private Builder() {}

    /** Default timeout; null or zero means none. */
    public Builder defaultTimeout(Duration timeout) {
      if (timeout != null && timeout.isNegative()) {
        throw new IllegalArgumentException("defaultTimeout must not be negative, but was " + timeout);
      }
      this.defaultTimeout = timeout == null || timeout.isZero() ? null : timeout;
      return this;
    }

    public Builder defaultErrorThreshold(int threshold) {
      if (threshold < 1) {
        throw new IllegalArgumentException("defaultErrorThreshold must be at least 1, but was " + threshold);
      }
      this.defaultErrorThreshold = threshold;
      return this;
    }

    public Builder configSchema(ConfigSchema schema) {
      this.configSchema = schema;
      return this;
    }

    /** One sentence saying what the step does (default: the config schema's {@code description}, else empty). */
    public Builder description(String description) {
      this.description = Objects.requireNonNullElse(description, "");
      return this;
    }

    public StepOptions build() {
      return new StepOptions(this);
    }
  }
}
