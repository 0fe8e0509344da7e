package io.promokit.internal.engine;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outputs of one run: {@code outputs[alias]} as expressions read them, each task's siblings for
 * {@code task.outputs}, and {@code compose-output}'s merge into its task's alias (SEMANTICS.md section 6).
 * Changed by the coordinator only; steps read it through a read-only view.
 */
final class OutputStore {

  /** The built-in step whose outputs inside a task also go to the task's alias. */
  static final String COMPOSE_OUTPUT = "compose-output";

  private final Map<String, Map<String, Object>> byAlias = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> view = Collections.unmodifiableMap(byAlias);
  private final Map<String, Map<String, Map<String, Object>>> byTask = new HashMap<>();

  /** Every output by alias (task aliases included), read-only and live. */
  Map<String, Map<String, Object>> view() {
    return view;
  }

  /** The outputs of the steps of a task, by their inner alias, read-only and live. */
  Map<String, Map<String, Object>> siblingsOf(String taskAlias) {
    return Collections.unmodifiableMap(byTask.getOrDefault(taskAlias, Map.of()));
  }

  /**
   * A step's outputs after an attempt: they replace its entry (also when empty), become its previous outputs
   * when not empty, and, for a successful {@code compose-output} inside a task, merge into the task's entry.
   */
  void set(StepState state, Map<String, Object> values, boolean succeeded) {
    Map<String, Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    state.outputs = copy;
    if (!copy.isEmpty()) {
      state.previousOutputs = copy;
    }
    byAlias.put(state.alias(), copy);
    if (state.step.isFromTask()) {
      byTask.computeIfAbsent(state.step.taskAlias(), k -> new LinkedHashMap<>()).put(state.innerAlias(), copy);
      if (succeeded && COMPOSE_OUTPUT.equals(state.step.uses())) {
        Map<String, Object> merged = new LinkedHashMap<>(byAlias.getOrDefault(state.step.taskAlias(), Map.of()));
        merged.putAll(copy);
        byAlias.put(state.step.taskAlias(), Collections.unmodifiableMap(merged));
      }
    }
  }

  /** An entry that belongs to no step (a task alias's composed outputs), taken back from a record. */
  void restoreComposed(String taskAlias, Map<?, ?> values) {
    Map<String, Object> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(String.valueOf(k), v));
    byAlias.put(taskAlias, Collections.unmodifiableMap(copy));
  }
}
