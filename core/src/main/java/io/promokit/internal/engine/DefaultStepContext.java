package io.promokit.internal.engine;

import io.promokit.records.ContainerReport;
import io.promokit.PromotionContext;
import io.promokit.StepContext;
import io.promokit.StepLog;
import io.promokit.Timekeeper;
import io.promokit.event.LogLine;
import io.promokit.event.LogStream;
import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.SecretMasker;
import io.promokit.spi.FreightAliasService;
import io.promokit.spi.PromotionMetadataSink;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

/** The {@link StepContext} of one attempt. Logging stops when the attempt is over. */
final class DefaultStepContext implements StepContext {

  private final RunServices run;
  private final StepState state;
  private final Map<String, Object> config;
  private final int attempt;
  private final Instant deadline;
  private final ExpressionEnvironment scope;
  private final Cancellation cancellation;
  private final Map<String, Object> previousOutputs;
  private final StepLog log = this::writeLine;
  private volatile boolean closed;
  private volatile ContainerReport container;

  DefaultStepContext(RunServices run, StepState state, Map<String, Object> config, int attempt, Instant deadline,
      ExpressionEnvironment scope, Cancellation cancellation) {
    this.run = run;
    this.state = state;
    this.config = Collections.unmodifiableMap(config);
    this.attempt = attempt;
    this.deadline = deadline;
    this.scope = scope;
    this.cancellation = cancellation;
    this.previousOutputs = state.previousOutputs;
  }

  @Override
  public String alias() {
    return state.alias();
  }

  @Override
  public String stepName() {
    return state.step.uses();
  }

  @Override
  public Map<String, Object> config() {
    return config;
  }

  @Override
  public Path workdir() {
    return run.workdir();
  }

  @Override
  public PromotionContext promotion() {
    return run.context();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Instant startedAt() {
    return state.startedAt;
  }

  @Override
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  @Override
  public Timekeeper timekeeper() {
    return run.timekeeper();
  }

  @Override
  public Map<String, Map<String, Object>> outputs() {
    return run.outputs().view();
  }

  @Override
  public Map<String, Object> previousOutputs() {
    return previousOutputs;
  }

  @Override
  public Optional<String> taskAlias() {
    return Optional.ofNullable(state.step.taskAlias());
  }

  @Override
  public String stepKey() {
    return StepKeys.of(run.context().promotion(), state.alias());
  }

  @Override
  public boolean isCancelled() {
    return cancellation.isCancelled();
  }

  @Override
  public void onCancel(Runnable action) {
    cancellation.onCancel(action);
  }

  @Override
  public StepLog log() {
    return log;
  }

  @Override
  public Object evaluate(String expression, Map<String, Object> variables) {
    return run.scopes().resolver().evaluate(expression, scope.toBuilder().variables(variables).build());
  }

  @Override
  public Object resolveIsolated(String template, Map<String, Object> variables) {
    return run.scopes().resolver().resolve(template, run.scopes().isolated(variables));
  }

  @Override
  public Object evaluateIsolated(String expression, Map<String, Object> variables) {
    return run.scopes().resolver().evaluate(expression, run.scopes().isolated(variables));
  }

  @Override
  public SecretMasker masker() {
    return run.masker();
  }

  @Override
  public void reportContainer(ContainerReport report) {
    this.container = report;
  }

  @Override
  public Optional<PromotionMetadataSink> metadataSink() {
    return Optional.of(run.metadataSink());
  }

  @Override
  public Optional<FreightAliasService> freightAliases() {
    return Optional.ofNullable(run.freightAliases());
  }

  ContainerReport container() {
    return container;
  }

  /** Ends the attempt: lines written afterwards (by a step left behind) are dropped. */
  void close() {
    closed = true;
  }

  private void writeLine(LogStream stream, String text) {
    if (closed || text == null) {
      return;
    }
    run.listeners().logLine(new LogLine(run.context().promotion(), state.alias(), stream,
        run.masker().mask(text), run.timekeeper().now()));
  }
}
