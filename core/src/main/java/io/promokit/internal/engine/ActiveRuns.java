package io.promokit.internal.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The runs an engine has going, so that closing it can abort them and wait for them. A run is entered when it is
 * created (before its thread starts) and leaves when its record is made. Thread-safe.
 */
public final class ActiveRuns {

  private final String engineId;
  private final Set<PromotionRun> runs = new LinkedHashSet<>();
  private boolean closed;

  public ActiveRuns(String engineId) {
    this.engineId = engineId;
  }

  /**
   * Creates a run and counts it as active.
   *
   * @throws IllegalStateException when the engine is closed (then nothing is created)
   */
  public synchronized PromotionRun enter(Supplier<PromotionRun> create) {
    requireOpen();
    PromotionRun run = create.get();
    runs.add(run);
    return run;
  }

  /** The run has made its record. */
  public synchronized void leave(PromotionRun run) {
    runs.remove(run);
    notifyAll();
  }

  /** @throws IllegalStateException when the engine is closed */
  public synchronized void requireOpen() {
    if (closed) {
      throw new IllegalStateException("engine " + engineId + " is closed");
    }
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Refuses new runs and aborts (hard) every active one.
   *
   * @return false when it was closed already
   */
  public boolean closeAndAbort() {
    List<PromotionRun> toAbort;
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
      toAbort = new ArrayList<>(runs);
    }
    toAbort.forEach(run -> run.requestAbort(false));
    return true;
  }

  /**
   * Waits, in real time, until no run is active or the limit passes.
   *
   * @return how many runs are still active
   */
  public synchronized int awaitNone(Duration limit) throws InterruptedException {
    long until = System.nanoTime() + limit.toNanos();
    while (!runs.isEmpty()) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return runs.size();
  }
}
