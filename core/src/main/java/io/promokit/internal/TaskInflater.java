package io.promokit.internal;

import io.promokit.documents.PlannedStep;
import io.promokit.documents.Problem;
import io.promokit.documents.PromotionPlan;
import io.promokit.documents.PromotionTask;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.RetrySpec;
import io.promokit.documents.StepSpec;
import io.promokit.documents.TaskCatalog;
import io.promokit.documents.TaskRef;
import io.promokit.documents.VarSpec;
import io.promokit.expressions.ClosestNames;
import io.promokit.validation.ValidationException;
import io.promokit.validation.ValidationReport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Inflates task steps into a {@link PromotionPlan} (SEMANTICS.md sections 2 and 6), checking on the way the
 * rules of the step lists as written: aliases, var names, {@code uses} versus {@code task}, what a task step
 * may set, known tasks, tasks that use tasks, and required task vars. Every problem is collected.
 *
 * <p>Vars of an inflated step: the task's vars with a value, then the task step's vars, then the inner
 * step's own (later wins). As in Kargo, a task var is left out when a global var of the same name has a
 * non-empty value, so the global one applies; a task var with no value must then be given by the task
 * step, unless such a global var exists.
 */
public final class TaskInflater {

  /**
   * A plan with the problems found while making it. With errors, the plan holds the steps that could be
   * inflated (enough for validation to go on and find more problems).
   */
  public record Inflation(PromotionPlan plan, List<Problem> problems) {
    public Inflation {
      Objects.requireNonNull(plan, "plan must not be null");
      problems = List.copyOf(problems);
    }

    public boolean hasErrors() {
      for (Problem p : problems) {
        if (p.severity() == Problem.Severity.ERROR) {
          return true;
        }
      }
      return false;
    }
  }

  private final PromotionTemplate template;
  private final TaskCatalog tasks;
  private final List<Problem> problems = new ArrayList<>();
  private final List<PlannedStep> planned = new ArrayList<>();
  private final Set<TaskRef> checkedTasks = new HashSet<>();
  private final Set<String> globalsWithValues;

  private TaskInflater(PromotionTemplate template, TaskCatalog tasks) {
    this.template = Objects.requireNonNull(template, "template must not be null");
    this.tasks = Objects.requireNonNull(tasks, "tasks must not be null");
    this.globalsWithValues = namesWithValues(template.vars());
  }

  /**
   * Inflates the template's task steps.
   *
   * @throws ValidationException listing every problem found
   */
  public static PromotionPlan inflate(PromotionTemplate template, TaskCatalog tasks) {
    Inflation inflation = inflateCollecting(template, tasks);
    if (inflation.hasErrors()) {
      throw new ValidationException(ValidationReport.of(inflation.problems()));
    }
    return inflation.plan();
  }

  /** Inflates as far as possible and returns the plan with every problem found. */
  public static Inflation inflateCollecting(PromotionTemplate template, TaskCatalog tasks) {
    TaskInflater inflater = new TaskInflater(template, tasks);
    inflater.run();
    return new Inflation(new PromotionPlan(template.name(), template.vars(), inflater.planned), inflater.problems);
  }

  private void run() {
    StepListRules.checkVarNames(template.vars(), null, problems);
    StepListRules.checkAliases(template.steps(), alias -> alias, problems);
    List<StepSpec> steps = template.steps();
    for (int i = 0; i < steps.size(); i++) {
      StepSpec step = steps.get(i);
      String alias = StepListRules.aliasOf(step, i + 1);
      StepListRules.checkVarNames(step.vars(), alias, problems);
      if (!exactlyOneOfUsesAndTask(step, alias)) {
        continue;
      }
      if (step.isTaskStep()) {
        inflateTaskStep(step, alias);
      } else {
        planned.add(new PlannedStep(alias, step.uses(), null, null, step.ifCondition(), step.continueOnError(),
            step.retry(), step.vars(), step.config(), step.location(), step.source()));
      }
    }
  }

  private boolean exactlyOneOfUsesAndTask(StepSpec step, String alias) {
    if (step.uses() != null && step.task() != null) {
      problems.add(Problem.error(step.location(), alias, null,
          "a step sets exactly one of \"uses\" and \"task\", but this one sets both"));
      return false;
    }
    if (step.uses() == null && step.task() == null) {
      problems.add(Problem.error(step.location(), alias, null,
          "a step sets exactly one of \"uses\" (a step name) and \"task\" (a promotion task), but this one sets neither"));
      return false;
    }
    return true;
  }

