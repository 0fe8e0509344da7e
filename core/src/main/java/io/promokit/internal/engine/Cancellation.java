package io.promokit.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cancellation signal of one attempt; actions registered with it run once, off the caller's thread. */
final class Cancellation {
  private static final Logger LOG = LoggerFactory.getLogger(Cancellation.class);

  private final Executor executor;
  private final List<Runnable> actions = new ArrayList<>();
  private boolean cancelled;

  Cancellation(Executor executor) {
    this.executor = executor;
  }

  synchronized boolean isCancelled() {
    return cancelled;
  }

  void onCancel(Runnable action) {
    boolean runNow;
    synchronized (this) {
      runNow = cancelled;
      if (!runNow) {
        actions.add(action);
      }
    }
    if (runNow) {
      runSafely(action);
    }
  }

  void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = List.copyOf(actions);
      actions.clear();
    }
    // Stopping a container can take its whole grace period: never on the thread that asked to cancel.
    for (Runnable action : toRun) {
      try {
        executor.execute(() -> runSafely(action));
      } catch (RuntimeException rejected) {
        runSafely(action);
      }
    }
  }

  private static void runSafely(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("a cancellation action failed", e);
    }
  }
}
