package io.promokit;

import io.promokit.expressions.SecretMasker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a step sees during one attempt: its evaluated config, the shared working directory, the
 * promotion, earlier outputs, the deadline, a cancellation signal and a log.
 */
public interface StepContext {

  /** The step's full alias ({@code step-1}, {@code deploy}, {@code task-2::step-1}). */
  String alias();

  /** The registered name the step {@code uses}. */
  String stepName();

  /** The evaluated config of this attempt (read-only; values are JSON-like Java values). */
  Map<String, Object> config();

  /**
   * The evaluated config bound to a type of the step's own (a record or a bean), with Jackson.
   *
   * @throws StepException (terminal) naming the field when the config does not fit the type
   */
  <T> T config(Class<T> type);

  /** The promotion's shared working directory (absolute, real path). */
  Path workdir();

  /**
   * Resolves a path from the step's config inside the working directory.
   *
   * @throws StepException (terminal) when the path is absolute, climbs out with {@code ..}, or leads out
   *     through a symlink; the message names the path
   */
  Path resolvePath(String relativePath);

  /** The promotion ({@code ctx}). */
  PromotionContext promotion();

  /** 1 for the first attempt, then 2, 3, ... (polls of a running step count too). */
  int attempt();

  /** When the step first started (kept across attempts and resumes). */
  Instant startedAt();

  /** When the step times out, if it has a timeout. */
  Optional<Instant> deadline();

  /** Time left until the deadline, or empty when there is none; never negative. */
  default Optional<Duration> remaining() {
    return deadline().map(d -> {
      Duration left = Duration.between(Instant.now(), d);
      return left.isNegative() ? Duration.ZERO : left;
    });
  }

  /** The outputs of earlier steps by alias (read-only), as {@code outputs} in expressions. */
  Map<String, Map<String, Object>> outputs();

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
}
