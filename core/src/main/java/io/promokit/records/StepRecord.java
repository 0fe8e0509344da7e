package io.promokit.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.promokit.StepContext;
import io.promokit.StepStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one step of a promotion, as the record's {@code steps[]} entry (CLI.md). Immutable; made with
 * {@link #builder()} (or {@link #toBuilder()} to change a copy), so that fields can be added without breaking callers.
 */
@JsonPropertyOrder({
  "alias", "uses", "task", "status", "attempts", "message", "startedAt", "finishedAt", "durationMs",
  "config", "outputs", "container", "continueOnError", "consecutiveErrors", "nextAttemptAt", "previousOutputs"
})
@JsonDeserialize(builder = StepRecord.Builder.class)
public final class StepRecord {

  private final String alias;
  private final String uses;
  private final @Nullable String task;
  private final StepStatus status;
  private final int attempts;
  private final String message;
  private final @Nullable Instant startedAt;
  private final @Nullable Instant finishedAt;
  private final @Nullable Long durationMs;
  private final Map<String, Object> config;
  private final Map<String, Object> outputs;
  private final @Nullable ContainerReport container;
  private final boolean continueOnError;
  private final int consecutiveErrors;
  private final @Nullable Instant nextAttemptAt;
  private final @Nullable Map<String, Object> previousOutputs;

  private StepRecord(Builder b) {
    this.alias = Objects.requireNonNull(b.alias, "alias must not be null");
    this.uses = Objects.requireNonNull(b.uses, "uses must not be null");
    this.status = Objects.requireNonNull(b.status, "status must not be null");
    if (b.attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative, but was " + b.attempts);
    }
    if (b.consecutiveErrors < 0) {
      throw new IllegalArgumentException("consecutiveErrors must not be negative, but was " + b.consecutiveErrors);
    }
    this.task = b.task;
    this.attempts = b.attempts;
    this.message = b.message == null ? "" : b.message;
    this.startedAt = b.startedAt;
    this.finishedAt = b.finishedAt;
    this.durationMs = b.durationMs;
    this.config = copy(b.config);
    this.outputs = copy(b.outputs);
    this.container = b.container;
    this.continueOnError = b.continueOnError;
    this.consecutiveErrors = b.consecutiveErrors;
    this.nextAttemptAt = b.nextAttemptAt;
    this.previousOutputs = b.previousOutputs == null ? null : copy(b.previousOutputs);
  }

  /** A builder; {@code alias}, {@code uses} and {@code status} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this record's values, to make a changed copy. */
  public Builder toBuilder() {
    return new Builder().alias(alias).uses(uses).task(task).status(status).attempts(attempts).message(message)
        .startedAt(startedAt).finishedAt(finishedAt).durationMs(durationMs).config(config).outputs(outputs)
        .container(container).continueOnError(continueOnError).consecutiveErrors(consecutiveErrors)
        .nextAttemptAt(nextAttemptAt).previousOutputs(previousOutputs);
  }

  /** The step's full alias. */
  @JsonProperty("alias")
  public String alias() {
    return alias;
  }

  /** The step's name. */
  @JsonProperty("uses")
  public String uses() {
    return uses;
  }

  /** The name of the task it was inflated from, or null. */
  @JsonProperty("task")
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public @Nullable String task() {
    return task;
  }

  /** Its status. */
  @JsonProperty("status")
  public StepStatus status() {
    return status;
  }

  /** How many times it was invoked (0 when it never ran). */
  @JsonProperty("attempts")
  public int attempts() {
    return attempts;
  }

  /** Its message (empty when none). */
  @JsonProperty("message")
  public String message() {
    return message;
  }

  /** When it first started, or null when it never ran. */
  @JsonProperty("startedAt")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public @Nullable Instant startedAt() {
    return startedAt;
  }

  /** When its last attempt ended, or null. */
  @JsonProperty("finishedAt")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public @Nullable Instant finishedAt() {
    return finishedAt;
  }

  /** From first start to last end, or null when it never ran. */
  @JsonProperty("durationMs")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public @Nullable Long durationMs() {
    return durationMs;
  }

  /** The evaluated config of the last attempt (empty when it never evaluated). */
  @JsonProperty("config")
  public Map<String, Object> config() {
    return config;
  }

  /** Its outputs after the last attempt. */
  @JsonProperty("outputs")
  public Map<String, Object> outputs() {
    return outputs;
  }

  /** What a container step last ran, or null for other steps. */
  @JsonProperty("container")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public @Nullable ContainerReport container() {
    return container;
  }

  /** Whether the step was marked {@code continueOnError}. */
  @JsonProperty("continueOnError")
  public boolean continueOnError() {
    return continueOnError;
  }

  /** Retryable errors in a row so far (kept for resume). */
  @JsonProperty("consecutiveErrors")
  public int consecutiveErrors() {
    return consecutiveErrors;
  }

  /** For a {@code Running} step, when it is due again; otherwise null. */
  @JsonProperty("nextAttemptAt")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public @Nullable Instant nextAttemptAt() {
    return nextAttemptAt;
  }

  /**
   * The last non-empty outputs of an earlier attempt, when the last attempt produced none (an error): what the step
   * sees as {@link StepContext#previousOutputs()} after a resume; null otherwise.
   */
  @JsonProperty("previousOutputs")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public @Nullable Map<String, Object> previousOutputs() {
    return previousOutputs;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof StepRecord r && alias.equals(r.alias) && uses.equals(r.uses) && Objects.equals(task, r.task)
        && status == r.status && attempts == r.attempts && message.equals(r.message)
        && Objects.equals(startedAt, r.startedAt) && Objects.equals(finishedAt, r.finishedAt)
        && Objects.equals(durationMs, r.durationMs) && config.equals(r.config) && outputs.equals(r.outputs)
        && Objects.equals(container, r.container) && continueOnError == r.continueOnError
        && consecutiveErrors == r.consecutiveErrors && Objects.equals(nextAttemptAt, r.nextAttemptAt)
        && Objects.equals(previousOutputs, r.previousOutputs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(alias, uses, task, status, attempts, message, startedAt, finishedAt, durationMs, config,
        outputs, container, continueOnError, consecutiveErrors, nextAttemptAt, previousOutputs);
  }

  @Override
  public String toString() {
    return "StepRecord[alias=" + alias + ", uses=" + uses + ", task=" + task + ", status=" + status + ", attempts="
        + attempts + ", message=" + message + ", startedAt=" + startedAt + ", finishedAt=" + finishedAt
        + ", durationMs=" + durationMs + ", config=" + config + ", outputs=" + outputs + ", container=" + container
        + ", continueOnError=" + continueOnError + ", consecutiveErrors=" + consecutiveErrors + ", nextAttemptAt="
        + nextAttemptAt + ", previousOutputs=" + previousOutputs + "]";
  }

  private static Map<String, Object> copy(@Nullable Map<String, Object> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** Builds a {@link StepRecord}; also how its JSON is read. Not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private @Nullable String alias;
    private @Nullable String uses;
    private @Nullable String task;
    private @Nullable StepStatus status;
    private int attempts;
    private @Nullable String message = "";
    private @Nullable Instant startedAt;
    private @Nullable Instant finishedAt;
    private @Nullable Long durationMs;
    private @Nullable Map<String, Object> config = Map.of();
    private @Nullable Map<String, Object> outputs = Map.of();
    private @Nullable ContainerReport container;
    private boolean continueOnError;
    private int consecutiveErrors;
    private @Nullable Instant nextAttemptAt;
    private @Nullable Map<String, Object> previousOutputs;

    private Builder() {}

    /** The step's full alias (required). */
    public Builder alias(String alias) {
      this.alias = alias;
      return this;
    }

    /** The step's name (required). */
    public Builder uses(String uses) {
      this.uses = uses;
      return this;
    }

    /** The task it was inflated from; null (the default) for a step of the template itself. */
    public Builder task(@Nullable String task) {
      this.task = task;
      return this;
    }

    /** Its status (required). */
    public Builder status(StepStatus status) {
      this.status = status;
      return this;
    }

    /** How many times it was invoked (default 0). */
    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    /** Its message; null means none (the default). */
    public Builder message(@Nullable String message) {
      this.message = message;
      return this;
    }

    /** When it first started. */
    public Builder startedAt(@Nullable Instant startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    /** When its last attempt ended. */
    public Builder finishedAt(@Nullable Instant finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    /** From first start to last end, in milliseconds. */
    public Builder durationMs(@Nullable Long durationMs) {
      this.durationMs = durationMs;
      return this;
    }

    /** The evaluated config of the last attempt (copied; null means empty). */
    public Builder config(@Nullable Map<String, Object> config) {
      this.config = config;
      return this;
    }

    /** Its outputs after the last attempt (copied; null means empty). */
    public Builder outputs(@Nullable Map<String, Object> outputs) {
      this.outputs = outputs;
      return this;
    }

    /** What a container step last ran. */
    public Builder container(@Nullable ContainerReport container) {
      this.container = container;
      return this;
    }

    /** Whether the step was marked {@code continueOnError}. */
    public Builder continueOnError(boolean continueOnError) {
      this.continueOnError = continueOnError;
      return this;
    }

    /** Retryable errors in a row so far. */
    public Builder consecutiveErrors(int consecutiveErrors) {
      this.consecutiveErrors = consecutiveErrors;
      return this;
    }

    /** For a {@code Running} step, when it is due again. */
    public Builder nextAttemptAt(@Nullable Instant nextAttemptAt) {
      this.nextAttemptAt = nextAttemptAt;
      return this;
    }

    /** The last non-empty outputs of an earlier attempt, when the last attempt produced none (copied). */
    public Builder previousOutputs(@Nullable Map<String, Object> previousOutputs) {
      this.previousOutputs = previousOutputs;
      return this;
    }

    /**
     * The record.
     *
     * @throws NullPointerException when alias, uses or status is missing
     * @throws IllegalArgumentException when a count is negative
     */
    public StepRecord build() {
      return new StepRecord(this);
    }
  }
}
