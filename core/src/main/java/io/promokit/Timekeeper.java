package io.promokit;

import io.promokit.internal.engine.SystemTimekeeper;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The time an engine runs on: a {@link Clock} to read, and a way to wait until a time on that clock. The
 * engine takes every timestamp (record, events, log lines), every deadline and every wait (timeouts, retry
 * backoff, {@code Running} polls, the {@code sleep} step) from the one it is given, so a test can drive
 * time by hand with the testkit's {@code ManualClock} instead of sleeping.
 *
 * <p>Implementations are thread-safe. {@link #system()} is real time.
 */
public interface Timekeeper {

  /** The clock: what time it is. */
  Clock clock();

  /** The clock's current instant. */
  default Instant now() {
    return clock().instant();
  }

  /**
   * Waits on {@code monitor} (whose lock the caller holds, as for {@link Object#wait()}) until another thread
   * notifies it, the clock reaches {@code deadline}, or the thread is interrupted. It may also return for no
   * reason, as {@code Object.wait} may: callers wait in a loop that checks their condition and the time.
   *
   * @param deadline the time to wake up at; null to wait for a notification only
   * @throws InterruptedException when the thread is interrupted
   * @throws IllegalMonitorStateException when the caller does not hold the monitor's lock
   */
  void await(Object monitor, Instant deadline) throws InterruptedException;

  /** Sleeps until the clock reaches {@code until} (at once when it has). */
  default void sleepUntil(Instant until) throws InterruptedException {
    Objects.requireNonNull(until, "until must not be null");
    Object monitor = new Object();
    synchronized (monitor) {
      while (now().isBefore(until)) {
        await(monitor, until);
      }
    }
  }

  /** Real time: the UTC system clock, waits measured by it. */
  static Timekeeper system() {
    return system(Clock.systemUTC());
  }

  /**
   * Real waits on a clock of the host's (a different zone, an offset): the clock must advance with real
   * time, since waits are measured by it and slept with {@link Object#wait(long)}.
   */
  static Timekeeper system(Clock clock) {
    return new SystemTimekeeper(clock);
  }
}
