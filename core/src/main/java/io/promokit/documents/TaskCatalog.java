package io.promokit.documents;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The promotion tasks a template may use, by kind and name. Immutable. */
public final class TaskCatalog {

  private static final TaskCatalog EMPTY = new TaskCatalog(Map.of());

  private final Map<TaskRef, PromotionTask> tasks;

  private TaskCatalog(Map<TaskRef, PromotionTask> tasks) {
    this.tasks = tasks;
  }

  /** A catalog with no tasks. */
  public static TaskCatalog empty() {
    return EMPTY;
  }

  /**
   * A catalog of the given tasks.
   *
   * @throws DocumentException when two tasks share a kind and name (naming both locations)
   */
  public static TaskCatalog of(Collection<PromotionTask> tasks) {
    Map<TaskRef, PromotionTask> byRef = new LinkedHashMap<>();
    for (PromotionTask task : tasks) {
      PromotionTask previous = byRef.putIfAbsent(task.ref(), task);
      if (previous != null) {
        throw new DocumentException(task.location(), "metadata.name",
            task.ref() + " is defined twice (first at " + previous.location() + ")");
      }
    }
    return new TaskCatalog(Map.copyOf(byRef));
  }

  public Optional<PromotionTask> find(TaskRef ref) {
    return Optional.ofNullable(tasks.get(ref));
  }

  /** Every task, in no particular order. */
  public List<PromotionTask> tasks() {
    return List.copyOf(tasks.values());
  }

  public boolean isEmpty() {
    return tasks.isEmpty();
  }
}
