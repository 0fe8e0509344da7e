package io.promokit.testkit;

import io.promokit.Timekeeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A clock that stands still until the test moves it: a {@link Clock} and the {@link Timekeeper} an engine
 * (or a {@link TestStepContext}) waits on. Timeouts, retry backoff, {@code Running} polls and the
 * {@code sleep} step then happen when the test says, not after real milliseconds:
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.create();
 * PromotionEngine engine = PromotionEngine.builder().registry(registry).timekeeper(clock).build();
 * PromotionExecution execution = engine.sequence(template).build().start();
 * clock.awaitWaiters(1);                    // the engine now waits for the step's retry
 * clock.advance(Duration.ofSeconds(30));    // ... which is due now: it runs
 * }</pre>
 *
 * <p>{@link #advance} wakes every thread waiting for a time that has come; each re-checks the time and its
 * own condition, as with {@link Object#wait()}. Threads waiting for a notification only (no deadline) are
 * not counted as waiters. Thread-safe; copies made by {@link #withZone} share the time.
 */
public final class ManualClock extends Clock implements Timekeeper {

  /** Where {@link #create()} starts: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final Time time;
  private final ZoneId zone;

  private ManualClock(Time time, ZoneId zone) {
    this.time = time;
    this.zone = zone;
  }

  /** A clock at {@link #DEFAULT_START}, in UTC. */
  public static ManualClock create() {
    return startingAt(DEFAULT_START);
  }

  /** A clock at {@code start}, in UTC. */
  public static ManualClock startingAt(Instant start) {
    return new ManualClock(new Time(Objects.requireNonNull(start, "start must not be null")), ZoneOffset.UTC);
  }

  @Override
  public Instant instant() {
    return time.now();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public ManualClock withZone(ZoneId zone) {
    return new ManualClock(time, Objects.requireNonNull(zone, "zone must not be null"));
  }

  @Override
  public Clock clock() {
    return this;
  }

  /** Moves the time forward and wakes the threads waiting on it. */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration must not be null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a manual clock only moves forward, but was asked to move " + duration);
    }
    time.advance(duration);
  }

  /** Moves the time to the earliest deadline a thread waits for (nothing happens when none waits). */
  public void advanceToNextDeadline() {
    nextDeadline().ifPresent(d -> {
      Duration gap = Duration.between(instant(), d);
      advance(gap.isNegative() ? Duration.ZERO : gap);
    });
  }

  /**
   * Drives time until {@code future} completes, and returns its value: whenever a thread waits for a later
   * time on this clock, the clock moves to the earliest such time. For code whose waits are all on this
   * clock (retries, polls, {@code sleep}). While a step with a timeout does real work, the engine waits for
   * its deadline too, and this method would move the clock there before the work ends: such tests move the
   * clock themselves ({@link #awaitWaiterFor}, {@link #advance}). Gives up after 30 seconds of real time.
   *
   * @throws AssertionError when the future does not complete in time, or completes exceptionally
   */
  public <T> T advanceUntilDone(CompletableFuture<T> future) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!future.isDone()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not done within 30 s of real time; the clock is at " + instant()
            + " and " + waiters() + " thread(s) wait on it");
      }
      Optional<Instant> next = time.nextFutureDeadline();
      if (next.isPresent()) {
        advance(Duration.between(instant(), next.get()));
      } else {
        time.awaitChange(10);
      }
    }
    try {
      return future.join();
    } catch (CompletionException e) {
      throw new AssertionError("the driven code failed: " + e.getCause(), e.getCause());
    }
  }

  /** How many threads wait for a time on this clock now. */
  public int waiters() {
    return time.waiters().size();
  }

  /** The earliest time a thread waits for, if any waits. */
  public Optional<Instant> nextDeadline() {
    return time.waiters().stream().map(Waiter::deadline).min(Instant::compareTo);
  }

  /**
   * Blocks until at least {@code count} threads wait for a time on this clock, so that the test advances it
   * only once the code under test is waiting. Gives up after 10 seconds of real time.
   *
   * @throws AssertionError when not enough threads wait within that time
   */
  public void awaitWaiters(int count) {
    time.awaitWaiters(count, Duration.ofSeconds(10));
  }

  /**
   * Blocks until a thread waits on this clock for exactly {@code time} (a retry that is due then, say), so
   * the test knows which wait it ends when it advances. Gives up after 10 seconds of real time.
   *
   * @throws AssertionError when no thread waits for that time within that time
   */
  public void awaitWaiterFor(Instant time) {
    this.time.awaitWaiterFor(Objects.requireNonNull(time, "time must not be null"), Duration.ofSeconds(10));
  }

  @Override
  public void await(Object monitor, Instant deadline) throws InterruptedException {
    if (deadline == null) {
      monitor.wait();
      return;
    }
    if (!instant().isBefore(deadline)) {
      return;
    }
    Waiter waiter = new Waiter(monitor, deadline);
    time.add(waiter);
    try {
      monitor.wait();
    } finally {
      time.remove(waiter);
    }
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + ", " + zone + "]";
  }

  /** A thread waiting on {@code monitor} for {@code deadline}. Identity matters: two may look alike. */
  private record Waiter(Object monitor, Instant deadline) {
    @Override
    public boolean equals(Object other) {
      return this == other;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  /** The time and its waiters, shared by a clock and its zone copies. */
  private static final class Time {
    private Instant now;
    private final List<Waiter> waiters = new ArrayList<>();

    Time(Instant start) {
      this.now = start;
    }

    synchronized Instant now() {
      return now;
    }

    synchronized void add(Waiter waiter) {
      waiters.add(waiter);
      notifyAll();
    }

    synchronized void remove(Waiter waiter) {
      waiters.remove(waiter);
    }

    synchronized List<Waiter> waiters() {
      return List.copyOf(waiters);
    }

    void advance(Duration duration) {
      List<Waiter> due;
      synchronized (this) {
        now = now.plus(duration);
        due = waiters.stream().filter(w -> !now.isBefore(w.deadline())).toList();
      }
      // Outside this lock: a waiter holds its monitor while it registers here.
      for (Waiter waiter : due) {
        synchronized (waiter.monitor()) {
          waiter.monitor().notifyAll();
        }
      }
    }

    /** The earliest deadline still ahead of the time (waiters whose time has come are being woken). */
    synchronized Optional<Instant> nextFutureDeadline() {
      return waiters.stream().map(Waiter::deadline).filter(now::isBefore).min(Instant::compareTo);
    }

    /** Waits up to {@code millis} of real time for a waiter to come. */
    synchronized void awaitChange(long millis) {
      try {
        wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while driving the manual clock", e);
      }
    }

    synchronized void awaitWaiters(int count, Duration limit) {
      awaitCondition(() -> waiters.size() >= count, limit,
          () -> "expected " + count + " thread(s) waiting on the manual clock within " + limit + ", but "
              + waiters.size() + " did");
    }

    synchronized void awaitWaiterFor(Instant time, Duration limit) {
      awaitCondition(() -> waiters.stream().anyMatch(w -> w.deadline().equals(time)), limit,
          () -> "expected a thread waiting on the manual clock for " + time + " within " + limit + ", but they wait for "
              + waiters.stream().map(Waiter::deadline).toList());
    }

    /** Waits (holding this lock) until the condition holds; waiters coming notify this object. */
    private void awaitCondition(java.util.function.BooleanSupplier condition, Duration limit,
        java.util.function.Supplier<String> failure) {
      long end = System.nanoTime() + limit.toNanos();
      while (!condition.getAsBoolean()) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(failure.get());
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for threads to wait on the manual clock", e);
        }
      }
    }
  }
}
