package io.promokit.internal.engine;

import io.promokit.StepStatus;
import io.promokit.documents.PlannedStep;
import io.promokit.records.ContainerReport;
import java.time.Instant;
import java.util.Map;

/** The mutable state of one step during a run; only the run's coordinator thread changes it. */
final class StepState {
  final PlannedStep step;
  StepStatus status = StepStatus.PENDING;
  int attempts;
  int consecutiveErrors;
  int runningPolls;
  Instant startedAt;
  Instant finishedAt;
  Instant nextAttemptAt;
  String message = "";
  String lastError;
  Map<String, Object> config = Map.of();
  Map<String, Object> outputs = Map.of();
  /** The last non-empty outputs an attempt produced: {@link io.promokit.StepContext#previousOutputs()}. */
  Map<String, Object> previousOutputs = Map.of();
  ContainerReport container;
  /** Started during a graceful abort: a clean-up step that the abort does not stop. */
  boolean cleanup;
  /** Not run because the promotion was aborted before it started. */
  boolean skippedByAbort;

  StepState(PlannedStep step) {
    this.step = step;
  }

  String alias() {
    return step.alias();
  }

  /** The inner alias within its task ({@code step-1} for {@code task-2::step-1}), or the alias itself. */
  String innerAlias() {
    return step.isFromTask() ? step.alias().substring(step.taskAlias().length() + 2) : step.alias();
  }
}
