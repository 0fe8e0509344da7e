package io.promokit.internal.engine;

import io.promokit.StepException;
import io.promokit.Timekeeper;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The thread coordination of one run: runs each attempt on the engine's executor and waits for it on one
 * monitor that the attempt's completion, an abort and the engine's clock all wake, with the step's deadline
 * as the limit. On a timeout or an abort it cancels the attempt and gives it the cancel grace to finish before
 * leaving it behind. Backoff and polling waits use the same monitor, so an abort ends them at once.
 *
 * <p>An interrupt of the coordinator's thread is a hard abort: the waits throw {@link Interrupted}.
 */
final class AttemptRunner {

  /** What abort the host asked for. */
  enum Abort { NONE, HARD, GRACEFUL }

  private final Object monitor = new Object();
  private final Timekeeper timekeeper;
  private final ExecutorService executor;
  private final Duration cancelGrace;
  private volatile Abort abort = Abort.NONE;
  private volatile AttemptJob current;

  AttemptRunner(Timekeeper timekeeper, ExecutorService executor, Duration cancelGrace) {
    this.timekeeper = timekeeper;
    this.executor = executor;
    this.cancelGrace = cancelGrace;
  }

  /** The monitor attempts notify when they are done. */
  Object monitor() {
    return monitor;
  }

  Abort abort() {
    return abort;
  }

  /** Asks the run to abort (from any thread); a hard abort wins over a graceful one. */
  void requestAbort(boolean graceful) {
    synchronized (monitor) {
      if (abort == Abort.NONE || (abort == Abort.GRACEFUL && !graceful)) {
        abort = graceful ? Abort.GRACEFUL : Abort.HARD;
      }
      monitor.notifyAll();
    }
    AttemptJob attempt = current;
    if (attempt != null && abortStops(attempt.state)) {
      attempt.cancel();
    }
  }

  /**
   * Whether the requested abort stops this step: a hard abort stops any step; a graceful one stops the step
   * that was running when it came, not the clean-up steps started after it.
   */
  boolean abortStops(StepState state) {
    Abort mode = abort;
    return mode == Abort.HARD || (mode == Abort.GRACEFUL && !state.cleanup);
  }

  /** Runs the attempt until it ends, the deadline (null: none) passes or an abort stops it. */
  AttemptOutcome run(AttemptJob attempt, Instant deadline) {
    current = attempt;
    try {
      try {
        attempt.started(executor.submit(attempt));
      } catch (RejectedExecutionException e) {
        attempt.refused(new StepException("cannot start the step: the engine's executor refused it (" + e.getMessage() + ")"));
        return AttemptOutcome.ERROR;
      }
      if (abortStops(attempt.state)) {
        attempt.cancel();
      }
      boolean timedOut = false;
      synchronized (monitor) {
        while (!attempt.isDone() && !abortStops(attempt.state)) {
          if (deadline != null && !timekeeper.now().isBefore(deadline)) {
            timedOut = true;
            break;
          }
          awaitOnMonitor(deadline);
        }
      }
      if (attempt.isDone() && !attempt.wasCancelled()) {
        return attempt.error() != null ? AttemptOutcome.ERROR : AttemptOutcome.RESULT;
      }
      attempt.cancel();
      awaitCancelled(attempt);
      return timedOut ? AttemptOutcome.TIMED_OUT : AttemptOutcome.ABORTED;
    } finally {
      current = null;
    }
  }

  /** Sleeps until {@code until} on the engine's clock, woken early by an abort that stops the step. */
  void waitUntil(StepState state, Instant until) {
    synchronized (monitor) {
      while (!abortStops(state) && timekeeper.now().isBefore(until)) {
        awaitOnMonitor(until);
      }
    }
  }

  /**
   * Gives a cancelled attempt the grace to stop (and its container to go) before leaving it behind. The grace
   * is real time (System.nanoTime), not the engine's clock: it is how long a thread and an operating-system
   * process get to finish, and a manual clock in tests must not stretch or skip it.
   */
  private void awaitCancelled(AttemptJob attempt) {
    long until = System.nanoTime() + cancelGrace.toNanos();
    synchronized (monitor) {
      while (!attempt.isDone()) {
        long waitNanos = until - System.nanoTime();
        if (waitNanos <= 0) {
          return;
        }
        try {
          monitor.wait(Math.max(1, waitNanos / 1_000_000));
        } catch (InterruptedException e) {
          abortFromInterrupt();
        }
      }
    }
  }

  /** Waits on the monitor (held) until notified or the engine's clock reaches {@code deadline} (null: no limit). */
  private void awaitOnMonitor(Instant deadline) {
    try {
      timekeeper.await(monitor, deadline);
    } catch (InterruptedException e) {
      abortFromInterrupt();
    }
  }

  private void abortFromInterrupt() {
    // Called holding the monitor: set the flag here, cancel outside.
    abort = Abort.HARD;
    AttemptJob attempt = current;
    if (attempt != null) {
      attempt.cancel();
    }
    throw new Interrupted();
  }

  /** The coordinator's thread was interrupted: the run aborts. */
  static final class Interrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Interrupted() {
      super(null, null, false, false);
    }
  }
}
