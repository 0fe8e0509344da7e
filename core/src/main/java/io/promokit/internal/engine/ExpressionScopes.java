package io.promokit.internal.engine;

import io.promokit.PromotionContext;
import io.promokit.StepStatus;
import io.promokit.documents.SourceLocation;
import io.promokit.documents.VarSpec;
import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.SecretMasker;
import io.promokit.expressions.StepStatusView;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What each expression of a run sees (SEMANTICS.md section 5): {@code ctx}, {@code vars} (global, then the
 * step's, evaluated in order), {@code outputs}, {@code task.outputs} inside a task, the status functions in
 * {@code if} and config, and the host's secrets, config maps and freight, every secret value registered with
 * the run's masker.
 */
final class ExpressionScopes {

  private final EngineSettings engine;
  private final PromotionSettings promotion;
  private final SecretMasker masker;
  private final OutputStore outputs;
  private final StepStates steps;
  private final BooleanSupplier failedSoFar;

  /**
   * @param failedSoFar what {@code failure()} says at the time a scope is made (a failed step, or an abort)
   */
  ExpressionScopes(EngineSettings engine, PromotionSettings promotion, SecretMasker masker, OutputStore outputs,
      StepStates steps, BooleanSupplier failedSoFar) {
    this.engine = engine;
    this.promotion = promotion;
    this.masker = masker;
    this.outputs = outputs;
    this.steps = steps;
    this.failedSoFar = failedSoFar;
  }

  ExpressionResolver resolver() {
    return promotion.resolver();
  }

  /**
   * Global vars, then the step's vars, evaluated in order.
   *
   * @throws ExpressionException naming the var ({@code vars.name}) that failed
   */
  Map<String, Object> varsOf(StepState state) {
    Map<String, Object> vars = new LinkedHashMap<>();
    ExpressionEnvironment globalScope = base()
        .variable("ctx", context().toExpressionMap(state.alias()))
        .variable("vars", Collections.unmodifiableMap(vars))
        .build();
    for (VarSpec var : globalVars()) {
      vars.put(var.name(), evaluate(var, globalScope));
    }
    if (!state.step.vars().isEmpty()) {
      ExpressionEnvironment stepScope = stepScope(state, vars, false);
      for (VarSpec var : state.step.vars()) {
        vars.put(var.name(), evaluate(var, stepScope));
      }
    }
    return vars;
  }

  /** The global vars as the record shows them: evaluated at the start, or as written when they fail. */
  Map<String, Object> varsForRecord() {
    Map<String, Object> vars = new LinkedHashMap<>();
    ExpressionEnvironment scope = base()
        .variable("ctx", context().toExpressionMap(""))
        .variable("vars", Collections.unmodifiableMap(vars))
        .build();
    for (VarSpec var : globalVars()) {
      Object value;
      try {
        value = evaluate(var, scope);
      } catch (ExpressionException e) {
        value = var.value();
      }
      vars.put(var.name(), value);
    }
    return vars;
  }

  /** What a step's vars ({@code withStatus} false), {@code if} and config ({@code withStatus} true) see. */
  ExpressionEnvironment stepScope(StepState state, Map<String, Object> vars, boolean withStatus) {
    ExpressionEnvironment.Builder b = base()
        .variable("ctx", context().toExpressionMap(state.alias()))
        .variable("vars", vars)
        .variable("outputs", outputs.view());
    if (state.step.isFromTask()) {
      b.variable("task", Map.of("outputs", outputs.siblingsOf(state.step.taskAlias())));
    }
    if (withStatus) {
      b.statusView(statusViewFor(state));
    }
    return b.build();
  }

  /** An environment that sees only the given variables (container command/env, output transforms). */
  ExpressionEnvironment isolated(Map<String, Object> variables) {
    return base().variables(variables).build();
  }

  /** Whether {@code if} calls {@code always()} or {@code failure()}: a step a graceful abort still runs. */
  boolean callsAlwaysOrFailure(String condition) {
    try {
      return resolver().inspect(condition).expressions().stream()
          .anyMatch(e -> e.functions().contains("always") || e.functions().contains("failure"));
    } catch (ExpressionException e) {
      return false;
    }
  }

  /** A var's value; an error names the var and, for the step's message, where its value is written. */
  private Object evaluate(VarSpec var, ExpressionEnvironment scope) {
    if (var.value() instanceof String text) {
      try {
        return resolver().resolve(text, scope);
      } catch (ExpressionException e) {
        SourceLocation at = (e.column() > 0 ? var.source().charOf("value", text, e.column() - 1)
            : var.source().valueOf("value")).orElse(var.location());
        throw new LocatedExpressionException(e.withConfigPath("vars." + var.name()), at);
      }
    }
    return var.value();
  }

  /** The status functions over the live history, in the step's task namespace. */
  private StepStatusView statusViewFor(StepState state) {
    String namespace = StepStatusView.namespaceOf(state.alias());
    boolean failed = failedSoFar.getAsBoolean();
    return new StepStatusView() {
      @Override
      public boolean anyFailed() {
        return failed;
      }

      @Override
      public String status(String alias) {
        StepState other = steps.get(namespace.isEmpty() ? alias : namespace + "::" + alias);
        return other == null || other.status == StepStatus.PENDING || other == state ? "" : other.status.word();
      }
    };
  }

  private ExpressionEnvironment.Builder base() {
    return ExpressionEnvironment.builder()
        .secrets(engine.secrets())
        .configMaps(engine.configMaps())
        .freight(engine.freight())
        .masker(masker);
  }

  private List<VarSpec> globalVars() {
    return promotion.plan().vars();
  }

  private PromotionContext context() {
    return promotion.context();
  }
}
