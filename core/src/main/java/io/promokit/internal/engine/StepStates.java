package io.promokit.internal.engine;

import io.promokit.documents.PlannedStep;
import io.promokit.documents.PromotionPlan;
import io.promokit.StepStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The states of a run's steps, in plan order and by alias, and whether one has failed the promotion so far. */
final class StepStates {

  private final List<StepState> inOrder = new ArrayList<>();
  private final Map<String, StepState> byAlias = new HashMap<>();
  private boolean anyFailed;

  StepStates(PromotionPlan plan) {
    for (PlannedStep step : plan.steps()) {
      StepState state = new StepState(step);
      inOrder.add(state);
      byAlias.put(step.alias(), state);
    }
  }

  List<StepState> inOrder() {
    return inOrder;
  }

  /** The step with this alias, or null. */
  StepState get(String alias) {
    return byAlias.get(alias);
  }

  List<String> aliases() {
    return inOrder.stream().map(StepState::alias).toList();
  }

  /** Whether a step without {@code continueOnError} has ended Failed or Errored (what {@code failure()} sees). */
  boolean anyFailed() {
    return anyFailed;
  }

  /** Notes a step's new status for {@link #anyFailed()}. */
  void noteStatus(StepState state) {
    if (state.status.isFailure() && !state.step.continueOnError()) {
      anyFailed = true;
    }
  }

  /** The first step with this status, or null. */
  StepState firstWith(StepStatus status) {
    return inOrder.stream().filter(s -> s.status == status).findFirst().orElse(null);
  }
}
