package io.promokit;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A step's technical failure. Thrown by a {@link StepRuntime}, it makes the attempt {@code Errored}.
 * By default it is retryable: it counts toward the step's error threshold and the step is tried again
 * after a backoff. {@link #terminal(String)} makes it final at once.
 */
public class StepException extends PromotionException {
  private static final long serialVersionUID = 1L;

  private final boolean terminal;
  private final Duration retryAfter;
  private final Map<String, Object> outputs;

  protected StepException(String message, Throwable cause, boolean terminal, Duration retryAfter) {
    this(message, cause, terminal, retryAfter, Map.of());
  }

  private StepException(String message, Throwable cause, boolean terminal, Duration retryAfter,
      Map<String, ?> outputs) {
    super(message, cause);
    this.terminal = terminal;
    this.retryAfter = retryAfter;
    this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /** A retryable error. */
  public StepException(String message) {
    this(message, null, false, null);
  }

  /** A retryable error with a cause. */
  public StepException(String message, Throwable cause) {
    this(message, cause, false, null);
  }

  /** An error that is final: the step is {@code Errored} without retry. */
  public static StepException terminal(String message) {
    return new StepException(message, null, true, null);
  }

  /** An error that is final, with a cause. */
  public static StepException terminal(String message, Throwable cause) {
    return new StepException(message, cause, true, null);
  }

  /** A retryable error whose step suggests when to try again (instead of the engine's backoff). */
  public static StepException retryAfter(String message, Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, but was " + delay);
    }
    return new StepException(message, null, false, delay);
  }

  /**
   * The same error, carrying outputs: the step's {@code outputs[alias]} after this attempt, and what it sees
   * as {@link StepContext#previousOutputs()} on its next attempt (Kargo steps that error while keeping their
   * output, such as {@code argocd-wait}'s record of health statuses).
   */
  public StepException withOutputs(Map<String, ?> outputs) {
    Objects.requireNonNull(outputs, "outputs must not be null");
    StepException copy = new StepException(getMessage(), getCause(), terminal, retryAfter, outputs);
    copy.setStackTrace(getStackTrace());
    return copy;
  }

  /** The outputs the step gave with this error (empty unless {@link #withOutputs} was used). */
  public Map<String, Object> outputs() {
    return outputs;
  }

  /** Whether the step must not be retried. */
  public boolean isTerminal() {
    return terminal;
  }

  /** The delay the step suggests before the next attempt, if any. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
