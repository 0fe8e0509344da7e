package io.promokit.internal.engine;

import io.promokit.PromotionPhase;
import io.promokit.RegisteredStep;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.event.PromotionFinished;
import io.promokit.event.PromotionListener;
import io.promokit.event.PromotionStarted;
import io.promokit.event.StepError;
import io.promokit.event.StepStarted;
import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.SecretMasker;
import io.promokit.internal.DefaultStepRegistry;
import io.promokit.internal.engine.AttemptRunner.Abort;
import io.promokit.records.PromotionRecord;
import io.promokit.steps.kit.StepAttempt;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a prepared promotion: the state machine that walks the plan's steps in order and applies
 * SEMANTICS.md sections 3-8 ({@code if}, vars and config, retries, polls, timeouts, abort, the final phase).
 * Everything happens on the thread that called {@link #execute(boolean)}, except the attempts themselves,
 * which {@link AttemptRunner} runs on the engine's executor.
 */
public final class PromotionRun {

  private final EngineSettings engine;
  private final PromotionSettings promotion;
  private final StepStates steps;
  private final OutputStore outputs = new OutputStore();
  private final SecretMasker masker = new SecretMasker();
  private final RecordedMetadata recordedMetadata = new RecordedMetadata();
  private final StepErrorLog stepErrors = new StepErrorLog();
  private final Listeners listeners;
  private final AttemptRunner attempts;
  private final ExpressionScopes scopes;
  private final RunRecords records;
  private final StepTransitions transitions;
  private final StartCondition startCondition;
  private final boolean resumed;

  private Workdir workdir;
  private RunServices services;
  private Instant startedAt;
  private Map<String, Object> recordedVars = Map.of();

  private PromotionRun(EngineSettings engine, PromotionSettings promotion, boolean resumed) {
    this.engine = engine;
    this.promotion = promotion;
    this.resumed = resumed;
    this.steps = new StepStates(promotion.plan());
    List<PromotionListener> all = new ArrayList<>(engine.listeners());
    all.addAll(promotion.listeners());
    this.listeners = new Listeners(all);
    this.attempts = new AttemptRunner(engine.timekeeper(), engine.executor(), engine.cancelGrace());
    this.scopes = new ExpressionScopes(engine, promotion, masker, outputs, steps,
        () -> steps.anyFailed() || attempts.abort() != Abort.NONE);
    this.records = new RunRecords(engine.engineId(), promotion.context(), masker, steps, outputs, recordedMetadata);
    this.transitions = new StepTransitions(promotion.context().promotion(), steps, listeners, masker, this::now);
    this.startCondition = new StartCondition(scopes, steps, attempts, transitions);
  }

  /** A run from the first step, in a new working directory (or the host's). */
  public static PromotionRun fresh(EngineSettings engine, PromotionSettings promotion) {
    PromotionRun run = new PromotionRun(engine, promotion, false);
    run.startedAt = run.now();
    run.use(Workdir.open(promotion.workdir(), engine.workdirRoot(), promotion.keepWorkdir(),
        promotion.context().promotion()));
    return run;
  }

  /** A run that continues from a record of the same plan. */
  public static PromotionRun resumed(EngineSettings engine, PromotionSettings promotion, PromotionRecord record) {
    PromotionRun run = new PromotionRun(engine, promotion, true);
    RunResume.Restored restored = RunResume.restore(record, promotion, run.steps, run.outputs);
    run.startedAt = restored.startedAt();
    run.recordedVars = restored.vars();
    run.recordedMetadata.restore(record.metadata());
    run.use(restored.workdir());
    return run;
  }

  private void use(Workdir dir) {
    this.workdir = dir.listed(engine.workdirLedger(), engine.engineId());
    this.services = new RunServices(promotion.context(), dir.path(), outputs, scopes, masker, engine.timekeeper(),
        listeners, engine.metadataSink() != null ? engine.metadataSink() : recordedMetadata, engine.freightAliases());
  }

  /** Asks the run to abort (from any thread); see {@link io.promokit.PromotionExecution}. */
  public void requestAbort(boolean graceful) {
    attempts.requestAbort(graceful);
  }

  /**
   * Runs until the promotion is terminal, or (when {@code blocking} is false) until a step waits.
   *
   * @return the record, secrets masked
   */
  public PromotionRecord execute(boolean blocking) {
    boolean interrupted = false;
    try {
      if (!resumed) {
        recordedVars = scopes.varsForRecord();
      }
      listeners.promotionStarted(new PromotionStarted(name(), steps.aliases(), resumed, now()));
      for (StepState state : steps.inOrder()) {
        if (!state.status.isFinal() && runStep(state, blocking)) {
          PromotionRecord waiting = records.record(PromotionPhase.RUNNING, "", startedAt, null, recordedVars,
              workdir.path());
          workdir.handOver();
          listeners.promotionFinished(new PromotionFinished(waiting));
          return waiting;
        }
      }
    } catch (AttemptRunner.Interrupted e) {
      interrupted = true;
      for (StepState state : steps.inOrder()) {
        if (state.status == StepStatus.RUNNING) {
          transitions.finish(state, StepStatus.ABORTED, abortedMessage(state));
        } else if (state.status == StepStatus.PENDING) {
          transitions.skipForAbort(state);
        }
      }
    }
    if (interrupted) {
      // The host interrupted the thread running the promotion: treat it as a hard abort.
      Thread.currentThread().interrupt();
    }
    RunRecords.Verdict verdict = records.verdict(interrupted || attempts.abort() != Abort.NONE);
    PromotionRecord done = records.record(verdict.phase(), verdict.message(), startedAt, now(), recordedVars,
        workdir.path());
    workdir.close();
    listeners.promotionFinished(new PromotionFinished(done));
    return done;
  }

  /** Runs one step as far as it goes; returns true when the run must return because the step waits. */
  private boolean runStep(StepState state, boolean blocking) {
    if (state.status == StepStatus.PENDING) {
      if (!startCondition.decide(state)) {
        return false;
      }
      state.startedAt = now();
      state.status = StepStatus.RUNNING;
      state.cleanup = attempts.abort() == Abort.GRACEFUL;
    }
    Optional<RegisteredStep> registered = engine.registry().find(state.step.uses());
    if (registered.isEmpty()) {
      // Unknown step: no retry (validation normally finds this first).
      transitions.finish(state, StepStatus.ERRORED, StepMessages.ofStep(state,
          DefaultStepRegistry.unknownStepMessage(engine.registry(), state.step.uses())));
      return false;
    }
    RegisteredStep step = registered.get();
    Duration timeout = timeoutOf(state, step);
    Instant deadline = timeout == null ? null : state.startedAt.plus(timeout);
    while (true) {
      if (attempts.abortStops(state)) {
        transitions.finish(state, StepStatus.ABORTED, abortedMessage(state));
        return false;
      }
      Instant now = engine.timekeeper().now();
      if (deadline != null && !now.isBefore(deadline)) {
        transitions.finish(state, StepStatus.ERRORED, StepMessages.timedOut(state, timeout));
        return false;
      }
      if (state.nextAttemptAt != null && now.isBefore(state.nextAttemptAt)) {
        if (!blocking) {
          return true;
        }
        attempts.waitUntil(state, deadline == null || state.nextAttemptAt.isBefore(deadline) ? state.nextAttemptAt : deadline);
        continue;
      }
      if (!attemptOnce(state, step, deadline, timeout)) {
        return false;
      }
    }
  }

  /**
   * Evaluates vars and config, runs one attempt and applies its outcome. Returns true when the step goes on
   * (it waits for another attempt), false when it is finished.
   */
  private boolean attemptOnce(StepState state, RegisteredStep step, Instant deadline, Duration timeout) {
    Map<String, Object> config;
    ExpressionEnvironment scope;
    try {
      scope = scopes.stepScope(state, scopes.varsOf(state), true);
      config = asConfigMap(scopes.resolver().resolveTree(state.step.config(), scope, "config"));
    } catch (ExpressionException e) {
      transitions.finish(state, StepStatus.ERRORED,
          StepMessages.ofStep(state, e.getMessage(), StepMessages.locate(state, e.configPath(), e)));
      return false;
    }
    state.config = config;
    // The one schema check of every kind of step (StepAttempt): Failed, before the attempt counts.
    Optional<String> invalid = StepAttempt.checkConfig(step.options(), config);
    if (invalid.isPresent()) {
      transitions.finish(state, StepStatus.FAILED, StepMessages.ofStep(state, invalid.get()));
      return false;
    }
    int attemptNumber = ++state.attempts;
    Instant attemptStart = now();
    listeners.stepStarted(new StepStarted(name(), state.alias(), state.step.uses(), attemptNumber, attemptStart));
    Cancellation cancellation = new Cancellation(engine.executor());
    DefaultStepContext ctx = new DefaultStepContext(services, state, config, attemptNumber, deadline, scope, cancellation);
    AttemptJob attempt = new AttemptJob(state, engine.bindings().runtimeOf(step), ctx, cancellation, attempts.monitor());
    AttemptOutcome outcome = attempts.run(attempt, deadline);
    ctx.close();
    state.container = ctx.container() != null ? ctx.container() : state.container;
    return apply(state, outcome, attempt, thresholdOf(state, step), timeout, Duration.between(attemptStart, now()));
  }

  private boolean apply(StepState state, AttemptOutcome outcome, AttemptJob attempt, int threshold, Duration timeout,
      Duration took) {
    switch (outcome) {
      case RESULT -> {
        StepResult result = attempt.result();
        outputs.set(state, result.outputs(), result.status() == StepStatus.SUCCEEDED);
        if (result.status() == StepStatus.RUNNING) {
          state.consecutiveErrors = 0;
          state.runningPolls++;
          transitions.waitAgain(state, result.message(),
              result.retryAfter().orElseGet(() -> engine.backoff().delay(state.runningPolls)), took);
          return true;
        }
        if (result.status() == StepStatus.SUCCEEDED || result.status() == StepStatus.SKIPPED) {
          state.consecutiveErrors = 0;
          transitions.finish(state, result.status(), result.message(), took);
        } else {
          transitions.finish(state, StepStatus.FAILED, StepMessages.ofStep(state, result.message()), took);
        }
        return false;
      }
      case ERROR -> {
        Throwable error = attempt.error();
        outputs.set(state, error instanceof StepException se ? se.outputs() : Map.of(), false);
        String message = StepMessages.ofError(error);
        StepError thrown = StepError.of(error, masker);
        stepErrors.log(name(), state.alias(), state.attempts, error, thrown);
        if (StepMessages.isTerminal(error)) {
          transitions.finish(state, StepStatus.ERRORED, StepMessages.ofStep(state, message), took, thrown);
          return false;
        }
        state.consecutiveErrors++;
        state.lastError = message;
        if (state.consecutiveErrors >= threshold) {
          transitions.finish(state, StepStatus.ERRORED, StepMessages.thresholdMet(state, threshold, message), took,
              thrown);
          return false;
        }
        Duration delay = error instanceof StepException se && se.retryAfter().isPresent()
            ? se.retryAfter().get()
            : engine.backoff().delay(state.consecutiveErrors);
        transitions.waitAgain(state, message, delay, took, thrown);
        return true;
      }
      case TIMED_OUT -> {
        outputs.set(state, Map.of(), false);
        transitions.finish(state, StepStatus.ERRORED, StepMessages.timedOut(state, timeout), took);
        return false;
      }
      case ABORTED -> {
        outputs.set(state, Map.of(), false);
        transitions.finish(state, StepStatus.ABORTED, abortedMessage(state), took);
        return false;
      }
      default -> throw new IllegalStateException(outcome.toString());
    }
  }

  private String abortedMessage(StepState state) {
    return StepMessages.aborted(state, attempts.abort() == Abort.GRACEFUL);
  }

  /** The step's timeout: its own, else its registration's default; zero means none. */
  private static Duration timeoutOf(StepState state, RegisteredStep step) {
    Duration configured = state.step.retry().timeout();
    if (configured != null) {
      return configured.isZero() ? null : configured;
    }
    return step.options().defaultTimeout().orElse(null);
  }

  /** The step's error threshold: its own, else (0) its registration's default. */
  private static int thresholdOf(StepState state, RegisteredStep step) {
    int own = state.step.retry().errorThreshold();
    return own > 0 ? own : step.options().defaultErrorThreshold();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asConfigMap(Object tree) {
    return tree instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private String name() {
    return promotion.context().promotion();
  }

  /** The engine's clock, to the millisecond (as records keep times); waits compare the exact time. */
  private Instant now() {
    return engine.timekeeper().now().truncatedTo(ChronoUnit.MILLIS);
  }
}
