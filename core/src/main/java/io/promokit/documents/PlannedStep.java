package io.promokit.documents;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A step of a {@link PromotionPlan}: a {@code uses} step with its final alias, after task inflation.
 *
 * @param alias the full alias: {@code step-1}, {@code deploy}, or {@code task-2::step-1} inside a task
 * @param uses the step name to run
 * @param taskName the name of the task it came from, or null at top level
 * @param taskAlias the alias of the task step it came from (its namespace), or null at top level
 * @param ifCondition the {@code if} template, or null/empty for the default condition
 * @param continueOnError see {@link StepSpec#continueOnError()}
 * @param retry the retry block
 * @param vars the step's vars: task defaults, then the task step's vars, then its own (later wins)
 * @param config the config as written
 * @param location where the step is written (inside the task's file for inflated steps)
 * @param source where each of its fields and config nodes is written ({@link SourceMap#EMPTY} when built in
 *     code)
 */
public record PlannedStep(
    String alias,
    String uses,
    @Nullable String taskName,
    @Nullable String taskAlias,
    @Nullable String ifCondition,
    boolean continueOnError,
    RetrySpec retry,
    List<VarSpec> vars,
    Map<String, Object> config,
    SourceLocation location,
    SourceMap source) {

  public PlannedStep {
    Objects.requireNonNull(alias, "alias must not be null");
    Objects.requireNonNull(uses, "uses must not be null");
    retry = retry == null ? RetrySpec.DEFAULTS : retry;
    vars = vars == null ? List.of() : List.copyOf(vars);
    config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
    Objects.requireNonNull(location, "location must not be null");
    source = source == null ? SourceMap.EMPTY : source;
  }

  /** A step without a source map (as built in code). */
  public PlannedStep(String alias, String uses, String taskName, String taskAlias, String ifCondition,
      boolean continueOnError, RetrySpec retry, List<VarSpec> vars, Map<String, Object> config,
      SourceLocation location) {
    this(alias, uses, taskName, taskAlias, ifCondition, continueOnError, retry, vars, config, location,
        SourceMap.EMPTY);
  }

  /**
   * Where {@code path} is written: a field ({@code uses}, {@code as}) or a config path ({@code config.apps[0]})
   * at its key, else at the key of its nearest written ancestor (a missing field at the map that lacks it),
   * else the step's own location.
   *
   * @param path the path, or null for the step itself
   */
  public SourceLocation locationOf(String path) {
    return path == null ? location : source.nearestKeyOf(path).orElse(location);
  }

  /** Whether the step was inflated from a task. */
  public boolean isFromTask() {
    return taskAlias != null;
  }
}
