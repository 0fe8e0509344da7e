package io.promokit;

import io.promokit.documents.PromotionPlan;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.TaskCatalog;
import io.promokit.event.PromotionListener;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.internal.engine.PromotionRun;
import io.promokit.internal.engine.PromotionSettings;
import io.promokit.internal.validation.TemplateValidation;
import io.promokit.records.PromotionRecord;
import io.promokit.validation.ValidationException;
import io.promokit.validation.ValidationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One prepared promotion: a template (tasks inflated, vars overridden), its {@code ctx} and working directory,
 * validated once against its {@link PromotionEngine}. It runs the steps in order against one shared working
 * directory with Kargo's semantics (SEMANTICS.md): {@code if}, vars, outputs, {@code continueOnError}, retries
 * with backoff, timeouts, promotion tasks, abort, resume, and a full {@link PromotionRecord}.
 *
 * <pre>{@code
 * PromotionSequence sequence = engine.sequence(template, tasks)
 *     .context(PromotionContext.builder().project("shop").stage("prod").promotion("promo-42").build())
 *     .var("imageTag", "v1.5.0")
 *     .build();
 * PromotionRecord record = sequence.run();
 * }</pre>
 *
 * <p>Two ways to drive it: {@link #run()} blocks until the promotion is terminal, waiting on steps that return
 * {@code Running}; {@link #runUntilWaiting()} returns as soon as a step waits (record phase {@code Running}), so
 * the host's scheduler can call {@link #resumeUntilWaiting(PromotionRecord)} later, in this process or another
 * (with a sequence prepared the same way). Resuming never re-runs finished steps and keeps the waiting step's
 * start time, so its timeout still counts.
 *
 * <p>A sequence is immutable and thread-safe; each call runs the promotion anew (or from the given record). The
 * working directory is created per run (or the host's is used), and removed when the promotion ends unless kept;
 * a directory given by the host is never removed. Runs are refused once the engine is closed.
 */
public final class PromotionSequence {

  private final PromotionEngine engine;
  private final PromotionSettings settings;
  private final ValidationReport validation;

  private PromotionSequence(PromotionEngine engine, PromotionSettings settings, ValidationReport validation) {
    this.engine = engine;
    this.settings = settings;
    this.validation = validation;
  }

  /** The engine it runs on. */
  public PromotionEngine engine() {
    return engine;
  }

  /** The plan this sequence runs (tasks inflated, var overrides applied). */
  public PromotionPlan plan() {
    return settings.plan();
  }

  /** The promotion's {@code ctx}, its name set (generated when the host gave none). */
  public PromotionContext context() {
    return settings.context();
  }

  /** The promotion's name. */
  public String promotion() {
    return settings.context().promotion();
  }

  /**
   * What validation found when the sequence was prepared: warnings only (errors refuse to prepare it); empty
   * for a plan made in code or when validation was turned off.
   */
  public ValidationReport validation() {
    return validation;
  }

  /** Runs the promotion to its end on the calling thread. */
  public PromotionRecord run() {
    return execute(fresh(), true);
  }

  /** Runs the promotion until it ends or a step waits (then the record's phase is {@code Running}). */
  public PromotionRecord runUntilWaiting() {
    return execute(fresh(), false);
  }

  /**
   * Continues a promotion from its record, on the calling thread, until it ends.
   *
   * @throws PromotionException when the record does not belong to this sequence's plan
   */
  public PromotionRecord resume(PromotionRecord record) {
    return execute(resumed(record), true);
  }

  /**
   * Continues a promotion from its record until it ends or a step waits again. A waiting step that is not due
   * yet ({@code nextAttemptAt} in the future) is not invoked: the record comes back unchanged.
   */
  public PromotionRecord resumeUntilWaiting(PromotionRecord record) {
    return execute(resumed(record), false);
  }

  /**
   * Aborts a waiting promotion given by its record: the waiting step becomes {@code Aborted}; with
   * {@code graceful}, later steps whose {@code if} calls {@code always()} or {@code failure()} still run.
   */
  public PromotionRecord abort(PromotionRecord record, boolean graceful) {
    PromotionRun run = resumed(record);
    run.requestAbort(graceful);
    return execute(run, true);
  }

  /** Starts the promotion on a new thread and returns a handle to abort it or get its record. */
  public PromotionExecution start() {
    PromotionRun run = fresh();
    CompletableFuture<PromotionRecord> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(run.execute(true));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      } finally {
        // After the record is delivered: PromotionEngine.close() returns once it is.
        engine.active().leave(run);
      }
    }, "promokit-" + promotion());
    thread.setDaemon(true);
    thread.start();
    return new Execution(promotion(), run, result);
  }

  @Override
  public String toString() {
    return "PromotionSequence[" + promotion() + " on " + engine.engineId() + "]";
  }

  private PromotionRun fresh() {
    return enter(() -> PromotionRun.fresh(engine.settings(), settings));
  }

  private PromotionRun resumed(PromotionRecord record) {
    Objects.requireNonNull(record, "record must not be null");
    return enter(() -> PromotionRun.resumed(engine.settings(), settings, record));
  }

  private PromotionRun enter(Supplier<PromotionRun> create) {
    return engine.active().enter(create);
  }

  private PromotionRecord execute(PromotionRun run, boolean blocking) {
    try {
      return run.execute(blocking);
    } finally {
      engine.active().leave(run);
    }
  }

  /** The handle {@link #start()} returns. */
  private record Execution(String promotion, PromotionRun run, CompletableFuture<PromotionRecord> result)
      implements PromotionExecution {

    @Override
    public void abort() {
      run.requestAbort(false);
    }

    @Override
    public void abortGracefully() {
      run.requestAbort(true);
    }
  }

  /**
   * Prepares a {@link PromotionSequence}, from {@link PromotionEngine#sequence}; {@link #build()} applies the
   * var overrides, validates the template and inflates its tasks.
   */
  public static final class Builder {
    private final PromotionEngine engine;
    private final PromotionTemplate template;
    private final TaskCatalog tasks;
    private final PromotionPlan plan;
    private final List<PromotionListener> listeners = new ArrayList<>();
    private final Map<String, Object> varOverrides = new LinkedHashMap<>();
    private PromotionContext context = PromotionContext.builder().build();
    private Path workdir;
    private boolean keepWorkdir;
    private boolean validate = true;

    Builder(PromotionEngine engine, PromotionTemplate template, TaskCatalog tasks, PromotionPlan plan) {
      this.engine = engine;
      this.template = template;
      this.tasks = tasks;
      this.plan = plan;
    }

    /** The promotion's {@code ctx}; a promotion without a name gets a generated one. */
    public Builder context(PromotionContext context) {
      this.context = Objects.requireNonNull(context, "context must not be null");
      return this;
    }

    /**
     * Overrides a global var by name, or adds it after the template's vars. The value is used as written (a
     * string holding {@code ${{ }}} is evaluated like any var). Validation and task inflation see it.
     */
    public Builder var(String name, Object value) {
      Objects.requireNonNull(name, "var name must not be null");
      if (!name.matches("[a-zA-Z_]\\w*")) {
        throw new IllegalArgumentException("var name must match ^[a-zA-Z_]\\w*$, but was \"" + name + "\"");
      }
      varOverrides.put(name, value);
      return this;
    }

    /**
     * Uses this directory as the shared working directory (created when missing). A directory given here is
     * never removed by the engine.
     */
    public Builder workdir(Path workdir) {
      this.workdir = Objects.requireNonNull(workdir, "workdir must not be null");
      return this;
    }

    /** Keeps the engine-created working directory when the promotion ends (default: removed). */
    public Builder keepWorkdir(boolean keep) {
      this.keepWorkdir = keep;
      return this;
    }

    /** Adds a listener for this promotion only (called after the engine's listeners, one event at a time). */
    public Builder listener(PromotionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
      return this;
    }

    /**
     * Whether {@link #build()} validates the template (default true). Turn it off only when the host has just
     * validated the same template against the same registry itself (the CLI reports document and template
     * problems together).
     */
    public Builder validate(boolean validate) {
      this.validate = validate;
      return this;
    }

    /**
     * Prepares the promotion.
     *
     * @throws ValidationException listing every problem when the template is invalid
     * @throws IllegalStateException when the engine is closed, or the plan uses container steps and the engine
     *     has no container runtime
     */
    public PromotionSequence build() {
      engine.active().requireOpen();
      PromotionTemplate effectiveTemplate = template == null ? null : withOverrides(template);
      ExpressionResolver resolver = engine.resolverFor(effectiveTemplate != null
          ? TemplateCount.of(effectiveTemplate) : TemplateCount.of(plan));
      ValidationReport report = ValidationReport.of(List.of());
      if (effectiveTemplate != null && validate) {
        report = ValidationReport.of(TemplateValidation.problems(effectiveTemplate, tasks, resolver,
            engine.capabilities(), engine.findings()));
        if (!report.isValid()) {
          throw new ValidationException(report);
        }
      }
      PromotionPlan effectivePlan = effectiveTemplate != null ? PromotionPlan.inflate(effectiveTemplate, tasks)
          : new PromotionPlan(plan.name(), VarOverrides.apply(plan.vars(), varOverrides), plan.steps());
      requireContainerRuntime(effectivePlan);
      PromotionContext effectiveContext = context.promotion().isEmpty()
          ? context.toBuilder().promotion("promotion-" + UUID.randomUUID().toString().substring(0, 8)).build()
          : context;
      return new PromotionSequence(engine, new PromotionSettings(effectivePlan, effectiveContext, listeners, workdir,
          keepWorkdir, resolver), report);
    }

    private PromotionTemplate withOverrides(PromotionTemplate t) {
      if (varOverrides.isEmpty()) {
        return t;
      }
      return new PromotionTemplate(t.name(), VarOverrides.apply(t.vars(), varOverrides), t.steps(), t.location());
    }

    private void requireContainerRuntime(PromotionPlan p) {
      if (engine.settings().containerRuntime() != null) {
        return;
      }
      StepRegistry registry = engine.registry();
      p.steps().stream()
          .filter(s -> registry.find(s.uses()).map(r -> r.kind() == StepKind.CONTAINER).orElse(false))
          .findFirst()
          .ifPresent(s -> {
            throw new IllegalStateException("step \"" + s.alias() + "\" uses the container step \"" + s.uses()
                + "\", but the engine has no ContainerRuntime (PromotionEngine.Builder.containerRuntime)");
          });
    }
  }
}
