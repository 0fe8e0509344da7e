package io.promokit;

import io.promokit.expressions.SecretMasker;
import io.promokit.records.ContainerReport;
import io.promokit.spi.FreightAliasService;
import io.promokit.spi.PromotionMetadataSink;
import io.promokit.steps.kit.ConfigBinder;
import io.promokit.steps.kit.WorkdirPaths;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a step sees during one attempt: its evaluated config, the shared working directory, the
 * promotion, earlier outputs (its own previous ones too), the clock and the deadline, a cancellation signal
 * and a log. The step kit ({@code io.promokit.steps.kit}, docs/step-kit.md) builds on it.
 */
public interface StepContext {

  /** The step's full alias ({@code step-1}, {@code deploy}, {@code task-2::step-1}). */
  String alias();

  /** The registered name the step {@code uses}. */
  String stepName();

  /** The evaluated config of this attempt (read-only; values are JSON-like Java values). */
  Map<String, Object> config();

  /**
   * The evaluated config bound to a type of the step's own (a record or a bean), by the one
   * {@link ConfigBinder}.
   *
   * @throws io.promokit.steps.kit.InvalidConfigException naming the field when the config does not fit the
   *     type: thrown on from the step, it ends the step {@code Failed} ({@code invalid config: ...})
   */
  default <T> T config(Class<T> type) {
    return ConfigBinder.bind(config(), type);
  }

  /** The promotion's shared working directory (absolute, real path). */
  Path workdir();

  /**
   * Resolves a path from the step's config inside the working directory, for reading
   * ({@link WorkdirPaths#resolve(Path, String)}; for writes and a field name in messages use
   * {@link WorkdirPaths#resolve(Path, String, WorkdirPaths.Access, String)}).
   *
   * @throws WorkdirPaths.RejectedPathException when the path is absolute, climbs out with {@code ..}, or
   *     leads out through a symlink; the message names the path. Thrown on from the step, it ends the step
   *     {@code Failed} ({@code invalid config: ...})
   */
  default Path resolvePath(String relativePath) {
    return WorkdirPaths.resolve(workdir(), relativePath);
  }

  /** The promotion ({@code ctx}). */
  PromotionContext promotion();

  /** 1 for the first attempt, then 2, 3, ... (polls of a running step count too). */
  int attempt();

  /** When the step first started (kept across attempts and resumes). */
  Instant startedAt();

  /** When the step times out, if it has a timeout. */
  Optional<Instant> deadline();

  /**
   * The engine's time: its clock, and waits on it. Steps read the time from {@link #clock()} and wait with
   * {@link #sleep(Duration)}, never from the system clock, so tests can drive them with a manual clock.
   */
  Timekeeper timekeeper();

  /** The engine's clock (the system clock in production, a manual clock in tests). */
  default Clock clock() {
    return timekeeper().clock();
  }

  /** Time left until the deadline on {@link #clock()}, or empty when there is none; never negative. */
  default Optional<Duration> remaining() {
    return deadline().map(d -> {
      Duration left = Duration.between(clock().instant(), d);
      return left.isNegative() ? Duration.ZERO : left;
    });
  }

  /**
   * Waits for {@code duration} on the engine's clock, for a step that waits within an attempt (a retry loop
   * of its own). It wakes at once when the attempt is cancelled (timeout or abort) or the thread interrupted.
   * A step that waits for something outside should rather return {@link StepResult#running}.
   *
   * @throws InterruptedException when the attempt is cancelled or the thread interrupted
   */
  default void sleep(Duration duration) throws InterruptedException {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, but was " + duration);
    }
    Instant until = clock().instant().plus(duration);
    Object monitor = new Object();
    onCancel(() -> {
      synchronized (monitor) {
        monitor.notifyAll();
      }
    });
    synchronized (monitor) {
      while (true) {
        if (isCancelled()) {
          throw new InterruptedException("the attempt was cancelled");
        }
        if (!clock().instant().isBefore(until)) {
          return;
        }
        timekeeper().await(monitor, until);
      }
    }
  }

  /** The outputs of earlier steps by alias (read-only), as {@code outputs} in expressions. */
  Map<String, Map<String, Object>> outputs();

  /**
   * This step's own outputs from an earlier attempt of this promotion: the last non-empty outputs it
   * produced (a result's outputs, or those of a {@link StepException} that carried some), kept across
   * attempts that produced none, across {@code Running} polls, and across a resume from the record. Empty on
   * the first attempt. Kargo calls it the step's shared state: a step that creates something outside (a pull
   * request) saves what it made in its outputs and, on a retry, finds it here instead of making it twice.
   */
  Map<String, Object> previousOutputs();

  /** The alias of the task step this step was inflated from, if any. */
  Optional<String> taskAlias();

  /** A key stable for this promotion and step across attempts and resumes, for idempotency. */
  String stepKey();

  /** Whether the attempt has been cancelled (timeout or abort); the step should stop soon. */
  boolean isCancelled();

  /**
   * Registers an action to run when the attempt is cancelled (run at once when it already is). Used to
   * stop work running outside the step's thread, such as a container.
   */
  void onCancel(Runnable action);

  /** The step's log. */
  StepLog log();

  /**
   * Evaluates a bare expression (no delimiters) with what the step's config saw plus the given
   * variables, for steps that take expressions in their config ({@code successExpression}, ...).
   *
   * @throws io.promokit.expressions.ExpressionException when it does not parse or evaluate
   */
  Object evaluate(String expression, Map<String, Object> variables);

  /**
   * Resolves a {@code ${{ }}} template that sees only the given variables (and the functions, including
   * {@code secret()}), as a container step's {@code command} and {@code env} are resolved over
   * {@code config} and {@code ctx}.
   *
   * @throws io.promokit.expressions.ExpressionException when it does not parse or evaluate
   */
  Object resolveIsolated(String template, Map<String, Object> variables);

  /**
   * Evaluates a bare expression that sees only the given variables, as output {@code transform}s see
   * only {@code output}.
   *
   * @throws io.promokit.expressions.ExpressionException when it does not parse or evaluate
   */
  Object evaluateIsolated(String expression, Map<String, Object> variables);

  /** The promotion's secret masker: every value in it is replaced by {@code ***} when written out. */
  SecretMasker masker();

  /** Records what a container step ran, for the step's record ({@code container}). */
  void reportContainer(ContainerReport report);

  /**
   * Where {@code set-metadata} writes Stage and Freight metadata: the host's sink, or (the engine's default) the
   * promotion record's {@code metadata} section. Empty only in a context that offers neither, such as a bare
   * test context.
   */
  default Optional<PromotionMetadataSink> metadataSink() {
    return Optional.empty();
  }

  /** The host's Freight alias service for {@code set-freight-alias}, if it has one. */
  default Optional<FreightAliasService> freightAliases() {
    return Optional.empty();
  }
}