  private void inflateTaskStep(StepSpec step, String alias) {
    List<String> extraFields = fieldsBesidesTaskAsAndVars(step);
    if (!extraFields.isEmpty()) {
      problems.add(Problem.error(step.location(), alias, null, "a task step may set only \"task\", \"as\" and"
          + " \"vars\", but this one also sets " + extraFields.stream().map(f -> "\"" + f + "\"")
          .collect(Collectors.joining(", "))));
    }
    PromotionTask task = tasks.find(step.task()).orElse(null);
    if (task == null) {
      problems.add(Problem.error(step.locationOf("task"), alias, "task", unknownTaskMessage(step.task())));
      return;
    }
    if (checkedTasks.add(task.ref())) {
      checkTaskSteps(task, alias);
    }
    List<VarSpec> taskVars = varsFromTask(task, step, alias);
    List<StepSpec> inner = task.steps();
    for (int j = 0; j < inner.size(); j++) {
      StepSpec innerStep = inner.get(j);
      if (innerStep.isTaskStep() || innerStep.uses() == null) {
        continue;
      }
      List<VarSpec> vars = new ArrayList<>(taskVars);
      vars.addAll(innerStep.vars());
      planned.add(new PlannedStep(
          alias + StepListRules.NAMESPACE_SEPARATOR + StepListRules.aliasOf(innerStep, j + 1),
          innerStep.uses(), task.name(), alias, innerStep.ifCondition(), innerStep.continueOnError(),
          innerStep.retry(), vars, innerStep.config(), innerStep.location(), innerStep.source()));
    }
  }

  /** The rules of the task's own lists, checked once per task (named by the first task step using it). */
  private void checkTaskSteps(PromotionTask task, String taskAlias) {
    String prefix = taskAlias + StepListRules.NAMESPACE_SEPARATOR;
    StepListRules.checkVarNames(task.vars(), null, problems);
    StepListRules.checkAliases(task.steps(), alias -> prefix + alias, problems);
    List<StepSpec> inner = task.steps();
    for (int j = 0; j < inner.size(); j++) {
      StepSpec step = inner.get(j);
      String alias = prefix + StepListRules.aliasOf(step, j + 1);
      StepListRules.checkVarNames(step.vars(), alias, problems);
      if (step.isTaskStep()) {
        problems.add(Problem.error(step.locationOf("task"), alias, "task", "a promotion task cannot use another task, but "
            + task.ref() + " uses " + step.task()));
      } else if (step.uses() == null) {
        problems.add(Problem.error(step.location(), alias, null,
            "a step of a promotion task must set \"uses\" (a step name)"));
      }
    }
  }

  /** The names of the vars that have a value (a loop, not a stream: every validation starts here). */
  private static Set<String> namesWithValues(List<VarSpec> vars) {
    Set<String> names = new HashSet<>();
    for (VarSpec var : vars) {
      if (StepListRules.hasNonEmptyValue(var)) {
        names.add(var.name());
      }
    }
    return names;
  }

  /** Task vars with values (unless a global var with a value overrides them), then the task step's vars. */
  private List<VarSpec> varsFromTask(PromotionTask task, StepSpec step, String alias) {
    Set<String> givenByStep = namesWithValues(step.vars());
    List<VarSpec> vars = new ArrayList<>();
    for (VarSpec var : task.vars()) {
      if (globalsWithValues.contains(var.name())) {
        continue;
      }
      if (StepListRules.hasNonEmptyValue(var)) {
        vars.add(var);
      } else if (!givenByStep.contains(var.name())) {
        problems.add(Problem.error(step.locationOf("vars"), alias, "vars", "missing value for variable \"" + var.name()
            + "\" of task " + task.ref() + " (give it in this step's vars, or as a global var)"));
      }
    }
    vars.addAll(step.vars());
    return vars;
  }

  private static List<String> fieldsBesidesTaskAsAndVars(StepSpec step) {
    List<String> fields = new ArrayList<>();
    if (step.ifCondition() != null) {
      fields.add("if");
    }
    if (step.continueOnError()) {
      fields.add("continueOnError");
    }
    if (!step.retry().equals(RetrySpec.DEFAULTS)) {
      fields.add("retry");
    }
    if (!step.config().isEmpty()) {
      fields.add("config");
    }
    return fields;
  }

  private String unknownTaskMessage(TaskRef ref) {
    StringBuilder message = new StringBuilder("unknown task ").append(ref);
    List<String> sameKind = tasks.tasks().stream()
        .filter(t -> t.kind() == ref.kind()).map(PromotionTask::name).sorted().toList();
    String suggestion = ClosestNames.didYouMean(ref.name(), sameKind);
    if (!suggestion.isEmpty()) {
      message.append("; ").append(suggestion);
    }
    tasks.tasks().stream()
        .filter(t -> t.name().equals(ref.name()) && t.kind() != ref.kind())
        .findFirst()
        .ifPresent(t -> message.append("; a ").append(t.kind().kindName()).append(" of that name exists: set task.kind: ")
            .append(t.kind().kindName()));
    if (tasks.isEmpty()) {
      message.append(" (no promotion tasks were loaded)");
    } else if (suggestion.isEmpty()) {
      message.append(" (known tasks: ").append(tasks.tasks().stream().map(t -> t.ref().toString()).sorted()
          .collect(Collectors.joining(", "))).append(')');
    }
    return message.toString();
  }
}
