package io.promokit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What happened to one step of a promotion, as the record's {@code steps[]} entry (CLI.md).
 *
 * @param alias the step's full alias
 * @param uses the step's name
 * @param task the name of the task it was inflated from, or null
 * @param status its status
 * @param attempts how many times it was invoked (0 when it never ran)
 * @param message its message (empty when none)
 * @param startedAt when it first started, or null when it never ran
 * @param finishedAt when its last attempt ended, or null
 * @param durationMs from first start to last end, or null when it never ran
 * @param config the evaluated config of the last attempt (empty when it never evaluated)
 * @param outputs its outputs after the last attempt
 * @param container what a container step last ran, or null for other steps
 * @param continueOnError whether the step was marked {@code continueOnError}
 * @param consecutiveErrors retryable errors in a row so far (kept for resume)
 * @param nextAttemptAt for a {@code Running} step, when it is due again; otherwise null
 * @param previousOutputs the last non-empty outputs of an earlier attempt, when the last attempt produced none
 *     (an error): what the step sees as {@link StepContext#previousOutputs()} after a resume; null otherwise
 */
@JsonPropertyOrder({
  "alias", "uses", "task", "status", "attempts", "message", "startedAt", "finishedAt", "durationMs",
  "config", "outputs", "container", "continueOnError", "consecutiveErrors", "nextAttemptAt", "previousOutputs"
})
public record StepRecord(
    @JsonProperty("alias") String alias,
    @JsonProperty("uses") String uses,
    @JsonProperty("task") @JsonInclude(JsonInclude.Include.ALWAYS) String task,
    @JsonProperty("status") StepStatus status,
    @JsonProperty("attempts") int attempts,
    @JsonProperty("message") String message,
    @JsonProperty("startedAt") @JsonInclude(JsonInclude.Include.NON_NULL) Instant startedAt,
    @JsonProperty("finishedAt") @JsonInclude(JsonInclude.Include.NON_NULL) Instant finishedAt,
    @JsonProperty("durationMs") @JsonInclude(JsonInclude.Include.NON_NULL) Long durationMs,
    @JsonProperty("config") Map<String, Object> config,
    @JsonProperty("outputs") Map<String, Object> outputs,
    @JsonProperty("container") @JsonInclude(JsonInclude.Include.NON_NULL) ContainerReport container,
    @JsonProperty("continueOnError") boolean continueOnError,
    @JsonProperty("consecutiveErrors") int consecutiveErrors,
    @JsonProperty("nextAttemptAt") @JsonInclude(JsonInclude.Include.NON_NULL) Instant nextAttemptAt,
    @JsonProperty("previousOutputs") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> previousOutputs) {

  public StepRecord {
    Objects.requireNonNull(alias, "alias must not be null");
    Objects.requireNonNull(uses, "uses must not be null");
    Objects.requireNonNull(status, "status must not be null");
    message = message == null ? "" : message;
    config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
    outputs = outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    previousOutputs = previousOutputs == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(previousOutputs));
  }
}
