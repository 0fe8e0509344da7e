package io.promokit.steps.oci;

import io.promokit.StepContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops an attempt's transfers when the step is cancelled (abort, timeout): registered once with the step
 * context, it runs the stop action of every exchange still in flight.
 */
final class Cancellation {

  private final Set<Runnable> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  Cancellation(StepContext context) {
    context.onCancel(this::cancel);
  }

  /** A cancellation nobody triggers (for code that runs outside a step). */
  Cancellation() {}

  boolean isCancelled() {
    return cancelled;
  }

  /** Runs {@code stop} when the attempt is cancelled, until the returned handle is closed. */
  Registration track(Runnable stop) {
    inFlight.add(stop);
    if (cancelled) {
      stop.run();
    }
    return () -> inFlight.remove(stop);
  }

  void throwIfCancelled() throws InterruptedException {
    if (cancelled) {
      throw new InterruptedException("the step was cancelled");
    }
  }

  private void cancel() {
    cancelled = true;
    inFlight.forEach(Runnable::run);
  }

  /** Ends a {@link #track} registration. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
