package io.promokit.internal.validation;

import io.promokit.documents.PlannedStep;
import io.promokit.documents.Problem;
import io.promokit.expressions.ClosestNames;
import io.promokit.expressions.ParsedExpression;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * References to outputs must name something that exists by then (SEMANTICS.md sections 5 and 6, Kargo's
 * rules): {@code outputs.X} needs a step aliased X (its full alias, such as {@code task-2::step-1}) or a
 * task step aliased X (filled by the task's {@code compose-output} steps) that runs earlier;
 * {@code task.outputs.X} is only defined inside a task and needs an earlier step of the same task aliased X.
 * Global vars are evaluated before any step, so they see neither.
 */
final class OutputReferenceCheck implements ValidationCheck {

  static final String COMPOSE_OUTPUT = "compose-output";
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Override
  public void check(ValidationInput input, Consumer<Problem> problems) {
    for (ExpressionSite site : input.expressions().globalVarSites()) {
      for (String root : roots(site)) {
        if (root.equals("outputs") || root.equals("task")) {
          problems.accept(Problem.error(site.location(), null, site.path(), "global vars are evaluated before any"
              + " step runs, so \"" + root + "\" is not defined here; read it in a step var or in config"));
        }
      }
    }
    List<PlannedStep> steps = input.plan().steps();
    Plan plan = new Plan(steps);
    Seen seen = new Seen();
    for (int k = 0; k < steps.size(); k++) {
      PlannedStep step = steps.get(k);
      Scope scope = new Scope(step, plan, seen);
      for (ExpressionSite site : input.expressions().stepSites(k)) {
        Set<String> messages = new LinkedHashSet<>();
        Set<String> warnings = new LinkedHashSet<>();
        for (ParsedExpression expression : site.expressions()) {
          for (List<String> path : expression.references()) {
            checkPath(scope, path, messages, warnings);
          }
        }
        for (String m : messages) {
          problems.accept(Problem.error(site.location(), site.alias(), site.path(), m));
        }
        for (String m : warnings) {
          problems.accept(Problem.warning(site.location(), site.alias(), site.path(), m));
        }
      }
      seen.add(step);
    }
  }

  private static Set<String> roots(ExpressionSite site) {
    Set<String> roots = new LinkedHashSet<>();
    for (ParsedExpression expression : site.expressions()) {
      expression.references().stream().filter(path -> !path.isEmpty()).forEach(path -> roots.add(path.get(0)));
    }
    return roots;
  }

  private static void checkPath(Scope scope, List<String> path, Set<String> errors, Set<String> warnings) {
    if (path.isEmpty()) {
      return;
    }
    if (path.get(0).equals("outputs") && path.size() >= 2) {
      checkOutput(scope, path.get(1), errors, warnings);
    } else if (path.get(0).equals("task")) {
      if (scope.step.taskAlias() == null) {
        errors.add("\"task\" is defined only for the steps of a promotion task");
      } else if (path.size() >= 2 && !path.get(1).equals("outputs")) {
        warnings.add("task." + path.get(1) + " is null: \"task\" holds only \"outputs\"");
      } else if (path.size() >= 3) {
        checkTaskOutput(scope, path.get(2), errors, warnings);
      }
    }
  }

  private static void checkOutput(Scope scope, String name, Set<String> errors, Set<String> warnings) {
    String reference = reference("outputs", name);
    if (scope.earlierAliases.contains(name)) {
      return;
    }
    if (scope.earlierTaskAliases.contains(name)) {
      if (!scope.composingTasks.contains(name)) {
        warnings.add(reference + " is not set: the steps of task \"" + name + "\" that run before this one have no"
            + " " + COMPOSE_OUTPUT + " step (read a step of the task as outputs['" + name + "::<alias>'])");
      }
      return;
    }
    if (name.equals(scope.step.alias())) {
      warnings.add(reference + " is this step's own output, which is set only after its first attempt");
      return;
    }
    if (scope.runsLater(name)) {
      errors.add(reference + " refers to step \"" + name + "\", which runs after this one");
      return;
    }
    errors.add(reference + " refers to no step that runs before this one"
        + hint(name, scope.earlierAliases, scope.allAliases));
  }

  private static void checkTaskOutput(Scope scope, String name, Set<String> errors, Set<String> warnings) {
    String reference = reference("task.outputs", name);
    if (scope.earlierSiblings.contains(name)) {
      return;
    }
    if (name.equals(scope.innerAlias())) {
      warnings.add(reference + " is this step's own output, which is set only after its first attempt");
      return;
    }
    if (scope.siblingRunsLater(name)) {
      errors.add(reference + " refers to step \"" + name + "\" of this task, which runs after this one");
      return;
    }
    errors.add(reference + " refers to no step of this task that runs before this one"
        + hint(name, scope.earlierSiblings, scope.allSiblings));
  }

  /** A dash hint when some alias reads as a subtraction, else the closest earlier aliases. */
  private static String hint(String name, Set<String> candidates, Set<String> allAliases) {
    for (String candidate : allAliases) {
      if (candidate.startsWith(name + "-")) {
        return "; an alias with a dash is read as outputs['" + candidate + "'] (outputs." + candidate
            + " is a subtraction)";
      }
    }
    String suggestion = ClosestNames.didYouMean(name, candidates);
    return suggestion.isEmpty() ? "" : "; " + suggestion;
  }

  private static String reference(String root, String name) {
    return IDENTIFIER.matcher(name).matches() ? root + "." + name : root + "['" + name + "']";
  }

  /** Every alias of the plan, for "runs later" and dash hints. */
  private static final class Plan {
    final Set<String> aliases = new LinkedHashSet<>();
    final Map<String, Set<String>> innerAliasesByTask = new HashMap<>();

    Plan(List<PlannedStep> steps) {
      for (PlannedStep step : steps) {
        aliases.add(step.alias());
        if (step.taskAlias() != null) {
          aliases.add(step.taskAlias());
          innerAliasesByTask.computeIfAbsent(step.taskAlias(), t -> new LinkedHashSet<>()).add(innerAlias(step));
        }
      }
    }
  }

  /** What the steps run so far left behind; grows as the check walks the plan. */
  private static final class Seen {
    final Set<String> aliases = new LinkedHashSet<>();
    final Set<String> taskAliases = new LinkedHashSet<>();
    final Set<String> composingTasks = new HashSet<>();
    final Map<String, Set<String>> innerAliasesByTask = new HashMap<>();

    void add(PlannedStep step) {
      aliases.add(step.alias());
      if (step.taskAlias() != null) {
        taskAliases.add(step.taskAlias());
        innerAliasesByTask.computeIfAbsent(step.taskAlias(), t -> new LinkedHashSet<>()).add(innerAlias(step));
        if (step.uses().equals(COMPOSE_OUTPUT)) {
          composingTasks.add(step.taskAlias());
        }
      }
    }
  }

  /** What one step can see. */
  private static final class Scope {
    final PlannedStep step;
    final Set<String> earlierAliases;
    final Set<String> earlierTaskAliases;
    final Set<String> composingTasks;
    final Set<String> allAliases;
    final Set<String> earlierSiblings;
    final Set<String> allSiblings;

    Scope(PlannedStep step, Plan plan, Seen seen) {
      this.step = step;
      this.earlierAliases = seen.aliases;
      this.earlierTaskAliases = seen.taskAliases;
      this.composingTasks = seen.composingTasks;
      this.allAliases = plan.aliases;
      String task = step.taskAlias();
      this.earlierSiblings = task == null ? Set.of() : seen.innerAliasesByTask.getOrDefault(task, Set.of());
      this.allSiblings = task == null ? Set.of() : plan.innerAliasesByTask.getOrDefault(task, Set.of());
    }

    String innerAlias() {
      return OutputReferenceCheck.innerAlias(step);
    }

    /** An alias of the plan that has not run yet (this step's own excluded). */
    boolean runsLater(String alias) {
      return allAliases.contains(alias) && !earlierAliases.contains(alias) && !earlierTaskAliases.contains(alias)
          && !alias.equals(step.alias());
    }

    boolean siblingRunsLater(String inner) {
      return allSiblings.contains(inner) && !earlierSiblings.contains(inner) && !inner.equals(innerAlias());
    }
  }

  static String innerAlias(PlannedStep step) {
    return step.taskAlias() == null ? step.alias() : step.alias().substring(step.taskAlias().length() + 2);
  }
}
