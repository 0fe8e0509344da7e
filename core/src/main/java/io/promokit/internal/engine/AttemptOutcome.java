package io.promokit.internal.engine;

/** How an attempt ended, as the coordinator saw it. */
enum AttemptOutcome {
  /** The step returned a {@link io.promokit.StepResult}. */
  RESULT,
  /** The step threw (or could not start). */
  ERROR,
  /** The step's deadline came first; the attempt was cancelled. */
  TIMED_OUT,
  /** An abort came first; the attempt was cancelled. */
  ABORTED
}
