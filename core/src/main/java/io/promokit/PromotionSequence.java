package io.promokit;

import io.promokit.event.PromotionListener;
import io.promokit.expressions.ConfigMapSource;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.FreightLookup;
import io.promokit.expressions.SecretSource;
import io.promokit.internal.engine.EngineSettings;
import io.promokit.internal.engine.PromotionRun;
import io.promokit.spi.CapabilityProvider;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.FreightAliasService;
import io.promokit.spi.PromotionMetadataSink;
import io.promokit.spi.PullSecretSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one promotion: the steps of a template, in order, against one shared working directory, with
 * Kargo's semantics (SEMANTICS.md): {@code if}, vars, outputs, {@code continueOnError}, retries with
 * backoff, timeouts, promotion tasks, abort, resume, and a full {@link PromotionRecord}.
 *
 * <pre>{@code
 * PromotionSequence sequence = PromotionSequence.builder()
 *     .template(template, tasks)
 *     .registry(registry)
 *     .context(PromotionContext.builder().project("shop").stage("prod").promotion("promo-42").build())
 *     .listener(myListener)
 *     .build();
 * PromotionRecord record = sequence.run();
 * }</pre>
 *
 * <p>Two ways to drive it: {@link #run()} blocks until the promotion is terminal, waiting on steps that
 * return {@code Running}; {@link #runUntilWaiting()} returns as soon as a step waits (record phase
 * {@code Running}), so the host's scheduler can call {@link #resumeUntilWaiting(PromotionRecord)} later,
 * in this process or another. Resuming never re-runs finished steps and keeps the waiting step's start
 * time, so its timeout still counts.
 *
 * <p>A sequence is immutable and thread-safe; each call runs the promotion anew (or from the given
 * record). The working directory is created per run (or the host's is used), and removed when the
 * promotion ends unless kept; a directory given by the host is never removed.
 */
public final class PromotionSequence {

  private final EngineSettings settings;

  private PromotionSequence(EngineSettings settings) {
    this.settings = settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The plan this sequence runs (tasks inflated). */
  public PromotionPlan plan() {
    return settings.plan();
  }

  /** The promotion's name. */
  public String promotion() {
    return settings.context().promotion();
  }

  /** Runs the promotion to its end on the calling thread. */
  public PromotionRecord run() {
    return PromotionRun.fresh(settings).execute(true);
  }

  /** Runs the promotion until it ends or a step waits (then the record's phase is {@code Running}). */
  public PromotionRecord runUntilWaiting() {
    return PromotionRun.fresh(settings).execute(false);
  }

  /**
   * Continues a promotion from its record, on the calling thread, until it ends.
   *
   * @throws PromotionException when the record does not belong to this sequence's plan
   */
  public PromotionRecord resume(PromotionRecord record) {
    return PromotionRun.resumed(settings, record).execute(true);
  }

  /**
   * Continues a promotion from its record until it ends or a step waits again. A waiting step that is
   * not due yet ({@code nextAttemptAt} in the future) is not invoked: the record comes back unchanged.
   */
  public PromotionRecord resumeUntilWaiting(PromotionRecord record) {
    return PromotionRun.resumed(settings, record).execute(false);
  }

  /**
   * Aborts a waiting promotion given by its record: the waiting step becomes {@code Aborted}; with
   * {@code graceful}, later steps whose {@code if} calls {@code always()} or {@code failure()} still run.
   */
  public PromotionRecord abort(PromotionRecord record, boolean graceful) {
    PromotionRun run = PromotionRun.resumed(settings, record);
    run.requestAbort(graceful);
    return run.execute(true);
  }

  /** Starts the promotion on another thread and returns a handle to abort it or get its record. */
  public PromotionExecution start() {
    PromotionRun run = PromotionRun.fresh(settings);
    CompletableFuture<PromotionRecord> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(run.execute(true));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, "promokit-" + settings.context().promotion());
    thread.setDaemon(true);
    thread.start();
    return new PromotionExecution() {
      @Override
      public String promotion() {
        return settings.context().promotion();
      }

      @Override
      public void abort() {
        run.requestAbort(false);
      }

      @Override
      public void abortGracefully() {
        run.requestAbort(true);
      }

      @Override
      public CompletableFuture<PromotionRecord> result() {
        return result;
      }
    };
  }

  /** Builds a {@link PromotionSequence}; {@link #build()} inflates tasks and validates the template. */
  public static final class Builder {
    private PromotionTemplate template;
    private TaskCatalog tasks = TaskCatalog.empty();
    private PromotionPlan plan;
    private StepRegistry registry;
    private ContainerRuntime containerRuntime;
    private ExpressionResolver resolver;
    private SecretSource secrets = SecretSource.NONE;
    private ConfigMapSource configMaps = ConfigMapSource.NONE;
    private FreightLookup freight;
    private PromotionMetadataSink metadataSink;
    private FreightAliasService freightAliases;
    private final List<PromotionListener> listeners = new ArrayList<>();
    private Path workdir;
    private Path workdirRoot;
    private boolean keepWorkdir;
    private PromotionContext context = PromotionContext.builder().build();
    private final Map<String, Object> varOverrides = new LinkedHashMap<>();
    private BackoffPolicy backoff = BackoffPolicy.defaultPolicy();
    private String engineId;
    private CapabilityProvider capabilities = CapabilityProvider.NONE;
    private PullSecretSource pullSecrets = PullSecretSource.NONE;
    private ExecutorService executor;
    private Duration cancelGrace = Duration.ofSeconds(30);
    private boolean validate = true;
    private Timekeeper timekeeper = Timekeeper.system();

    private Builder() {}

    /** The template to run, with the tasks its task steps use. */
    public Builder template(PromotionTemplate template, TaskCatalog tasks) {
      this.template = Objects.requireNonNull(template, "template must not be null");
      this.tasks = Objects.requireNonNull(tasks, "tasks must not be null (use TaskCatalog.empty())");
      this.plan = null;
      return this;
    }

    /** The template to run (it uses no tasks). */
    public Builder template(PromotionTemplate template) {
      return template(template, TaskCatalog.empty());
    }

    /** An already inflated plan to run (instead of a template). */
    public Builder plan(PromotionPlan plan) {
      this.plan = Objects.requireNonNull(plan, "plan must not be null");
      this.template = null;
      return this;
    }

    /** The steps the template may use (required). */
    public Builder registry(StepRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry must not be null");
      return this;
    }

    /** Runs container steps (required when the template uses any). */
    public Builder containerRuntime(ContainerRuntime runtime) {
      this.containerRuntime = Objects.requireNonNull(runtime, "containerRuntime must not be null");
      return this;
    }

    /**
   * The expression resolver (default: one whose cache holds every template of this promotion). A resolver
   * shared across sequences should have a cache large enough for all the templates it serves
   * ({@link ExpressionResolver.Builder#cacheSize(int)}).
   */
    public Builder resolver(ExpressionResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver must not be null");
      return this;
    }

    /** Answers {@code secret()}/{@code sharedSecret()}; every value it returns is masked in outputs. */
    public Builder secrets(SecretSource secrets) {
      this.secrets = Objects.requireNonNull(secrets, "secrets must not be null (use SecretSource.NONE)");
      return this;
    }

    public Builder configMaps(ConfigMapSource configMaps) {
      this.configMaps = Objects.requireNonNull(configMaps, "configMaps must not be null (use ConfigMapSource.NONE)");
      return this;
    }

    /** Answers the freight functions; without one they fail with a clear message. */
    public Builder freight(FreightLookup freight) {
      this.freight = freight;
      return this;
    }

    /**
     * Where {@code set-metadata} writes Stage and Freight metadata (default: none; the values then go into the
     * record's {@code metadata} section).
     */
    public Builder metadataSink(PromotionMetadataSink sink) {
      this.metadataSink = Objects.requireNonNull(sink, "metadataSink must not be null");
      return this;
    }

    /** Gives Freight their aliases for {@code set-freight-alias} (default: none; the step then fails). */
    public Builder freightAliases(FreightAliasService service) {
      this.freightAliases = Objects.requireNonNull(service, "freightAliases must not be null");
      return this;
    }

    /** Adds a listener (called in order, one event at a time). */
    public Builder listener(PromotionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
      return this;
    }

    /**
     * Uses this directory as the shared working directory (created when missing). A directory given here
     * is never removed by the engine.
     */
    public Builder workdir(Path workdir) {
      this.workdir = Objects.requireNonNull(workdir, "workdir must not be null");
      return this;
    }

    /**
     * Creates the promotion's working directory inside this directory instead of the system's temporary
     * one, for example on a volume that container steps also mount (the Kubernetes runtime's claim).
     * Removed at the end like any engine-created directory.
     */
    public Builder workdirRoot(Path root) {
      this.workdirRoot = Objects.requireNonNull(root, "workdirRoot must not be null");
      return this;
    }

    /** Keeps the engine-created working directory when the promotion ends (default: removed). */
    public Builder keepWorkdir(boolean keep) {
      this.keepWorkdir = keep;
      return this;
    }

    /** The promotion's {@code ctx}; a promotion without a name gets a generated one. */
    public Builder context(PromotionContext context) {
      this.context = Objects.requireNonNull(context, "context must not be null");
      return this;
    }

    /**
     * Overrides a global var by name, or adds it after the template's vars. The value is used as written
     * (a string holding {@code ${{ }}} is evaluated like any var).
     */
    public Builder var(String name, Object value) {
      Objects.requireNonNull(name, "var name must not be null");
      if (!name.matches("[a-zA-Z_]\\w*")) {
        throw new IllegalArgumentException("var name must match ^[a-zA-Z_]\\w*$, but was \"" + name + "\"");
      }
      varOverrides.put(name, value);
      return this;
    }

    /** Backoff between retries and default polling delay (default {@link BackoffPolicy#defaultPolicy()}). */
    public Builder backoff(BackoffPolicy backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff must not be null");
      return this;
    }

    /** The id that labels this engine's containers, for {@code reap} (default: random per sequence). */
    public Builder engineId(String engineId) {
      Objects.requireNonNull(engineId, "engineId must not be null");
      if (!engineId.matches("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")) {
        throw new IllegalArgumentException(
            "engineId must be a valid label value (letters, digits, '-', '_', '.', at most 63), but was \"" + engineId + "\"");
      }
      this.engineId = engineId;
      return this;
    }

    /** Maps container steps' capabilities to env and files (default: none offered). */
    public Builder capabilities(CapabilityProvider capabilities) {
      this.capabilities = Objects.requireNonNull(capabilities, "capabilities must not be null (use CapabilityProvider.NONE)");
      return this;
    }

    /** Resolves container steps' {@code imagePullSecrets} to credentials (default: none). */
    public Builder pullSecrets(PullSecretSource pullSecrets) {
      this.pullSecrets = Objects.requireNonNull(pullSecrets, "pullSecrets must not be null (use PullSecretSource.NONE)");
      return this;
    }

    /**
     * Threads that run step attempts (default: a pool of daemon threads owned by this sequence). Each
     * attempt runs on one of them so that a timeout or an abort can leave a step that ignores
     * interruption behind.
     */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor must not be null");
      return this;
    }

    /** How long a cancelled attempt gets to finish (stop its container) before it is left behind (default 30 s). */
    public Builder cancelGrace(Duration grace) {
      Objects.requireNonNull(grace, "cancelGrace must not be null");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("cancelGrace must not be negative, but was " + grace);
      }
      this.cancelGrace = grace;
      return this;
    }

    /**
     * The time the engine runs on (default {@link Timekeeper#system()}): record and event timestamps,
     * deadlines, retry backoff, polling and the {@code sleep} step all read and wait on it. Tests pass the
     * testkit's {@code ManualClock} to drive time by hand.
     */
    public Builder timekeeper(Timekeeper timekeeper) {
      this.timekeeper = Objects.requireNonNull(timekeeper, "timekeeper must not be null");
      return this;
    }

    /** Real waits on the host's clock: {@code timekeeper(Timekeeper.system(clock))}. */
    public Builder clock(java.time.Clock clock) {
      return timekeeper(Timekeeper.system(Objects.requireNonNull(clock, "clock must not be null")));
    }

    /** Whether {@link #build()} validates the template against the registry (default true). */
    public Builder validate(boolean validate) {
      this.validate = validate;
      return this;
    }

    /**
     * Inflates tasks, validates, and builds the sequence.
     *
     * @throws ValidationException listing every problem when the template is invalid
     * @throws IllegalStateException when the template or registry is missing, or the template uses
     *     container steps and no container runtime is set
     */
    public PromotionSequence build() {
      if (registry == null) {
        throw new IllegalStateException("registry must be set");
      }
      if (template == null && plan == null) {
        throw new IllegalStateException("a template (or plan) must be set");
      }
      ExpressionResolver effectiveResolver = resolver != null ? resolver : resolverFor(template, plan);
      if (template != null && validate) {
        ValidationReport report = PromotionValidator.validate(template, registry, tasks, effectiveResolver, capabilities);
        if (!report.isValid()) {
          throw new ValidationException(report);
        }
      }
      PromotionPlan effectivePlan = plan != null ? plan : PromotionPlan.inflate(template, tasks);
      effectivePlan = withVarOverrides(effectivePlan);
      if (containerRuntime == null) {
        effectivePlan.steps().stream()
            .filter(s -> registry.find(s.uses()).map(r -> r.kind() == StepKind.CONTAINER).orElse(false))
            .findFirst()
            .ifPresent(s -> {
              throw new IllegalStateException("step \"" + s.alias() + "\" uses the container step \"" + s.uses()
                  + "\", but no ContainerRuntime is set (Builder.containerRuntime)");
            });
      }
      PromotionContext effectiveContext = context.promotion().isEmpty()
          ? context.toBuilder().promotion("promotion-" + UUID.randomUUID().toString().substring(0, 8)).build()
          : context;
      String effectiveEngineId = engineId != null ? engineId : "pk-" + UUID.randomUUID().toString().substring(0, 8);
      ExecutorService effectiveExecutor = executor != null ? executor : newAttemptPool(effectiveContext.promotion());
      return new PromotionSequence(new EngineSettings(
          effectivePlan, registry, containerRuntime, effectiveResolver, secrets, configMaps, freight,
          List.copyOf(listeners), workdir, workdirRoot, keepWorkdir, effectiveContext, backoff, effectiveEngineId,
          capabilities, pullSecrets, effectiveExecutor, cancelGrace, timekeeper, metadataSink, freightAliases));
    }

    /**
     * A resolver whose cache holds every template of this promotion: a long template whose expressions do
     * not fit the cache would compile them again on every run.
     */
    private static ExpressionResolver resolverFor(PromotionTemplate template, PromotionPlan plan) {
      int templates = template != null ? TemplateCount.of(template) : TemplateCount.of(plan);
      return ExpressionResolver.builder().cacheSize(Math.max(4096, 2 * templates)).build();
    }

    private PromotionPlan withVarOverrides(PromotionPlan base) {
      if (varOverrides.isEmpty()) {
        return base;
      }
      Map<String, Object> remaining = new LinkedHashMap<>(varOverrides);
      List<VarSpec> vars = new ArrayList<>();
      for (VarSpec v : base.vars()) {
        if (remaining.containsKey(v.name())) {
          vars.add(new VarSpec(v.name(), remaining.remove(v.name()), SourceLocation.IN_CODE));
        } else {
          vars.add(v);
        }
      }
      remaining.forEach((name, value) -> vars.add(new VarSpec(name, value, SourceLocation.IN_CODE)));
      return new PromotionPlan(base.name(), vars, base.steps());
    }

    private static ExecutorService newAttemptPool(String promotion) {
      AtomicInteger n = new AtomicInteger();
      ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
          new java.util.concurrent.SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "promokit-step-" + promotion + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      return pool;
    }
  }
}
