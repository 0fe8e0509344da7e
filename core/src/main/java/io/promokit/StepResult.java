package io.promokit;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one attempt of a step: succeeded (with outputs), skipped (there was nothing to do; final,
 * and like success it does not stop later steps), failed (a business failure: the thing checked is not OK;
 * final), or running (not done yet: invoke again after a delay). Technical errors are thrown as
 * {@link StepException} instead.
 */
public final class StepResult {

  private final StepStatus status;
  private final Map<String, Object> outputs;
  private final String message;
  private final Duration retryAfter;

  private StepResult(StepStatus status, Map<String, Object> outputs, String message, Duration retryAfter) {
    this.status = status;
    this.outputs = outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    this.message = message == null ? "" : message;
    this.retryAfter = retryAfter;
  }

  /** Succeeded with no outputs. */
  public static StepResult succeeded() {
    return new StepResult(StepStatus.SUCCEEDED, Map.of(), "", null);
  }

  /** Succeeded with outputs, readable by later steps as {@code outputs['<alias>']}. */
  public static StepResult succeeded(Map<String, ?> outputs) {
    return new StepResult(StepStatus.SUCCEEDED, copy(outputs), "", null);
  }

  /**
   * Skipped (final): the step found nothing to do, as Kargo's steps report it (git-commit with no change,
   * git-open-pr when the branches are equal). Later steps read {@code outputs} as after a success; a
   * Skipped step never counts as a failure for an empty {@code if}.
   */
  public static StepResult skipped(String message, Map<String, ?> outputs) {
    return new StepResult(StepStatus.SKIPPED, copy(outputs), Objects.requireNonNull(message, "message"), null);
  }

  /** Failed (final): the thing checked is not OK. */
  public static StepResult failed(String message) {
    return new StepResult(StepStatus.FAILED, Map.of(), Objects.requireNonNull(message, "message"), null);
  }

  /** Failed (final), with outputs. */
  public static StepResult failed(String message, Map<String, ?> outputs) {
    return new StepResult(StepStatus.FAILED, copy(outputs), Objects.requireNonNull(message, "message"), null);
  }

  /**
   * Not done yet: the engine invokes the step again after {@code retryAfter} (or its own delay when
   * null). Does not count as an error, and resets the consecutive error count.
   */
  public static StepResult running(Duration retryAfter) {
    return running(retryAfter, Map.of(), "");
  }

  /** Not done yet, with outputs so far and a message. */
  public static StepResult running(Duration retryAfter, Map<String, ?> outputs, String message) {
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative, but was " + retryAfter);
    }
    return new StepResult(StepStatus.RUNNING, copy(outputs), message, retryAfter);
  }

  /**
   * {@link StepStatus#SUCCEEDED}, {@link StepStatus#SKIPPED}, {@link StepStatus#FAILED} or
   * {@link StepStatus#RUNNING}.
   */
  public StepStatus status() {
    return status;
  }

  public Map<String, Object> outputs() {
    return outputs;
  }

  /** The message, empty when none. */
  public String message() {
    return message;
  }

  /** For a running result, the delay the step asks for. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  private static Map<String, Object> copy(Map<String, ?> outputs) {
    Objects.requireNonNull(outputs, "outputs must not be null");
    return new LinkedHashMap<>(outputs);
  }

  @Override
  public String toString() {
    return status + (message.isEmpty() ? "" : ": " + message) + " " + outputs;
  }
}
