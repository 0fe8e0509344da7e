package io.promokit.event;

import io.promokit.StepStatus;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An attempt of a step ended (or the step was skipped).
 *
 * @param promotion the promotion's name
 * @param alias the step's alias
 * @param uses the step's name
 * @param attempt the attempt that ended (0 for a step that never started)
 * @param status the step's status after this attempt ({@code Running} while it waits or retries)
 * @param message the step's message (secrets masked), empty when none
 * @param duration how long this attempt took
 * @param done whether the step will not run again
 * @param error what the attempt threw, secrets masked ({@link StepError}); null when it returned a result, timed
 *     out, was aborted or never ran. {@link #thrown()} reads it as an {@code Optional}.
 */
public record StepFinished(
    String promotion, String alias, String uses, int attempt, StepStatus status, String message, Duration duration,
    boolean done, @Nullable StepError error) {

  /** An attempt that threw nothing. */
  public StepFinished(
      String promotion, String alias, String uses, int attempt, StepStatus status, String message, Duration duration,
      boolean done) {
    this(promotion, alias, uses, attempt, status, message, duration, done, null);
  }

  /** What the attempt threw (secrets masked), if it threw. */
  public Optional<StepError> thrown() {
    return Optional.ofNullable(error);
  }
}
