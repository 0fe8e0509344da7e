package io.promokit.runtime.docker;

import io.promokit.BackoffPolicy;
import io.promokit.spi.ContainerRuntimeException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds every request/response call to the daemon, and waits out a daemon restart.
 *
 * <p>docker-java's transport has no working read timeout on a Unix socket: a frozen daemon (SIGSTOP, a
 * hung process) keeps a call waiting forever. Each call here runs on the caller's thread while a timer
 * interrupts that thread once {@link #timeout()} has passed; the transport's socket channel then closes
 * and the call fails, and the caller gets a retryable {@link DaemonTimeoutException}. The interrupt is
 * cleared again, so only an interrupt from elsewhere stays set.
 *
 * <p>A daemon that answered this runtime before and then stops answering is probably restarting:
 * {@link #awaitDaemon(String)} tries it again with backoff (0.5 s, doubling, at most 8 s between tries)
 * for up to the restart window before giving up.
 */
final class DaemonCalls {

  /** Thrown when a call to the daemon got no answer within the timeout. */
  static final class DaemonTimeoutException extends ContainerRuntimeException {
    private static final long serialVersionUID = 1L;

    DaemonTimeoutException(String message, Throwable cause) {
      super(message, cause, true);
    }
  }

  private static final int RUNNING = 0;
  private static final int DONE = 1;
  private static final int FIRED = 2;
  private static final BackoffPolicy RESTART_BACKOFF =
      BackoffPolicy.exponential(Duration.ofMillis(500), 2.0, Duration.ofSeconds(8), 0);

  private final String description;
  private final Duration timeout;
  private final Duration restartWindow;
  private final ScheduledExecutorService timer;
  private final Runnable ping;
  private volatile boolean answeredOnce;

  /**
   * @param ping one request to the daemon (without a bound of its own)
   */
  DaemonCalls(String description, Duration timeout, Duration restartWindow, ScheduledExecutorService timer,
      Runnable ping) {
    this.description = description;
    this.timeout = timeout;
    this.restartWindow = restartWindow;
    this.timer = timer;
    this.ping = ping;
  }

  Duration timeout() {
    return timeout;
  }

  Duration restartWindow() {
    return restartWindow;
  }

  /**
   * Runs a call, bounded by {@link #timeout()}.
   *
   * @param what what is asked, for the timeout's message ({@code inspect container x})
   * @throws DaemonTimeoutException when the daemon did not answer in time
   * @throws RuntimeException what the call threw otherwise (docker-java's exceptions)
   */
  <T> T call(String what, Supplier<T> action) {
    return call(what, timeout, action);
  }

  /** As {@link #call(String, Supplier)} with another bound (archive transfers of whole folders). */
  <T> T call(String what, Duration bound, Supplier<T> action) {
    Thread caller = Thread.currentThread();
    AtomicInteger state = new AtomicInteger(RUNNING);
    ScheduledFuture<?> watchdog = timer.schedule(() -> {
      if (state.compareAndSet(RUNNING, FIRED)) {
        caller.interrupt();
      }
    }, bound.toNanos(), TimeUnit.NANOSECONDS);
    try {
      T result = action.get();
      answeredOnce = true;
      return result;
    } catch (RuntimeException e) {
      if (state.get() == FIRED) {
        throw new DaemonTimeoutException("the Docker daemon at " + description + " did not answer within "
            + seconds(bound) + " (asked to " + what + ")", e);
      }
      if (DaemonErrors.daemonAnswered(e)) {
        answeredOnce = true;
      }
      throw e;
    } finally {
      watchdog.cancel(false);
      if (!state.compareAndSet(RUNNING, DONE)) {
        Thread.interrupted(); // Ours, not the caller's: clear it.
      }
    }
  }

  /** As {@link #call(String, Supplier)} for calls without a result. */
  void run(String what, Runnable action) {
    call(what, () -> {
      action.run();
      return null;
    });
  }

  /** Whether the daemon answers a ping now (bounded by the timeout). */
  boolean answers() {
    try {
      run("answer a ping", ping);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Whether the daemon has answered any call of this runtime. */
  boolean answeredOnce() {
    return answeredOnce;
  }

  /**
   * Waits for a daemon that stopped answering: tries it with backoff until it answers or the restart
   * window has passed. A daemon that never answered this runtime is not waited for.
   *
   * @param why what failed, for the message
   * @throws ContainerRuntimeException (retryable) when the daemon did not answer within the window
   * @throws InterruptedException when interrupted while waiting
   */
  void awaitDaemon(String why) throws InterruptedException {
    long deadline = System.nanoTime() + restartWindow.toNanos();
    for (int tries = 1; ; tries++) {
      if (answers()) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (!answeredOnce || left <= 0) {
        throw ContainerRuntimeException.retryable(why + "; the Docker daemon at " + description + " did not answer again within "
            + seconds(restartWindow) + " (the restart window)");
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, RESTART_BACKOFF.delay(tries).toNanos()));
    }
  }

  /** The delay before the n-th try to reach a restarting daemon. */
  static Duration restartBackoff(int tries) {
    return RESTART_BACKOFF.delay(tries);
  }

  static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
