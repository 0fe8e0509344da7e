package io.promokit.expressions;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What {@code success()}, {@code failure()}, {@code always()} and {@code status(alias)} see: the
 * statuses of the steps considered so far. The engine passes the real history; tools pass a fixed one.
 */
public interface StepStatusView {

  /** {@code failure()}: whether any step so far, ignoring {@code continueOnError} steps, Failed or Errored. */
  boolean anyFailed();

  /**
   * {@code status(alias)}: the status of the step with that alias in the caller's namespace, or
   * {@code ""} when there is none.
   */
  String status(String alias);

  /**
   * A view over a fixed history, as seen from the step {@code currentAlias}. {@code status(a)} looks in
   * the current step's namespace: a top-level step sees top-level aliases, a step {@code t::s} inside a
   * task sees its siblings {@code t::*}.
   *
   * @param history the steps before the current one, in order
   * @param currentAlias the alias of the step being evaluated (may be {@code null} or empty: top level)
   */
  static StepStatusView of(List<StepStatusEntry> history, String currentAlias) {
    List<StepStatusEntry> entries = List.copyOf(history);
    Map<String, String> byAlias = entries.stream()
        .collect(Collectors.toMap(StepStatusEntry::alias, StepStatusEntry::status, (a, b) -> b));
    String namespace = namespaceOf(currentAlias);
    boolean failed = entries.stream().anyMatch(e -> !e.continueOnError()
        && ("Failed".equals(e.status()) || "Errored".equals(e.status())));
    Function<String, String> qualify = alias -> namespace.isEmpty() ? alias : namespace + "::" + alias;
    return new StepStatusView() {
      @Override
      public boolean anyFailed() {
        return failed;
      }

      @Override
      public String status(String alias) {
        return byAlias.getOrDefault(qualify.apply(alias), "");
      }
    };
  }

  /** The task namespace of an alias: {@code "task-2"} for {@code "task-2::step-1"}, {@code ""} at top level. */
  static String namespaceOf(String alias) {
    if (alias == null) {
      return "";
    }
    int cut = alias.lastIndexOf("::");
    return cut < 0 ? "" : alias.substring(0, cut);
  }
}
