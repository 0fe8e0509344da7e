package io.promokit.documents;

import io.promokit.internal.TaskInflater;
import io.promokit.validation.ValidationException;
import java.util.List;
import java.util.Objects;

/**
 * A template with its task steps inflated: the exact list of steps a promotion runs, with final aliases
 * (SEMANTICS.md sections 2 and 6).
 *
 * @param name the template's name
 * @param vars the global vars
 * @param steps the steps in order
 */
public record PromotionPlan(String name, List<VarSpec> vars, List<PlannedStep> steps) {

  public PromotionPlan {
    Objects.requireNonNull(name, "name must not be null");
    vars = List.copyOf(vars);
    steps = List.copyOf(steps);
  }

  /**
   * Inflates the template's task steps with the given tasks.
   *
   * @throws ValidationException listing every inflation problem (unknown task, a task that uses a task,
   *     {@code missing value for variable "<name>"} naming the task, bad aliases)
   */
  public static PromotionPlan inflate(PromotionTemplate template, TaskCatalog tasks) {
    return TaskInflater.inflate(template, tasks);
  }
}
