package io.promokit.internal.engine;

import io.promokit.StepStatus;
import io.promokit.event.StepError;
import io.promokit.event.StepFinished;
import io.promokit.expressions.SecretMasker;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** A step's changes of status during a run, each with the {@link StepFinished} event that tells listeners. */
final class StepTransitions {

  private final String promotion;
  private final StepStates steps;
  private final Listeners listeners;
  private final SecretMasker masker;
  private final Supplier<Instant> now;

  StepTransitions(String promotion, StepStates steps, Listeners listeners, SecretMasker masker, Supplier<Instant> now) {
    this.promotion = promotion;
    this.steps = steps;
    this.listeners = listeners;
    this.masker = masker;
    this.now = now;
  }

  /** The step does not run ({@code if} false, an earlier failure, an abort): {@code Skipped}, no attempts. */
  void skip(StepState state, String message) {
    state.status = StepStatus.SKIPPED;
    state.message = message;
    listeners.stepFinished(new StepFinished(promotion, state.alias(), state.step.uses(), 0,
        StepStatus.SKIPPED, message, Duration.ZERO, true));
  }

  /** The step does not run because the promotion was aborted before it started: {@code Skipped}. */
  void skipForAbort(StepState state) {
    state.skippedByAbort = true;
    skip(state, StepMessages.NOT_RUN_ABORTED);
  }

  /** The step ends without (another) attempt. */
  void finish(StepState state, StepStatus status, String message) {
    finish(state, status, message, Duration.ZERO);
  }

  /** The step ends; {@code took} is how long its last attempt ran. */
  void finish(StepState state, StepStatus status, String message, Duration took) {
    finish(state, status, message, took, null);
  }

  /** The step ends; {@code error} is what its last attempt threw, masked, or null. */
  void finish(StepState state, StepStatus status, String message, Duration took, StepError error) {
    state.status = status;
    state.message = message == null ? "" : message;
    state.finishedAt = now.get();
    state.nextAttemptAt = null;
    steps.noteStatus(state);
    listeners.stepFinished(new StepFinished(promotion, state.alias(), state.step.uses(), state.attempts,
        status, masker.mask(state.message), took, true, error));
  }

  /** The step goes on after {@code delay} (a poll or a retry): {@code Running}, not done. */
  void waitAgain(StepState state, String message, Duration delay, Duration took) {
    waitAgain(state, message, delay, took, null);
  }

  /** The step is retried after {@code delay}; {@code error} is what the attempt threw, masked. */
  void waitAgain(StepState state, String message, Duration delay, Duration took, StepError error) {
    state.status = StepStatus.RUNNING;
    state.message = message == null ? "" : message;
    state.nextAttemptAt = now.get().plus(delay);
    listeners.stepFinished(new StepFinished(promotion, state.alias(), state.step.uses(), state.attempts,
        StepStatus.RUNNING, masker.mask(state.message), took, false, error));
  }
}
