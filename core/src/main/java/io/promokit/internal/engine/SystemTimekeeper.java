package io.promokit.internal.engine;

import io.promokit.Timekeeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Real time: waits are {@link Object#wait(long)} for the time left on the clock, rounded up to a millisecond. */
public final class SystemTimekeeper implements Timekeeper {

  private static final Duration LONGEST_WAIT = Duration.ofDays(1);

  private final Clock clock;

  public SystemTimekeeper(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public void await(Object monitor, Instant deadline) throws InterruptedException {
    if (deadline == null) {
      monitor.wait();
      return;
    }
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      return;
    }
    // One wait is at most a day (callers loop), so a far deadline never overflows the millisecond count.
    Duration wait = left.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : left;
    long millis = wait.toMillis() + (wait.toNanosPart() % 1_000_000 == 0 ? 0 : 1);
    monitor.wait(Math.max(1, millis));
  }

  @Override
  public String toString() {
    return "Timekeeper.system(" + clock + ")";
  }
}
