package io.promokit.event;

import io.promokit.StepStatus;
import java.time.Duration;

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
 */
public record StepFinished(
    String promotion, String alias, String uses, int attempt, StepStatus status, String message, Duration duration, boolean done) {}
