package io.promokit.internal.engine;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import io.promokit.steps.kit.StepAttempt;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt of a step, run on a worker thread of the engine's executor. Its completion notifies the run's
 * monitor, so the coordinator waiting there wakes up; {@link #cancel()} may come from any thread.
 */
final class AttemptJob implements Runnable {

  final StepState state;
  private final StepRuntime runtime;
  private final DefaultStepContext ctx;
  private final Cancellation cancellation;
  private final Object monitor;
  private volatile Future<?> future;
  private volatile boolean done;
  private volatile boolean cancelled;
  /** Claimed by whichever comes first: the worker starting the step, or a cancellation before that. */
  private final AtomicBoolean claimed = new AtomicBoolean();
  private volatile StepResult result;
  private volatile Throwable error;

  AttemptJob(StepState state, StepRuntime runtime, DefaultStepContext ctx, Cancellation cancellation, Object monitor) {
    this.state = state;
    this.runtime = runtime;
    this.ctx = ctx;
    this.cancellation = cancellation;
    this.monitor = monitor;
  }

  @Override
  public void run() {
    if (!claimed.compareAndSet(false, true)) {
      return; // cancelled before it started: cancel() has marked it done
    }
    try {
      StepResult r = StepAttempt.execute(runtime, ctx);
      if (r == null) {
        throw new StepException("the step returned no result (null)");
      }
      result = r;
    } catch (Throwable t) {
      error = t;
    } finally {
      markDone();
    }
  }

  /** Cancels the attempt: its cancellation actions run, its thread is interrupted, or it never starts. */
  void cancel() {
    cancelled = true;
    cancellation.cancel();
    if (claimed.compareAndSet(false, true)) {
      // The step never started (its task may never run at all): nothing to wait for.
      markDone();
    }
    Future<?> f = future;
    if (f != null) {
      f.cancel(true);
    }
  }

  void started(Future<?> future) {
    this.future = future;
  }

  /** The executor refused the attempt: it ends with this error, never having started. */
  void refused(Throwable error) {
    this.error = error;
  }

  boolean isDone() {
    return done;
  }

  boolean wasCancelled() {
    return cancelled;
  }

  StepResult result() {
    return result;
  }

  Throwable error() {
    return error;
  }

  DefaultStepContext context() {
    return ctx;
  }

  private void markDone() {
    synchronized (monitor) {
      done = true;
      monitor.notifyAll();
    }
  }
}
