package io.promokit.internal.engine;

import io.promokit.StepStatus;
import io.promokit.documents.SourceLocation;
import io.promokit.expressions.ExpressionException;
import io.promokit.internal.engine.AttemptRunner.Abort;

/**
 * Whether a step that has not started yet runs (SEMANTICS.md sections 3 and 4): an abort skips it unless a
 * graceful abort meets an {@code if} calling {@code always()} or {@code failure()}; an empty {@code if} runs it
 * when nothing failed so far; otherwise its {@code if} is evaluated once and must give a boolean.
 */
final class StartCondition {

  private final ExpressionScopes scopes;
  private final StepStates steps;
  private final AttemptRunner attempts;
  private final StepTransitions transitions;

  StartCondition(ExpressionScopes scopes, StepStates steps, AttemptRunner attempts, StepTransitions transitions) {
    this.scopes = scopes;
    this.steps = steps;
    this.attempts = attempts;
    this.transitions = transitions;
  }

  /** Evaluates the step's {@code if}; returns whether it runs, else it has been marked Skipped or Errored. */
  boolean decide(StepState state) {
    String condition = state.step.ifCondition();
    boolean hasCondition = condition != null && !condition.isBlank();
    Abort abort = attempts.abort();
    if (abort == Abort.HARD || (abort == Abort.GRACEFUL && !(hasCondition && scopes.callsAlwaysOrFailure(condition)))) {
      transitions.skipForAbort(state);
      return false;
    }
    if (!hasCondition) {
      if (steps.anyFailed()) {
        transitions.skip(state, "");
        return false;
      }
      return true;
    }
    if (!condition.contains("${{") && !condition.contains("${%")) {
      return errored(state, "if must be an expression such as ${{ always() }}, but was the plain string \""
          + condition + "\"", state.step.source().valueOf("if").orElse(null));
    }
    Object value;
    try {
      value = scopes.resolver().resolve(condition, scopes.stepScope(state, scopes.varsOf(state), true));
    } catch (LocatedExpressionException e) {
      return errored(state, e.getMessage(), e.location());   // one of the step's vars
    } catch (ExpressionException e) {
      return errored(state, "if: " + e.getMessage(), StepMessages.locate(state, "if", e));
    }
    if (!(value instanceof Boolean run)) {
      return errored(state, "if must evaluate to a boolean, but \"" + condition + "\" gave "
          + StepMessages.describe(value), state.step.source().valueOf("if").orElse(null));
    }
    if (!run) {
      transitions.skip(state, "");
    }
    return run;
  }

  private boolean errored(StepState state, String message) {
    return errored(state, message, null);
  }

  private boolean errored(StepState state, String message, SourceLocation at) {
    transitions.finish(state, StepStatus.ERRORED, StepMessages.ofStep(state, message, at));
    return false;
  }
}
