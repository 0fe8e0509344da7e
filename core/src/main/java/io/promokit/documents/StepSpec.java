package io.promokit.documents;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One step as written in a template or task (before task inflation).
 *
 * @param uses the step name, or null for a task step
 * @param task the task reference, or null for a {@code uses} step
 * @param as the user's alias, or null for the default ({@code step-N}/{@code task-N})
 * @param ifCondition the {@code if} template, or null/empty for the default condition
 * @param continueOnError whether failures of this step are ignored by the default {@code if},
 *     {@code failure()}, {@code success()} and the final phase
 * @param retry the retry block ({@link RetrySpec#DEFAULTS} when absent)
 * @param vars the step's vars in order
 * @param config the step's config (any JSON object; string values may hold expressions)
 * @param location where the step is written
 * @param source where each of its fields and config nodes is written ({@link SourceMap#EMPTY} when built in
 *     code)
 */
public record StepSpec(
    @Nullable String uses,
    @Nullable TaskRef task,
    @Nullable String as,
    @Nullable String ifCondition,
    boolean continueOnError,
    RetrySpec retry,
    List<VarSpec> vars,
    Map<String, Object> config,
    SourceLocation location,
    SourceMap source) {

  public StepSpec {
    retry = retry == null ? RetrySpec.DEFAULTS : retry;
    vars = vars == null ? List.of() : List.copyOf(vars);
    config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
    Objects.requireNonNull(location, "location must not be null");
    source = source == null ? SourceMap.EMPTY : source;
  }

  /** A step without a source map (as built in code). */
  public StepSpec(String uses, TaskRef task, String as, String ifCondition, boolean continueOnError,
      RetrySpec retry, List<VarSpec> vars, Map<String, Object> config, SourceLocation location) {
    this(uses, task, as, ifCondition, continueOnError, retry, vars, config, location, SourceMap.EMPTY);
  }

  /** A {@code uses} step built in code. */
  public static StepSpec uses(String name, String as, Map<String, Object> config) {
    return new StepSpec(name, null, as, null, false, RetrySpec.DEFAULTS, List.of(), config, SourceLocation.IN_CODE);
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

  /** Whether this step refers to a task rather than a step name. */
  public boolean isTaskStep() {
    return task != null;
  }
}
