package io.promokit.testkit;

import io.promokit.records.ContainerReport;
import io.promokit.PromotionContext;
import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepLog;
import io.promokit.StepOptions;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import io.promokit.Timekeeper;
import io.promokit.event.LogStream;
import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.SecretMasker;
import io.promokit.expressions.SecretSource;
import io.promokit.spi.FreightAliasService;
import io.promokit.spi.PromotionMetadataSink;
import io.promokit.steps.kit.StepAttempt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link StepContext} for unit tests of a {@link io.promokit.StepRuntime}: set what the step sees, run
 * it, then look at what it logged and reported. Cancel it with {@link #cancel()} to test cancellation.
 *
 * <p>It behaves as the engine's context does where it matters for a test's verdict: {@link #run} checks
 * the config against the step's schema and turns config problems into a {@code Failed} result exactly as a
 * promotion would ({@link StepAttempt}); {@link #config(Class)} binds through the engine's one binder;
 * {@link #resolvePath} applies the working directory's rules; time comes from the given
 * {@link Timekeeper} (give it a {@link ManualClock} to drive a waiting step by hand).
 *
 * <pre>{@code
 * TestStepContext ctx = TestStepContext.builder(workdir).alias("ticket").config(Map.of("summary", "deploy")).build();
 * StepResult result = ctx.run(ticketStep);      // a RegisteredStep: schema checked as the engine does
 * assertThat(ctx.lines()).contains("INFO: opened ticket 42");
 * }</pre>
 */
public final class TestStepContext implements StepContext {

  private final String alias;
  private final String stepName;
  private final Map<String, Object> config;
  private final Path workdir;
  private final PromotionContext promotion;
  private final int attempt;
  private final Instant startedAt;
  private final Instant deadline;
  private final Map<String, Map<String, Object>> outputs;
  private final Map<String, Object> previousOutputs;
  private final Timekeeper timekeeper;
  private final String stepKey;
  private final SecretMasker masker;
  private final SecretSource secrets;
  private final ExpressionResolver resolver;
  private final PromotionMetadataSink metadataSink;
  private final FreightAliasService freightAliases;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final List<ContainerReport> reports = Collections.synchronizedList(new ArrayList<>());
  private final List<Runnable> cancelActions = new ArrayList<>();
  private boolean cancelled;

  private TestStepContext(Builder b) {
    this.alias = b.alias;
    this.stepName = b.stepName;
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
    this.workdir = b.workdir;
    this.promotion = b.promotion;
    this.attempt = b.attempt;
    this.timekeeper = b.timekeeper;
    this.startedAt = b.startedAt != null ? b.startedAt : b.timekeeper.now();
    this.deadline = b.deadline;
    this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(b.outputs));
    this.previousOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(b.previousOutputs));
    this.stepKey = b.stepKey;
    this.masker = b.masker;
    this.secrets = b.secrets;
    this.resolver = b.resolver;
    this.metadataSink = b.metadataSink;
    this.freightAliases = b.freightAliases;
  }

  /** A context for a step working in {@code workdir} (an existing directory). */
  public static Builder builder(Path workdir) {
    return new Builder(workdir);
  }

  // ---- running a step ----------------------------------------------------------------------------------

  /**
   * Runs one attempt of a registered step as the engine would: its config schema first (a mismatch is a
   * {@code Failed} result, {@code invalid config: ...}), then the step, whose
   * {@link io.promokit.steps.kit.InvalidConfigException}s (and refused paths) become {@code Failed} results
   * too. Other exceptions are thrown on, as the engine would count them as errors.
   *
   * @throws IllegalArgumentException for a container step: bind its definition to a runtime and use
   *     {@link #run(StepOptions, StepRuntime)}
   */
  public StepResult run(RegisteredStep step) throws Exception {
    Objects.requireNonNull(step, "step must not be null");
    if (step instanceof RegisteredStep.Builtin builtin) {
      return run(step.options(), builtin.runtime());
    }
    if (step instanceof RegisteredStep.Host host) {
      return run(step.options(), host.runtime());
    }
    throw new IllegalArgumentException("container step \"" + step.name() + "\" runs on a container runtime: "
        + "run(step.options(), step.definition().bind(runtime, ...))");
  }

  /** Runs one attempt of a step with the given options (schema), as {@link #run(RegisteredStep)} does. */
  public StepResult run(StepOptions options, StepRuntime runtime) throws Exception {
    return StepAttempt.run(options, runtime, this);
  }

  /** Runs one attempt of a step that has no schema; its config problems still become {@code Failed}. */
  public StepResult run(StepRuntime runtime) throws Exception {
    return run(StepOptions.DEFAULTS, runtime);
  }

  // ---- what the test reads back -------------------------------------------------------------------

  /** Every line the step logged, as {@code STREAM: text}, in order (already masked by the step). */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The lines of one stream, in order. */
  public List<String> lines(LogStream stream) {
    String prefix = stream + ": ";
    return lines().stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
  }

  /** The container reports, in order. */
  public List<ContainerReport> containerReports() {
    synchronized (reports) {
      return List.copyOf(reports);
    }
  }

  /** The last container report. */
  public ContainerReport lastContainerReport() {
    List<ContainerReport> all = containerReports();
    if (all.isEmpty()) {
      throw new AssertionError("the step reported no container");
    }
    return all.get(all.size() - 1);
  }

  /** Cancels the attempt: runs the registered actions (on this thread), as a timeout or abort does. */
  public void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = List.copyOf(cancelActions);
      cancelActions.clear();
    }
    toRun.forEach(Runnable::run);
  }

  // ---- StepContext ----------------------------------------------------------------------------------

  @Override
  public String alias() {
    return alias;
  }

  @Override
  public String stepName() {
    return stepName;
  }

  @Override
  public Map<String, Object> config() {
    return config;
  }

  @Override
  public Path workdir() {
    return workdir;
  }

  @Override
  public PromotionContext promotion() {
    return promotion;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  @Override
  public Timekeeper timekeeper() {
    return timekeeper;
  }

  @Override
  public Map<String, Map<String, Object>> outputs() {
    return outputs;
  }

  @Override
  public Map<String, Object> previousOutputs() {
    return previousOutputs;
  }

  @Override
  public Optional<String> taskAlias() {
    int sep = alias.lastIndexOf("::");
    return sep < 0 ? Optional.empty() : Optional.of(alias.substring(0, sep));
  }

  @Override
  public String stepKey() {
    return stepKey;
  }

  @Override
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void onCancel(Runnable action) {
    boolean now;
    synchronized (this) {
      now = cancelled;
      if (!now) {
        cancelActions.add(action);
      }
    }
    if (now) {
      action.run();
    }
  }

  @Override
  public StepLog log() {
    return (stream, text) -> lines.add(stream + ": " + text);
  }

  @Override
  public Object evaluate(String expression, Map<String, Object> variables) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("config", config);
    all.put("outputs", outputs);
    all.putAll(variables);
    return resolver.evaluate(expression, environment(all));
  }

  @Override
  public Object resolveIsolated(String template, Map<String, Object> variables) {
    return resolver.resolve(template, environment(variables));
  }

  @Override
  public Object evaluateIsolated(String expression, Map<String, Object> variables) {
    return resolver.evaluate(expression, environment(variables));
  }

  private ExpressionEnvironment environment(Map<String, Object> variables) {
    return ExpressionEnvironment.builder().variables(variables).secrets(secrets).masker(masker).build();
  }

  @Override
  public SecretMasker masker() {
    return masker;
  }

  @Override
  public void reportContainer(ContainerReport report) {
    reports.add(Objects.requireNonNull(report, "report must not be null"));
  }

  @Override
  public Optional<PromotionMetadataSink> metadataSink() {
    return Optional.ofNullable(metadataSink);
  }

  @Override
  public Optional<FreightAliasService> freightAliases() {
    return Optional.ofNullable(freightAliases);
  }

  /** Builds {@link TestStepContext}s; everything but the workdir has a default. */
  public static final class Builder {
    private final Path workdir;
    private String alias = "step-1";
    private String stepName = "test-step";
    private Map<String, Object> config = Map.of();
    private PromotionContext promotion = PromotionContext.builder().project("test").stage("test")
        .promotion("test-promotion").build();
    private int attempt = 1;
    private Timekeeper timekeeper = Timekeeper.system();
    private Instant startedAt;
    private Instant deadline;
    private Map<String, Map<String, Object>> outputs = Map.of();
    private Map<String, Object> previousOutputs = Map.of();
    private String stepKey = "test-step-key";
    private SecretMasker masker = new SecretMasker();
    private SecretSource secrets = SecretSource.NONE;
    private ExpressionResolver resolver = ExpressionResolver.create();
    private PromotionMetadataSink metadataSink;
    private FreightAliasService freightAliases;

    private Builder(Path workdir) {
      Objects.requireNonNull(workdir, "workdir must not be null");
      if (!Files.isDirectory(workdir)) {
        throw new IllegalArgumentException("workdir must be an existing directory, but was " + workdir);
      }
      try {
        this.workdir = workdir.toRealPath();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public Builder alias(String alias) {
      this.alias = Objects.requireNonNull(alias, "alias must not be null");
      return this;
    }

    public Builder stepName(String stepName) {
      this.stepName = Objects.requireNonNull(stepName, "stepName must not be null");
      return this;
    }

    /** The evaluated config (JSON-like values). */
    public Builder config(Map<String, ?> config) {
      this.config = new LinkedHashMap<>(Objects.requireNonNull(config, "config must not be null"));
      return this;
    }

    public Builder promotion(PromotionContext promotion) {
      this.promotion = Objects.requireNonNull(promotion, "promotion must not be null");
      return this;
    }

    public Builder attempt(int attempt) {
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be at least 1, but was " + attempt);
      }
      this.attempt = attempt;
      return this;
    }

    /**
     * The time the step sees and waits on (default {@link Timekeeper#system()}); a {@link ManualClock} lets
     * the test decide when a wait ends.
     */
    public Builder timekeeper(Timekeeper timekeeper) {
      this.timekeeper = Objects.requireNonNull(timekeeper, "timekeeper must not be null");
      return this;
    }

    /** When the step first started (default: the timekeeper's now when built). */
    public Builder startedAt(Instant startedAt) {
      this.startedAt = Objects.requireNonNull(startedAt, "startedAt must not be null");
      return this;
    }

    /** The deadline; null for none. */
    public Builder deadline(Instant deadline) {
      this.deadline = deadline;
      return this;
    }

    public Builder outputs(Map<String, Map<String, Object>> outputs) {
      this.outputs = Objects.requireNonNull(outputs, "outputs must not be null");
      return this;
    }

    /** The step's own outputs of an earlier attempt, as {@link StepContext#previousOutputs()} (default none). */
    public Builder previousOutputs(Map<String, ?> previousOutputs) {
      this.previousOutputs = new LinkedHashMap<>(Objects.requireNonNull(previousOutputs, "previousOutputs must not be null"));
      return this;
    }

    public Builder stepKey(String stepKey) {
      this.stepKey = Objects.requireNonNull(stepKey, "stepKey must not be null");
      return this;
    }

    public Builder masker(SecretMasker masker) {
      this.masker = Objects.requireNonNull(masker, "masker must not be null");
      return this;
    }

    /** What {@code secret()} finds. */
    public Builder secrets(SecretSource secrets) {
      this.secrets = Objects.requireNonNull(secrets, "secrets must not be null");
      return this;
    }

    public Builder resolver(ExpressionResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver must not be null");
      return this;
    }

    /** Where {@code set-metadata} writes (default: none). */
    public Builder metadataSink(PromotionMetadataSink sink) {
      this.metadataSink = Objects.requireNonNull(sink, "metadataSink must not be null");
      return this;
    }

    /** The Freight alias service {@code set-freight-alias} calls (default: none). */
    public Builder freightAliases(FreightAliasService service) {
      this.freightAliases = Objects.requireNonNull(service, "freightAliases must not be null");
      return this;
    }

    public TestStepContext build() {
      return new TestStepContext(this);
    }
  }
}
