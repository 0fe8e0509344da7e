package io.promokit.internal;

import io.promokit.documents.Problem;
import io.promokit.documents.StepSpec;
import io.promokit.documents.VarSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The rules of SEMANTICS.md section 2 that concern a whole list of steps or vars as written. */
public final class StepListRules {

  /** What a user alias must look like (ours: keeps {@code ::} for inflated steps). */
  public static final Pattern ALIAS = Pattern.compile("^[A-Za-z_][A-Za-z0-9_-]*$");
  /** Aliases given to steps without one; users may not take them. */
  public static final Pattern RESERVED_ALIAS = Pattern.compile("^(step|task)-\\d+$");
  /** What a var name must look like. */
  public static final Pattern VAR_NAME = Pattern.compile("^[a-zA-Z_]\\w*$");
  /** Separates a task step's alias from the alias of a step inflated from the task. */
  public static final String NAMESPACE_SEPARATOR = "::";

  private StepListRules() {}

  /** The alias of the step at 1-based {@code position} of its list: its own, or {@code step-N}/{@code task-N}. */
  public static String aliasOf(StepSpec step, int position) {
    if (step.as() != null) {
      return step.as();
    }
    return (step.isTaskStep() ? "task-" : "step-") + position;
  }

  /**
   * Checks the user aliases of one list: well-formed, not reserved, unique in the list.
   *
   * @param fullAlias turns an alias of the list into the alias problems name (adds a task namespace)
   */
  public static void checkAliases(List<StepSpec> steps, Function<String, String> fullAlias, List<Problem> problems) {
    Map<String, StepSpec> seen = new HashMap<>();
    for (StepSpec step : steps) {
      String alias = step.as();
      if (alias == null) {
        continue;
      }
      if (RESERVED_ALIAS.matcher(alias).matches()) {
        problems.add(Problem.error(step.locationOf("as"), fullAlias.apply(alias), "as", "alias \"" + alias
            + "\" is reserved: step-N and task-N name the steps that have no alias"));
      } else if (!ALIAS.matcher(alias).matches()) {
        problems.add(Problem.error(step.locationOf("as"), fullAlias.apply(alias), "as", "alias \"" + alias
            + "\" is malformed: an alias starts with a letter or \"_\" and holds only letters, digits, \"_\" and \"-\""
            + (alias.contains(NAMESPACE_SEPARATOR) ? " (\"::\" is kept for steps inflated from tasks)" : "")));
      }
      StepSpec first = seen.putIfAbsent(alias, step);
      if (first != null) {
        problems.add(Problem.error(step.locationOf("as"), fullAlias.apply(alias), "as", "alias \"" + alias
            + "\" is already used by the step at " + first.location()));
      }
    }
  }

  /** Checks var names; a later duplicate is allowed (it wins). */
  public static void checkVarNames(List<VarSpec> vars, String alias, List<Problem> problems) {
    for (VarSpec var : vars) {
      if (!VAR_NAME.matcher(var.name()).matches()) {
        problems.add(Problem.error(var.location(), alias, null, "var name \"" + var.name()
            + "\" is malformed: a var name starts with a letter or \"_\" and holds only letters, digits and \"_\""));
      }
    }
  }

  /** Whether a var has a value that is not empty (Kargo's test for "given"). */
  public static boolean hasNonEmptyValue(VarSpec var) {
    return var.value() != null && !(var.value() instanceof String s && s.isEmpty());
  }
}
