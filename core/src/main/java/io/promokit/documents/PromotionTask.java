package io.promokit.documents;

import java.util.List;
import java.util.Objects;

/**
 * A {@code PromotionTask} or {@code ClusterPromotionTask}: reusable steps with vars (a var without a
 * value is required from the step that uses the task).
 */
public record PromotionTask(
    String name, TaskRef.TaskKind kind, List<VarSpec> vars, List<StepSpec> steps, SourceLocation location) {
  public PromotionTask {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(kind, "kind must not be null");
    vars = vars == null ? List.of() : List.copyOf(vars);
    steps = steps == null ? List.of() : List.copyOf(steps);
    Objects.requireNonNull(location, "location must not be null");
  }

  /** The reference a step uses to call this task. */
  public TaskRef ref() {
    return new TaskRef(name, kind);
  }
}
