package io.promokit.steps;

import io.promokit.records.ContainerReport;
import io.promokit.PromotionContext;
import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepLog;
import io.promokit.StepResult;
import io.promokit.Timekeeper;
import io.promokit.event.LogStream;
import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.SecretMasker;
import io.promokit.steps.kit.StepAttempt;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real {@link StepContext} for tests of single steps: a real working directory, config checked and bound as
 * the engine does it (StepAttempt, ConfigBinder), expressions evaluated by the real {@link ExpressionResolver}, a cancellation
 * signal the test can raise, and a log the test can read.
 */
final class TestStepContext implements StepContext {

  private final Path workdir;
  private final Map<String, Object> config;
  private final String alias;
  private final String stepName;
  private final Map<String, Map<String, Object>> outputs;
  private final Map<String, Object> vars;
  private final PromotionContext promotion = PromotionContext.builder()
      .project("demo").stage("test").promotion("demo-promotion").actor("tester").build();
  private final ExpressionResolver resolver = ExpressionResolver.create();
  private final SecretMasker masker = new SecretMasker();
  private final Timekeeper timekeeper;
  private final Instant startedAt;
  private final Instant deadline;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<Runnable> cancelActions = new CopyOnWriteArrayList<>();
  private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
  private int attempt = 1;

  private TestStepContext(Path workdir, String stepName, Map<String, Object> config, Map<String, Object> vars,
      Map<String, Map<String, Object>> outputs, Instant deadline, Timekeeper timekeeper) {
    this.timekeeper = timekeeper;
    this.startedAt = timekeeper.now();
    this.workdir = workdir;
    this.stepName = stepName;
    this.alias = "my-" + stepName;
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    this.vars = vars;
    this.outputs = outputs;
    this.deadline = deadline;
  }

  static TestStepContext of(Path workdir, String stepName, Map<String, Object> config) {
    return new TestStepContext(workdir, stepName, config, Map.of(), Map.of(), null, Timekeeper.system());
  }

  /** A context whose expressions also see {@code vars} and earlier {@code outputs}. */
  static TestStepContext of(Path workdir, String stepName, Map<String, Object> config, Map<String, Object> vars,
      Map<String, Map<String, Object>> outputs) {
    return new TestStepContext(workdir, stepName, config, vars, outputs, null, Timekeeper.system());
  }

  /** The same context with a deadline. */
  TestStepContext withDeadline(Instant deadline) {
    return new TestStepContext(workdir, stepName, config, vars, outputs, deadline, timekeeper);
  }

  /** The same context on another timekeeper (a manual clock). */
  TestStepContext withTimekeeper(Timekeeper other) {
    return new TestStepContext(workdir, stepName, config, vars, outputs, deadline, other);
  }

  /** Runs the named built-in step once with this context, as the engine runs an attempt (StepAttempt). */
  StepResult run() throws Exception {
    RegisteredStep step = BuiltinSteps.all().stream()
        .filter(s -> s.name().equals(stepName))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no built-in step " + stepName));
    return StepAttempt.run(step.options(), ((RegisteredStep.Builtin) step).runtime(), this);
  }

  /** Runs the step again as the next attempt (a poll). */
  StepResult runAgain() throws Exception {
    attempt++;
    return run();
  }

  /** Cancels the attempt, as a timeout or abort does (without interrupting any thread). */
  void cancel() {
    cancelled.set(true);
    cancelActions.forEach(Runnable::run);
  }

  List<String> logLines() {
    return List.copyOf(logLines);
  }

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
    return Map.of();
  }

  @Override
  public Optional<String> taskAlias() {
    return Optional.empty();
  }

  @Override
  public String stepKey() {
    return promotion.promotion() + "/" + alias;
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }

  @Override
  public void onCancel(Runnable action) {
    cancelActions.add(action);
    if (cancelled.get()) {
      action.run();
    }
  }

  @Override
  public StepLog log() {
    return (LogStream stream, String text) -> logLines.add(stream + " " + text);
  }

  @Override
  public Object evaluate(String expression, Map<String, Object> variables) {
    ExpressionEnvironment environment = ExpressionEnvironment.builder()
        .variable("ctx", promotion.toExpressionMap(alias))
        .variable("vars", vars)
        .variable("outputs", outputs)
        .variables(variables)
        .masker(masker)
        .build();
    return resolver.evaluate(expression, environment);
  }

  @Override
  public Object resolveIsolated(String template, Map<String, Object> variables) {
    return resolver.resolve(template, ExpressionEnvironment.builder().variables(variables).masker(masker).build());
  }

  @Override
  public Object evaluateIsolated(String expression, Map<String, Object> variables) {
    return resolver.evaluate(expression, ExpressionEnvironment.builder().variables(variables).masker(masker).build());
  }

  @Override
  public SecretMasker masker() {
    return masker;
  }

  @Override
  public void reportContainer(ContainerReport report) {
    throw new UnsupportedOperationException("built-in steps run no containers");
  }
}
