package io.promokit;

import io.promokit.documents.PromotionPlan;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.TaskCatalog;
import io.promokit.event.PromotionListener;
import io.promokit.expressions.ConfigMapSource;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.FreightLookup;
import io.promokit.expressions.SecretSource;
import io.promokit.internal.engine.ActiveRuns;
import io.promokit.internal.engine.EngineSettings;
import io.promokit.internal.engine.StepBindings;
import io.promokit.internal.engine.WorkdirLedger;
import io.promokit.internal.validation.RegistryFindings;
import io.promokit.spi.CapabilityProvider;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.FreightAliasService;
import io.promokit.spi.PromotionMetadataSink;
import io.promokit.spi.PullSecretSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a host builds once and keeps: the steps it offers, where container steps run, its secrets, its listeners,
 * its clock and limits, and its id. From it, each promotion is prepared as a {@link PromotionSequence} (validated
 * once, run as often as needed):
 *
 * <pre>{@code
 * PromotionEngine engine = PromotionEngine.builder()
 *     .registry(registry)
 *     .containerRuntime(containers)          // DockerContainerRuntime, KubernetesContainerRuntime, LocalProcessRuntime
 *     .build();
 * PromotionSequence sequence = engine.sequence(template)
 *     .workdir(workdir)
 *     .context(PromotionContext.builder().project("shop").stage("prod").promotion("prod-42").actor("alice").build())
 *     .build();
 * PromotionRecord record = sequence.run();
 * }</pre>
 *
 * <p>Work that depends only on the registry is done once, when the engine is built: every container step is
 * bound to the container runtime, and each step definition's own validation (secrets in its command, shell
 * splicing, capabilities) and each config schema's stand-in values are worked out. The engine id is
 * {@linkplain Builder#engineId(String) the host's} or generated once, and is the same for every promotion: it
 * labels their containers (for {@code reap}) and is stored in their records.
 *
 * <p>An engine is thread-safe: promotions run side by side, each on the thread that runs it, their attempts on
 * the engine's executor. {@link #close()} aborts the promotions still running and releases what the engine owns.
 */
public final class PromotionEngine implements AutoCloseable {

  /** The default resolver's cache size; a promotion with more templates gets a resolver of its own. */
  private static final int DEFAULT_CACHE_SIZE = ExpressionResolver.DEFAULT_CACHE_SIZE;

  private final EngineSettings settings;
  private final ExpressionResolver resolver;
  private final boolean defaultResolver;
  private final CapabilityProvider capabilities;
  private final RegistryFindings findings;
  private final ExecutorService ownedExecutor;
  private final List<AutoCloseable> owned;
  private final ActiveRuns active;

  private PromotionEngine(Builder b, String engineId, ExecutorService executor, ExpressionResolver resolver) {
    this.resolver = resolver;
    this.defaultResolver = b.resolver == null;
    this.capabilities = b.capabilities;
    this.ownedExecutor = b.executor == null ? executor : null;
    this.owned = List.copyOf(b.owned);
    this.active = new ActiveRuns(engineId);
    this.findings = RegistryFindings.computed(b.registry, resolver, b.capabilities);
    this.settings = new EngineSettings(b.registry, b.containerRuntime,
        StepBindings.bind(b.registry, b.containerRuntime, b.capabilities, b.pullSecrets, engineId),
        b.secrets, b.configMaps, b.freight, b.listeners, b.workdirRoot,
        WorkdirLedger.at(b.workdirLedger), b.backoff, engineId, executor, b.cancelGrace,
        b.timekeeper, b.metadataSink, b.freightAliases);
  }

  /** Starts a builder; {@link Builder#registry(StepRegistry)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The id that labels this engine's containers and is stored in its records. */
  public String engineId() {
    return settings.engineId();
  }

  /** The steps this engine's promotions may use. */
  public StepRegistry registry() {
    return settings.registry();
  }

  /** Prepares a promotion of a template that uses the given tasks; {@code build()} validates it. */
  public PromotionSequence.Builder sequence(PromotionTemplate template, TaskCatalog tasks) {
    Objects.requireNonNull(template, "template must not be null");
    Objects.requireNonNull(tasks, "tasks must not be null (use TaskCatalog.empty())");
    return new PromotionSequence.Builder(this, template, tasks, null);
  }

  /** Prepares a promotion of a template that uses no tasks; {@code build()} validates it. */
  public PromotionSequence.Builder sequence(PromotionTemplate template) {
    return sequence(template, TaskCatalog.empty());
  }

  /**
   * Prepares a promotion of a plan made in code (tasks already inflated). A plan is not validated: an unknown
   * step in it ends {@code Errored} when the promotion reaches it.
   */
  public PromotionSequence.Builder sequence(PromotionPlan plan) {
    Objects.requireNonNull(plan, "plan must not be null");
    return new PromotionSequence.Builder(this, null, TaskCatalog.empty(), plan);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return active.isClosed();
  }

  /**
   * Shuts the engine down; later calls do nothing. In order: new runs are refused
   * ({@link IllegalStateException}); every promotion still running is aborted as by
   * {@link PromotionExecution#abort()} (its step cancelled, its record {@code Aborted}, returned to whoever runs
   * it) and waited for, up to the cancel grace plus 5 seconds; the executor the engine made is shut down (a
   * host's executor is left alone); then what the host handed over with {@link Builder#closeOnClose} is closed,
   * last handed first. Promotions waiting in a record ({@code runUntilWaiting}) are not affected: another engine
   * can resume them.
   *
   * @throws PromotionException when closing a handed-over resource failed (after closing all the others), or the
   *     thread was interrupted while waiting
   */
  @Override
  public void close() {
    if (!active.closeAndAbort()) {
      return;
    }
    PromotionException failure = null;
    try {
      active.awaitNone(settings.cancelGrace().plusSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = new PromotionException("interrupted while closing engine " + engineId());
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        PromotionException closing = new PromotionException("engine " + engineId() + ": closing " + owned.get(i)
            + " failed: " + e.getMessage(), e);
        if (failure == null) {
          failure = closing;
        } else {
          failure.addSuppressed(closing);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "PromotionEngine[" + engineId() + "]";
  }

  // ---- what prepared promotions use ----

  EngineSettings settings() {
    return settings;
  }

  ActiveRuns active() {
    return active;
  }

  CapabilityProvider capabilities() {
    return capabilities;
  }

  RegistryFindings findings() {
    return findings;
  }

  /**
   * The resolver for a promotion with this many templates: the engine's, unless the host gave none and the
   * promotion's templates would not fit the default cache (then they would compile again on every run).
   */
  ExpressionResolver resolverFor(int templates) {
    if (defaultResolver && 2 * templates > DEFAULT_CACHE_SIZE) {
      return ExpressionResolver.builder().cacheSize(2 * templates).build();
    }
    return resolver;
  }

  /** Builds a {@link PromotionEngine}. Every setting is optional except the registry. */
  public static final class Builder {
    private StepRegistry registry;
    private ContainerRuntime containerRuntime;
    private ExpressionResolver resolver;
    private SecretSource secrets = SecretSource.NONE;
    private ConfigMapSource configMaps = ConfigMapSource.NONE;
    private FreightLookup freight;
    private PromotionMetadataSink metadataSink;
    private FreightAliasService freightAliases;
    private final List<PromotionListener> listeners = new ArrayList<>();
    private Path workdirRoot;
    private Path workdirLedger = WorkdirLedger.defaultRoot();
    private BackoffPolicy backoff = BackoffPolicy.defaultPolicy();
    private String engineId;
    private CapabilityProvider capabilities = CapabilityProvider.NONE;
    private PullSecretSource pullSecrets = PullSecretSource.NONE;
    private ExecutorService executor;
    private Duration cancelGrace = Duration.ofSeconds(30);
    private Timekeeper timekeeper = Timekeeper.system();
    private final List<AutoCloseable> owned = new ArrayList<>();

    private Builder() {}

    /** The steps templates may use (required). */
    public Builder registry(StepRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry must not be null");
      return this;
    }

    /**
     * Runs container steps (required when a promotion uses any). The engine does not close it unless it is also
     * handed over with {@link #closeOnClose}.
     */
    public Builder containerRuntime(ContainerRuntime runtime) {
      this.containerRuntime = Objects.requireNonNull(runtime, "containerRuntime must not be null");
      return this;
    }

    /**
     * The expression resolver: host functions and limits ({@link ExpressionResolver.Builder}). Its cache is
     * shared by every promotion; size it for all the templates the engine serves. Default: a resolver with the
     * default limits, and a resolver of its own for a promotion whose templates would not fit its cache.
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

    /** Answers {@code configMap()}. */
    public Builder configMaps(ConfigMapSource configMaps) {
      this.configMaps = Objects.requireNonNull(configMaps, "configMaps must not be null (use ConfigMapSource.NONE)");
      return this;
    }

    /** Answers the freight functions; without one they fail with a clear message. */
    public Builder freight(FreightLookup freight) {
      this.freight = Objects.requireNonNull(freight, "freight must not be null");
      return this;
    }

    /**
     * Where {@code set-metadata} writes Stage and Freight metadata, for every promotion (each call names the
     * promotion's project). Default: none; each promotion's record then gets a {@code metadata} section.
     */
    public Builder metadataSink(PromotionMetadataSink sink) {
      this.metadataSink = Objects.requireNonNull(sink, "metadataSink must not be null");
      return this;
    }

    /** Gives Freight their aliases for {@code set-freight-alias} (default: none; the step then fails saying so). */
    public Builder freightAliases(FreightAliasService service) {
      this.freightAliases = Objects.requireNonNull(service, "freightAliases must not be null");
      return this;
    }

    /**
     * Adds a listener for every promotion of the engine (called in order, one event at a time per promotion,
     * before the promotion's own listeners).
     */
    public Builder listener(PromotionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
      return this;
    }

    /**
     * Creates promotions' working directories inside this directory instead of the system's temporary one, for
     * example on a volume that container steps also mount (the Kubernetes runtime's claim).
     */
    public Builder workdirRoot(Path root) {
      this.workdirRoot = Objects.requireNonNull(root, "workdirRoot must not be null");
      return this;
    }

    /**
     * Where the engine lists the working directories it made and will delete (default
     * {@code <java.io.tmpdir>/promokit-workdirs}), so that {@link PromotionReaper} finds those a crash left. A
     * restarted host must use the same folder to reap them.
     */
    public Builder workdirLedger(Path folder) {
      this.workdirLedger = Objects.requireNonNull(folder, "workdirLedger must not be null").toAbsolutePath();
      return this;
    }

    /** Backoff between retries and default polling delay (default {@link BackoffPolicy#defaultPolicy()}). */
    public Builder backoff(BackoffPolicy backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff must not be null");
      return this;
    }

    /**
     * The id that labels this engine's containers, for {@code reap}, and is stored in its records (default:
     * {@code pk-} and 8 random hex digits, made once per engine). Give the same id to the engine a host makes
     * after a restart to reap what the previous one left.
     */
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
     * Threads that run step attempts (default: a pool of daemon threads the engine makes and shuts down on
     * {@link #close()}; a host's executor is never shut down by the engine). Each attempt runs on one of them so
     * that a timeout or an abort can leave a step that ignores interruption behind.
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
     * The time the engine runs on (default {@link Timekeeper#system()}): record and event timestamps, deadlines,
     * retry backoff, polling and the {@code sleep} step all read and wait on it. Tests pass the testkit's
     * {@code ManualClock} to drive time by hand.
     */
    public Builder timekeeper(Timekeeper timekeeper) {
      this.timekeeper = Objects.requireNonNull(timekeeper, "timekeeper must not be null");
      return this;
    }

    /** Real waits on the host's clock: {@code timekeeper(Timekeeper.system(clock))}. */
    public Builder clock(Clock clock) {
      return timekeeper(Timekeeper.system(Objects.requireNonNull(clock, "clock must not be null")));
    }

    /**
     * Hands a resource over to the engine: {@link PromotionEngine#close()} closes it after the promotions have
     * ended (for example the container runtime, or a step module that holds files or a child process).
     */
    public Builder closeOnClose(AutoCloseable resource) {
      owned.add(Objects.requireNonNull(resource, "resource must not be null"));
      return this;
    }

    /**
     * Builds the engine: binds the container steps and works out what validation needs from the registry.
     *
     * @throws IllegalStateException when the registry is missing
     */
    public PromotionEngine build() {
      if (registry == null) {
        throw new IllegalStateException("registry must be set");
      }
      String id = engineId != null ? engineId : "pk-" + UUID.randomUUID().toString().substring(0, 8);
      ExpressionResolver effectiveResolver = resolver != null ? resolver
          : ExpressionResolver.builder().cacheSize(DEFAULT_CACHE_SIZE).build();
      return new PromotionEngine(this, id, executor != null ? executor : newAttemptPool(id), effectiveResolver);
    }

    private static ExecutorService newAttemptPool(String engineId) {
      AtomicInteger n = new AtomicInteger();
      return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "promokit-step-" + engineId + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
  }
}
