package io.promokit.internal.engine;

import io.promokit.PlannedStep;
import io.promokit.PromotionContext;
import io.promokit.PromotionException;
import io.promokit.PromotionPhase;
import io.promokit.PromotionRecord;
import io.promokit.RegisteredStep;
import io.promokit.StepException;
import io.promokit.StepRecord;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import io.promokit.StepStatus;
import io.promokit.VarSpec;
import io.promokit.event.PromotionFinished;
import io.promokit.event.PromotionStarted;
import io.promokit.event.StepFinished;
import io.promokit.event.StepStarted;
import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.GoDuration;
import io.promokit.expressions.SecretMasker;
import io.promokit.expressions.StepStatusView;
import io.promokit.internal.DefaultStepRegistry;
import io.promokit.internal.JsonValues;
import io.promokit.steps.kit.StepAttempt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * One run of a promotion: the coordinator that walks the plan's steps in order and applies SEMANTICS.md
 * sections 3-8. Step attempts run on the settings' executor so that a timeout or an abort can move on
 * without them; everything else happens on the thread that called {@link #execute(boolean)}.
 */
public final class PromotionRun {

  /** The built-in step whose outputs inside a task also go to the task's alias. */
  static final String COMPOSE_OUTPUT = "compose-output";

  private enum Abort { NONE, HARD, GRACEFUL }

  private final EngineSettings settings;
  private final List<StepState> states = new ArrayList<>();
  private final Map<String, StepState> byAlias = new HashMap<>();
  private final Map<String, Map<String, Object>> outputs = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> outputsView = Collections.unmodifiableMap(outputs);
  private final Map<String, Map<String, Map<String, Object>>> taskOutputs = new HashMap<>();
  private final SecretMasker masker = new SecretMasker();
  private final RecordedMetadata recordedMetadata = new RecordedMetadata();
  private final Listeners listeners;
  private final Map<String, StepRuntime> boundSteps = new HashMap<>();
  private final Object monitor = new Object();
  private final boolean resumed;

  private Workdir workdir;
  private Instant startedAt;
  private Map<String, Object> recordedVars = Map.of();
  private volatile Abort abort = Abort.NONE;
  private volatile Attempt current;
  private boolean anyFailed;

  private PromotionRun(EngineSettings settings, boolean resumed) {
    this.settings = settings;
    this.resumed = resumed;
    this.listeners = new Listeners(settings.listeners());
    for (PlannedStep step : settings.plan().steps()) {
      StepState state = new StepState(step);
      states.add(state);
      byAlias.put(step.alias(), state);
    }
  }

  /** A run from the first step. */
  public static PromotionRun fresh(EngineSettings settings) {
    PromotionRun run = new PromotionRun(settings, false);
    run.startedAt = run.now();
    run.workdir = Workdir.open(settings.workdir(), settings.workdirRoot(), settings.keepWorkdir(),
        settings.context().promotion());
    return run;
  }

  /** A run that continues from a record of the same plan. */
  public static PromotionRun resumed(EngineSettings settings, PromotionRecord record) {
    PromotionRun run = new PromotionRun(settings, true);
    run.restore(record);
    return run;
  }

  /** Asks the run to abort (from any thread); see {@link io.promokit.PromotionExecution}. */
  public void requestAbort(boolean graceful) {
    synchronized (monitor) {
      if (abort == Abort.NONE || (abort == Abort.GRACEFUL && !graceful)) {
        abort = graceful ? Abort.GRACEFUL : Abort.HARD;
      }
      monitor.notifyAll();
    }
    Attempt attempt = current;
    if (attempt != null && abortStops(attempt.state)) {
      attempt.cancel();
    }
  }

  /**
   * Whether the requested abort stops this step: a hard abort stops any step; a graceful one stops the
   * step that was running when it came, not the clean-up steps started after it.
   */
  private boolean abortStops(StepState state) {
    Abort mode = abort;
    return mode == Abort.HARD || (mode == Abort.GRACEFUL && !state.cleanup);
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
        recordedVars = evaluateVarsForRecord();
      }
      listeners.promotionStarted(new PromotionStarted(context().promotion(),
          states.stream().map(StepState::alias).toList(), resumed, now()));
      for (StepState state : states) {
        if (state.status.isFinal()) {
          continue;
        }
        if (runStep(state, blocking)) {
          PromotionRecord waiting = record(PromotionPhase.RUNNING, null);
          listeners.promotionFinished(new PromotionFinished(waiting));
          return waiting;
        }
      }
    } catch (CoordinatorInterrupted e) {
      interrupted = true;
      for (StepState state : states) {
        if (state.status == StepStatus.RUNNING) {
          finishStep(state, StepStatus.ABORTED, abortedMessage(state));
        } else if (state.status == StepStatus.PENDING) {
          skip(state, "not run: the promotion was aborted");
        }
      }
    }
    if (interrupted) {
      // The host interrupted the thread running the promotion: treat it as a hard abort.
      Thread.currentThread().interrupt();
    }
    PromotionRecord done = finish();
    listeners.promotionFinished(new PromotionFinished(done));
    return done;
  }

  // ---- one step ----

  /** Runs one step as far as it goes; returns true when the run must return because the step waits. */
  private boolean runStep(StepState state, boolean blocking) {
    if (state.status == StepStatus.PENDING) {
      if (!decideToStart(state)) {
        return false;
      }
      state.startedAt = now();
      state.status = StepStatus.RUNNING;
      state.cleanup = abort == Abort.GRACEFUL;
    }
    Optional<RegisteredStep> registered = settings.registry().find(state.step.uses());
    if (registered.isEmpty()) {
      // Unknown step: no retry (validation normally finds this first).
      finishStep(state, StepStatus.ERRORED, stepMessage(state, unknownStep(state.step.uses())));
      return false;
    }
    RegisteredStep step = registered.get();
    Duration timeout = timeoutOf(state, step);
    int threshold = state.step.retry().errorThreshold() > 0
        ? state.step.retry().errorThreshold()
        : step.options().defaultErrorThreshold();
    while (true) {
      Instant deadline = timeout == null ? null : state.startedAt.plus(timeout);
      if (abortStops(state)) {
        finishStep(state, StepStatus.ABORTED, abortedMessage(state));
        return false;
      }
      Instant now = settings.timekeeper().now();
      if (deadline != null && !now.isBefore(deadline)) {
        finishStep(state, StepStatus.ERRORED, timedOutMessage(state, timeout));
        return false;
      }
      if (state.nextAttemptAt != null && now.isBefore(state.nextAttemptAt)) {
        if (!blocking) {
          return true;
        }
        waitUntil(state, deadline == null || state.nextAttemptAt.isBefore(deadline) ? state.nextAttemptAt : deadline);
        continue;
      }
      if (!attemptOnce(state, step, deadline, timeout, threshold)) {
        return false;
      }
    }
  }

  /** Evaluates {@code if}; returns whether the step runs (or marks it Skipped / Errored). */
  private boolean decideToStart(StepState state) {
    String condition = state.step.ifCondition();
    boolean hasCondition = condition != null && !condition.isBlank();
    if (abort == Abort.HARD) {
      skip(state, "not run: the promotion was aborted");
      return false;
    }
    if (abort == Abort.GRACEFUL && !(hasCondition && callsAlwaysOrFailure(condition))) {
      skip(state, "not run: the promotion was aborted");
      return false;
    }
    if (!hasCondition) {
      if (anyFailed) {
        skip(state, "");
        return false;
      }
      return true;
    }
    if (!condition.contains("${{") && !condition.contains("${%")) {
      finishStep(state, StepStatus.ERRORED, stepMessage(state,
          "if must be an expression such as ${{ always() }}, but was the plain string \"" + condition + "\""));
      return false;
    }
    Object value;
    try {
      Map<String, Object> vars = evaluateVars(state);
      value = settings.resolver().resolve(condition, stepScope(state, vars, true));
    } catch (ExpressionException e) {
      finishStep(state, StepStatus.ERRORED, stepMessage(state, "if: " + e.getMessage()));
      return false;
    }
    if (!(value instanceof Boolean run)) {
      finishStep(state, StepStatus.ERRORED, stepMessage(state,
          "if must evaluate to a boolean, but \"" + condition + "\" gave " + describe(value)));
      return false;
    }
    if (!run) {
      skip(state, "");
    }
    return run;
  }

  private boolean callsAlwaysOrFailure(String condition) {
    try {
      return settings.resolver().inspect(condition).expressions().stream()
          .anyMatch(e -> e.functions().contains("always") || e.functions().contains("failure"));
    } catch (ExpressionException e) {
      return false;
    }
  }

  /**
   * Evaluates vars and config, runs one attempt and applies its outcome. Returns true when the step goes
   * on (it waits for another attempt), false when it is finished.
   */
  private boolean attemptOnce(StepState state, RegisteredStep step, Instant deadline, Duration timeout, int threshold) {
    Map<String, Object> vars;
    Map<String, Object> config;
    ExpressionEnvironment scope;
    try {
      vars = evaluateVars(state);
      scope = stepScope(state, vars, true);
      config = asConfigMap(settings.resolver().resolveTree(state.step.config(), scope, "config"));
    } catch (ExpressionException e) {
      finishStep(state, StepStatus.ERRORED, stepMessage(state, e.getMessage()));
      return false;
    }
    state.config = config;
    // The one schema check of every kind of step (StepAttempt): Failed, before the attempt counts.
    Optional<String> invalid = StepAttempt.checkConfig(step.options(), config);
    if (invalid.isPresent()) {
      finishStep(state, StepStatus.FAILED, stepMessage(state, invalid.get()));
      return false;
    }
    StepRuntime runtime = runtimeOf(step);
    int attemptNumber = ++state.attempts;
    Instant attemptStart = now();
    listeners.stepStarted(new StepStarted(context().promotion(), state.alias(), state.step.uses(), attemptNumber, attemptStart));
    Cancellation cancellation = new Cancellation(settings.executor());
    DefaultStepContext ctx = new DefaultStepContext(this, state, config, attemptNumber, deadline, scope, cancellation);
    Attempt attempt = new Attempt(state, runtime, ctx, cancellation);
    Outcome outcome = run(attempt, deadline);
    ctx.close();
    state.container = ctx.container() != null ? ctx.container() : state.container;
    Duration took = Duration.between(attemptStart, now());
    return apply(state, outcome, attempt, threshold, timeout, took);
  }

  private boolean apply(StepState state, Outcome outcome, Attempt attempt, int threshold, Duration timeout, Duration took) {
    switch (outcome) {
      case RESULT -> {
        StepResult result = attempt.result;
        setOutputs(state, result.outputs(), result.status() == StepStatus.SUCCEEDED);
        if (result.status() == StepStatus.RUNNING) {
          state.consecutiveErrors = 0;
          state.runningPolls++;
          Duration delay = result.retryAfter().orElseGet(() -> settings.backoff().delay(state.runningPolls));
          return waitAgain(state, result.message(), delay, took);
        }
        if (result.status() == StepStatus.SUCCEEDED) {
          state.consecutiveErrors = 0;
          finishStep(state, StepStatus.SUCCEEDED, result.message(), attempt, took);
        } else {
          finishStep(state, StepStatus.FAILED, stepMessage(state, result.message()), attempt, took);
        }
        return false;
      }
      case ERROR -> {
        Throwable error = attempt.error;
        setOutputs(state, error instanceof StepException se ? se.outputs() : Map.of(), false);
        String message = errorMessage(error);
        if (isTerminal(error)) {
          finishStep(state, StepStatus.ERRORED, stepMessage(state, message), attempt, took);
          return false;
        }
        state.consecutiveErrors++;
        state.lastError = message;
        if (state.consecutiveErrors >= threshold) {
          finishStep(state, StepStatus.ERRORED,
              "step \"" + state.alias() + "\" met error threshold of " + threshold + ": " + message, attempt, took);
          return false;
        }
        Duration delay = error instanceof StepException se && se.retryAfter().isPresent()
            ? se.retryAfter().get()
            : settings.backoff().delay(state.consecutiveErrors);
        return waitAgain(state, message, delay, took);
      }
      case TIMED_OUT -> {
        setOutputs(state, Map.of(), false);
        finishStep(state, StepStatus.ERRORED, timedOutMessage(state, timeout), attempt, took);
        return false;
      }
      case ABORTED -> {
        setOutputs(state, Map.of(), false);
        finishStep(state, StepStatus.ABORTED, abortedMessage(state), attempt, took);
        return false;
      }
      default -> throw new IllegalStateException(outcome.toString());
    }
  }

  private boolean waitAgain(StepState state, String message, Duration delay, Duration took) {
    state.status = StepStatus.RUNNING;
    state.message = message == null ? "" : message;
    state.nextAttemptAt = now().plus(delay);
    listeners.stepFinished(new StepFinished(context().promotion(), state.alias(), state.step.uses(), state.attempts,
        StepStatus.RUNNING, masker.mask(state.message), took, false));
    return true;
  }

  // ---- running an attempt ----

  private enum Outcome { RESULT, ERROR, TIMED_OUT, ABORTED }

  /** One attempt on a worker thread; completion and abort both wake the coordinator. */
  private final class Attempt implements Runnable {
    private final StepState state;
    private final StepRuntime runtime;
    private final DefaultStepContext ctx;
    private final Cancellation cancellation;
    private volatile Future<?> future;
    private volatile boolean done;
    private volatile boolean cancelled;
    /** Claimed by whichever comes first: the worker starting the step, or a cancellation before that. */
    private final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
    StepResult result;
    Throwable error;

    Attempt(StepState state, StepRuntime runtime, DefaultStepContext ctx, Cancellation cancellation) {
      this.state = state;
      this.runtime = runtime;
      this.ctx = ctx;
      this.cancellation = cancellation;
    }

    @Override
    public void run() {
      if (!claimed.compareAndSet(false, true)) {
        return; // cancelled before it started: cancel() has marked it done
      }
      try {
        StepResult r = StepAttempt.execute(runtime, ctx);
        if (r == null) {
          throw new StepException("the step returned no result (null)");
        }
        result = r;
      } catch (Throwable t) {
        error = t;
      } finally {
        synchronized (monitor) {
          done = true;
          monitor.notifyAll();
        }
      }
    }

    void cancel() {
      cancelled = true;
      cancellation.cancel();
      if (claimed.compareAndSet(false, true)) {
        // The step never started (its task may never run at all): nothing to wait for.
        synchronized (monitor) {
          done = true;
          monitor.notifyAll();
        }
      }
      Future<?> f = future;
      if (f != null) {
        f.cancel(true);
      }
    }
  }

  private Outcome run(Attempt attempt, Instant deadline) {
    current = attempt;
    try {
      try {
        attempt.future = settings.executor().submit(attempt);
      } catch (RejectedExecutionException e) {
        attempt.error = new StepException("cannot start the step: the engine's executor refused it (" + e.getMessage() + ")");
        return Outcome.ERROR;
      }
      if (abortStops(attempt.state)) {
        attempt.cancel();
      }
      boolean timedOut = false;
      synchronized (monitor) {
        while (!attempt.done && !abortStops(attempt.state)) {
          if (deadline != null && !settings.timekeeper().now().isBefore(deadline)) {
            timedOut = true;
            break;
          }
          awaitOnMonitor(deadline);
        }
      }
      if (attempt.done && !attempt.cancelled) {
        return attempt.error != null ? Outcome.ERROR : Outcome.RESULT;
      }
      attempt.cancel();
      awaitCancelled(attempt);
      return timedOut ? Outcome.TIMED_OUT : Outcome.ABORTED;
    } finally {
      current = null;
    }
  }

  /**
   * Gives a cancelled attempt the grace to stop (and its container to go) before leaving it behind. The grace
   * is real time (System.nanoTime), not the engine's clock: it is how long a thread and an operating-system
   * process get to finish, and a manual clock in tests must not stretch or skip it.
   */
  private void awaitCancelled(Attempt attempt) {
    long until = System.nanoTime() + settings.cancelGrace().toNanos();
    synchronized (monitor) {
      while (!attempt.done) {
        long waitNanos = until - System.nanoTime();
        if (waitNanos <= 0) {
          return;
        }
        try {
          monitor.wait(Math.max(1, waitNanos / 1_000_000));
        } catch (InterruptedException e) {
          requestAbortFromInterrupt();
        }
      }
    }
  }

  /** Sleeps until {@code until} on the engine's clock, woken early by an abort that stops the step. */
  private void waitUntil(StepState state, Instant until) {
    synchronized (monitor) {
      while (!abortStops(state) && settings.timekeeper().now().isBefore(until)) {
        awaitOnMonitor(until);
      }
    }
  }

  /** Waits on the monitor (held) until notified or the engine's clock reaches {@code deadline} (null: no limit). */
  private void awaitOnMonitor(Instant deadline) {
    try {
      settings.timekeeper().await(monitor, deadline);
    } catch (InterruptedException e) {
      requestAbortFromInterrupt();
    }
  }

  private void requestAbortFromInterrupt() {
    // Called holding the monitor: set the flag here, cancel outside.
    abort = Abort.HARD;
    Attempt attempt = current;
    if (attempt != null) {
      attempt.cancel();
    }
    throw new CoordinatorInterrupted();
  }

  /** The coordinator's thread was interrupted: the run aborts. */
  private static final class CoordinatorInterrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CoordinatorInterrupted() {
      super(null, null, false, false);
    }
  }

  // ---- expressions ----

  /** Global vars, then the step's vars, evaluated in order (SEMANTICS.md section 5). */
  private Map<String, Object> evaluateVars(StepState state) {
    Map<String, Object> vars = new LinkedHashMap<>();
    Map<String, Object> ctx = context().toExpressionMap(state.alias());
    ExpressionEnvironment globalScope = baseEnvironment()
        .variable("ctx", ctx)
        .variable("vars", Collections.unmodifiableMap(vars))
        .build();
    for (VarSpec var : settings.plan().vars()) {
      vars.put(var.name(), evaluateVar(var, globalScope, "vars." + var.name()));
    }
    if (!state.step.vars().isEmpty()) {
      ExpressionEnvironment stepScope = stepScope(state, vars, false);
      for (VarSpec var : state.step.vars()) {
        vars.put(var.name(), evaluateVar(var, stepScope, "vars." + var.name()));
      }
    }
    return vars;
  }

  private Object evaluateVar(VarSpec var, ExpressionEnvironment scope, String path) {
    if (var.value() instanceof String text) {
      try {
        return settings.resolver().resolve(text, scope);
      } catch (ExpressionException e) {
        throw e.withConfigPath(path);
      }
    }
    return var.value();
  }

  /** The global vars as the record shows them: evaluated at the start, or as written when they fail. */
  private Map<String, Object> evaluateVarsForRecord() {
    Map<String, Object> vars = new LinkedHashMap<>();
    ExpressionEnvironment scope = baseEnvironment()
        .variable("ctx", context().toExpressionMap(""))
        .variable("vars", Collections.unmodifiableMap(vars))
        .build();
    for (VarSpec var : settings.plan().vars()) {
      Object value;
      try {
        value = evaluateVar(var, scope, "vars." + var.name());
      } catch (ExpressionException e) {
        value = var.value();
      }
      vars.put(var.name(), value);
    }
    return vars;
  }

  /** What a step's vars ({@code withStatus} false), {@code if} and config see. */
  private ExpressionEnvironment stepScope(StepState state, Map<String, Object> vars, boolean withStatus) {
    ExpressionEnvironment.Builder b = baseEnvironment()
        .variable("ctx", context().toExpressionMap(state.alias()))
        .variable("vars", vars)
        .variable("outputs", outputsView);
    if (state.step.isFromTask()) {
      Map<String, Map<String, Object>> siblings = taskOutputs.getOrDefault(state.step.taskAlias(), Map.of());
      b.variable("task", Map.of("outputs", Collections.unmodifiableMap(siblings)));
    }
    if (withStatus) {
      b.statusView(statusViewFor(state));
    }
    return b.build();
  }

  private ExpressionEnvironment.Builder baseEnvironment() {
    return ExpressionEnvironment.builder()
        .secrets(settings.secrets())
        .configMaps(settings.configMaps())
        .freight(settings.freight())
        .masker(masker);
  }

  /** An environment that sees only the given variables (container command/env, output transforms). */
  ExpressionEnvironment isolatedEnvironment(Map<String, Object> variables) {
    return baseEnvironment().variables(variables).build();
  }

  /** The status functions over the live history, in the step's task namespace. */
  private StepStatusView statusViewFor(StepState state) {
    String namespace = StepStatusView.namespaceOf(state.alias());
    boolean failedSoFar = anyFailed || abort != Abort.NONE;
    return new StepStatusView() {
      @Override
      public boolean anyFailed() {
        return failedSoFar;
      }

      @Override
      public String status(String alias) {
        StepState other = byAlias.get(namespace.isEmpty() ? alias : namespace + "::" + alias);
        return other == null || other.status == StepStatus.PENDING || other == state ? "" : other.status.word();
      }
    };
  }

  // ---- state changes ----

  private void setOutputs(StepState state, Map<String, Object> values, boolean succeeded) {
    Map<String, Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    state.outputs = copy;
    if (!copy.isEmpty()) {
      state.previousOutputs = copy;
    }
    outputs.put(state.alias(), copy);
    if (state.step.isFromTask()) {
      taskOutputs.computeIfAbsent(state.step.taskAlias(), k -> new LinkedHashMap<>()).put(state.innerAlias(), copy);
      if (succeeded && COMPOSE_OUTPUT.equals(state.step.uses())) {
        Map<String, Object> merged = new LinkedHashMap<>(outputs.getOrDefault(state.step.taskAlias(), Map.of()));
        merged.putAll(copy);
        outputs.put(state.step.taskAlias(), Collections.unmodifiableMap(merged));
      }
    }
  }

  private void skip(StepState state, String message) {
    state.status = StepStatus.SKIPPED;
    state.message = message;
    listeners.stepFinished(new StepFinished(context().promotion(), state.alias(), state.step.uses(), 0,
        StepStatus.SKIPPED, message, Duration.ZERO, true));
  }

  private void finishStep(StepState state, StepStatus status, String message) {
    finishStep(state, status, message, null, Duration.ZERO);
  }

  private void finishStep(StepState state, StepStatus status, String message, Attempt attempt, Duration took) {
    state.status = status;
    state.message = message == null ? "" : message;
    state.finishedAt = now();
    state.nextAttemptAt = null;
    if (status.isFailure() && !state.step.continueOnError()) {
      anyFailed = true;
    }
    listeners.stepFinished(new StepFinished(context().promotion(), state.alias(), state.step.uses(), state.attempts,
        status, masker.mask(state.message), took, true));
  }

  // ---- the end ----

  private PromotionRecord finish() {
    PromotionPhase phase = PromotionPhase.SUCCEEDED;
    String message = "";
    if (abort != Abort.NONE && states.stream().anyMatch(s -> s.status == StepStatus.ABORTED)) {
      phase = PromotionPhase.ABORTED;
      message = states.stream().filter(s -> s.status == StepStatus.ABORTED).findFirst().map(s -> s.message).orElse("");
    } else {
      StepState worst = null;
      for (StepState s : states) {
        if (s.step.continueOnError() || !s.status.isFinal()) {
          continue;
        }
        if (worst == null || s.status.severity() > worst.status.severity()) {
          worst = s;
        }
      }
      if (worst != null) {
        message = worst.message;
        phase = switch (worst.status) {
          case ABORTED -> PromotionPhase.ABORTED;
          case FAILED -> PromotionPhase.FAILED;
          case ERRORED -> PromotionPhase.ERRORED;
          default -> PromotionPhase.SUCCEEDED;
        };
        if (phase == PromotionPhase.SUCCEEDED) {
          message = "";
        }
      }
    }
    Instant finishedAt = now();
    PromotionRecord record = record(phase, finishedAt, message);
    workdir.close();
    return record;
  }

  private PromotionRecord record(PromotionPhase phase, Instant finishedAt) {
    return record(phase, finishedAt, "");
  }

  private PromotionRecord record(PromotionPhase phase, Instant finishedAt, String message) {
    List<StepRecord> steps = new ArrayList<>(states.size());
    for (StepState s : states) {
      Long duration = s.startedAt == null || s.finishedAt == null ? null
          : Duration.between(s.startedAt, s.finishedAt).toMillis();
      steps.add(new StepRecord(s.alias(), s.step.uses(), s.step.taskName(), s.status, s.attempts,
          masker.mask(s.message), s.startedAt, s.finishedAt, duration,
          JsonValues.mapForRecord(s.config, masker), JsonValues.mapForRecord(s.outputs, masker), s.container,
          s.step.continueOnError(), s.consecutiveErrors, s.nextAttemptAt,
          s.previousOutputs.equals(s.outputs) ? null : JsonValues.mapForRecord(s.previousOutputs, masker)));
    }
    return new PromotionRecord(PromotionRecord.API_VERSION, PromotionRecord.KIND, context().promotion(), phase,
        masker.mask(message), startedAt, finishedAt, JsonValues.mapForRecord(context().toRecordMap(), masker),
        JsonValues.mapForRecord(recordedVars, masker), steps, JsonValues.mapForRecord(outputs, masker),
        workdir.path().toString(), settings.engineId(), JsonValues.mapForRecord(recordedMetadata.snapshot(), masker));
  }

  private void restore(PromotionRecord record) {
    if (record.isTerminal()) {
      throw new PromotionException("promotion \"" + record.promotion() + "\" has ended (" + record.phase()
          + "); only a promotion that is still running can be resumed");
    }
    if (!record.promotion().equals(context().promotion())) {
      throw new PromotionException("the record is of promotion \"" + record.promotion()
          + "\", but this sequence runs \"" + context().promotion() + "\"");
    }
    List<String> planned = states.stream().map(StepState::alias).toList();
    List<String> recorded = record.steps().stream().map(StepRecord::alias).toList();
    if (!planned.equals(recorded)) {
      throw new PromotionException("the record does not match the template: it has steps " + recorded
          + ", the template has " + planned);
    }
    startedAt = record.startedAt();
    recordedVars = record.vars();
    recordedMetadata.restore(record.metadata());
    for (StepRecord r : record.steps()) {
      StepState s = byAlias.get(r.alias());
      if (!s.step.uses().equals(r.uses())) {
        throw new PromotionException("the record does not match the template: step \"" + r.alias() + "\" uses \""
            + r.uses() + "\" in the record but \"" + s.step.uses() + "\" in the template");
      }
      s.status = r.status();
      s.attempts = r.attempts();
      s.consecutiveErrors = r.consecutiveErrors();
      s.startedAt = r.startedAt();
      s.finishedAt = r.finishedAt();
      s.nextAttemptAt = r.nextAttemptAt();
      s.message = r.message();
      s.config = r.config();
      s.container = r.container();
      if (s.status.isFailure() && !s.step.continueOnError()) {
        anyFailed = true;
      }
      if (s.status != StepStatus.PENDING && s.status != StepStatus.SKIPPED) {
        setOutputs(s, r.outputs(), s.status == StepStatus.SUCCEEDED);
        if (r.previousOutputs() != null) {
          s.previousOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(r.previousOutputs()));
        }
      }
    }
    // compose-output merges into task aliases are in the record's outputs too.
    record.outputs().forEach((alias, value) -> {
      if (!byAlias.containsKey(alias) && value instanceof Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        outputs.put(alias, Collections.unmodifiableMap(copy));
      }
    });
    Path dir = settings.workdir() != null ? settings.workdir()
        : record.workdir() != null ? Path.of(record.workdir()) : null;
    if (dir == null) {
      throw new PromotionException("the record of \"" + record.promotion() + "\" names no working directory to resume in");
    }
    workdir = Workdir.resume(dir, settings.workdir() != null || settings.keepWorkdir());
  }

  // ---- helpers ----

  private StepRuntime runtimeOf(RegisteredStep step) {
    return boundSteps.computeIfAbsent(step.name(), name -> ContainerStepBinding.bind(step, settings));
  }

  private Duration timeoutOf(StepState state, RegisteredStep step) {
    Duration configured = state.step.retry().timeout();
    if (configured != null) {
      return configured.isZero() ? null : configured;
    }
    return step.options().defaultTimeout().orElse(null);
  }

  private String unknownStep(String name) {
    return DefaultStepRegistry.unknownStepMessage(settings.registry(), name);
  }

  private String timedOutMessage(StepState state, Duration timeout) {
    return "step \"" + state.alias() + "\" timed out after " + GoDuration.format(timeout)
        + (state.lastError == null ? "" : "; last error: " + state.lastError);
  }

  private String abortedMessage(StepState state) {
    return "step \"" + state.alias() + "\" was aborted" + (abort == Abort.GRACEFUL ? " (graceful abort)" : "");
  }

  private static String stepMessage(StepState state, String message) {
    String prefix = "step \"" + state.alias() + "\"";
    return message.startsWith(prefix) ? message : prefix + ": " + message;
  }

  private static boolean isTerminal(Throwable error) {
    return (error instanceof StepException se && se.isTerminal()) || error instanceof ExpressionException
        || (error instanceof io.promokit.spi.ContainerRuntimeException cre && !cre.isRetryable());
  }

  private static String errorMessage(Throwable error) {
    if (error instanceof PromotionException || error instanceof ExpressionException) {
      return String.valueOf(error.getMessage());
    }
    if (error instanceof InterruptedException) {
      return "the step was interrupted";
    }
    String text = error.getMessage();
    return error.getClass().getSimpleName() + (text == null ? "" : ": " + text);
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    return (value instanceof String ? "the string \"" + value + "\"" : value.getClass().getSimpleName() + " " + value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asConfigMap(Object tree) {
    return tree instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The engine's clock, to the millisecond (as records keep times); waits compare the exact time. */
  private Instant now() {
    return settings.timekeeper().now().truncatedTo(ChronoUnit.MILLIS);
  }

  // ---- what step contexts use ----

  Path workdir() {
    return workdir.path();
  }

  PromotionContext context() {
    return settings.context();
  }

  Map<String, Map<String, Object>> outputsView() {
    return outputsView;
  }

  io.promokit.expressions.ExpressionResolver resolver() {
    return settings.resolver();
  }

  SecretMasker masker() {
    return masker;
  }

  io.promokit.Timekeeper timekeeper() {
    return settings.timekeeper();
  }

  Listeners listeners() {
    return listeners;
  }

  /** The host's metadata sink, else the record's {@code metadata} section. */
  io.promokit.spi.PromotionMetadataSink metadataSink() {
    return settings.metadataSink() != null ? settings.metadataSink() : recordedMetadata;
  }

  /** The host's Freight alias service, or null. */
  io.promokit.spi.FreightAliasService freightAliases() {
    return settings.freightAliases();
  }

  /** Stable per promotion and alias: a hash, so it is safe in names and labels. */
  String stepKey(String alias) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((context().promotion() + "\n" + alias).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
