package io.promokit.internal.validation;

import io.promokit.documents.PlannedStep;
import io.promokit.documents.Problem;
import io.promokit.documents.PromotionTask;
import io.promokit.documents.StepSpec;
import io.promokit.documents.VarSpec;
import io.promokit.expressions.ClosestNames;
import io.promokit.expressions.ParsedExpression;
import io.promokit.internal.StepListRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Warnings about vars (SEMANTICS.md section 5): a {@code vars.X} that no var defines, or that is defined only
 * after the var reading it (both are null at run time); a global var or a step's own var that nothing reads;
 * a var given to a task step that the task neither declares nor reads (usually a misspelled name). Reading
 * {@code vars} as a whole (for example {@code vars[name]}) turns the "never used" warnings off.
 */
final class VarReferenceCheck implements ValidationCheck {

  @Override
  public void check(ValidationInput input, Consumer<Problem> problems) {
    List<ExpressionSite> all = input.expressions().all();
    boolean dynamic = anyReadsVarsAsAWhole(all);
    checkGlobalVars(input, problems);
    List<PlannedStep> steps = input.plan().steps();
    for (int k = 0; k < steps.size(); k++) {
      checkStep(input, steps.get(k), input.expressions().stepSites(k), problems);
    }
    if (!dynamic) {
      warnUnusedGlobals(input, all, problems);
      warnUnusedTaskStepVars(input, problems);
    }
  }

  private static void checkGlobalVars(ValidationInput input, Consumer<Problem> problems) {
    List<String> names = names(input.plan().vars());
    for (ExpressionSite site : input.expressions().globalVarSites()) {
      Set<String> defined = new HashSet<>(names.subList(0, site.varIndex()));
      for (String name : varsRead(site)) {
        if (defined.contains(name)) {
          continue;
        }
        int later = names.subList(site.varIndex(), names.size()).indexOf(name);
        String message = later == 0
            ? "vars." + name + " refers to this var itself, which is not defined yet here, so it is null"
            : later > 0 ? "vars." + name + " is defined after this var, so it is null here"
            : undefined(name, names);
        problems.accept(Problem.warning(site.location(), null, site.path(), message));
      }
    }
  }

  private static void checkStep(ValidationInput input, PlannedStep step, List<ExpressionSite> sites,
      Consumer<Problem> problems) {
    List<String> globals = names(input.plan().vars());
    List<String> own = names(step.vars());
    for (ExpressionSite site : sites) {
      Set<String> visible = new LinkedHashSet<>(globals);
      visible.addAll(site.kind() == SiteKind.STEP_VAR ? own.subList(0, site.varIndex()) : own);
      for (String name : varsRead(site)) {
        if (visible.contains(name)) {
          continue;
        }
        String message = own.contains(name)
            ? "vars." + name + " is defined after this var, so it is null here"
            : undefined(name, new ArrayList<>(new LinkedHashSet<>(concat(globals, own))));
        problems.accept(Problem.warning(site.location(), site.alias(), site.path(), message));
      }
    }
    if (!step.isFromTask()) {
      warnUnusedStepVars(step, sites, problems);
    }
  }

  /** A top-level step's own vars feed only its {@code if}, its config and its later vars. */
  private static void warnUnusedStepVars(PlannedStep step, List<ExpressionSite> sites, Consumer<Problem> problems) {
    if (anyReadsVarsAsAWhole(sites)) {
      return;
    }
    Set<String> read = varsRead(sites);
    for (VarSpec var : step.vars()) {
      if (!read.contains(var.name())) {
        problems.accept(Problem.warning(var.location(), step.alias(), "vars." + var.name(),
            "var \"" + var.name() + "\" of this step is never used"));
      }
    }
  }

  private static void warnUnusedGlobals(ValidationInput input, List<ExpressionSite> all, Consumer<Problem> problems) {
    Set<String> read = varsRead(all);
    Set<String> reported = new HashSet<>();
    for (VarSpec var : input.plan().vars()) {
      if (!read.contains(var.name()) && reported.add(var.name())) {
        problems.accept(Problem.warning(var.location(), null, "vars." + var.name(),
            "var \"" + var.name() + "\" is never used"));
      }
    }
  }

  /** A var given to a task step that the task neither declares nor reads is most likely misspelled. */
  private static void warnUnusedTaskStepVars(ValidationInput input, Consumer<Problem> problems) {
    List<StepSpec> steps = input.template().steps();
    for (int i = 0; i < steps.size(); i++) {
      StepSpec step = steps.get(i);
      if (!step.isTaskStep()) {
        continue;
      }
      Optional<PromotionTask> task = input.tasks().find(step.task());
      if (task.isEmpty()) {
        continue;
      }
      String alias = StepListRules.aliasOf(step, i + 1);
      Set<String> read = new HashSet<>();
      List<PlannedStep> planned = input.plan().steps();
      for (int k = 0; k < planned.size(); k++) {
        if (alias.equals(planned.get(k).taskAlias())) {
          read.addAll(varsRead(input.expressions().stepSites(k)));
        }
      }
      List<String> declared = names(task.get().vars());
      for (VarSpec var : step.vars()) {
        if (!declared.contains(var.name()) && !read.contains(var.name())) {
          String suggestion = ClosestNames.didYouMean(var.name(), declared);
          problems.accept(Problem.warning(var.location(), alias, "vars." + var.name(), "var \"" + var.name()
              + "\" is neither declared nor read by task " + task.get().ref()
              + (suggestion.isEmpty() ? "" : "; " + suggestion)));
        }
      }
    }
  }

  private static String undefined(String name, List<String> candidates) {
    String suggestion = ClosestNames.didYouMean(name, candidates);
    return "vars." + name + " is not defined, so it is null" + (suggestion.isEmpty() ? "" : "; " + suggestion);
  }

  /** The names read as {@code vars.X} (or {@code vars['X']}), in order. */
  static Set<String> varsRead(ExpressionSite site) {
    Set<String> names = new LinkedHashSet<>();
    for (ParsedExpression expression : site.expressions()) {
      for (List<String> path : expression.references()) {
        if (path.size() >= 2 && path.get(0).equals("vars")) {
          names.add(path.get(1));
        }
      }
    }
    return names;
  }

  // Loops rather than streams in this class: it runs in every validation, and each stream and method reference
  // costs a cold start (a CLI's) its linking.

  /** The names read as {@code vars.X} at any of the sites. */
  private static Set<String> varsRead(List<ExpressionSite> sites) {
    Set<String> read = new HashSet<>();
    for (ExpressionSite site : sites) {
      read.addAll(varsRead(site));
    }
    return read;
  }

  /** Whether a site reads {@code vars} as a whole (then which vars are used cannot be told). */
  private static boolean anyReadsVarsAsAWhole(List<ExpressionSite> sites) {
    for (ExpressionSite site : sites) {
      for (ParsedExpression expression : site.expressions()) {
        if (expression.references().contains(List.of("vars"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> names(List<VarSpec> vars) {
    List<String> names = new ArrayList<>(vars.size());
    for (VarSpec var : vars) {
      names.add(var.name());
    }
    return names;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
