package io.promokit.internal.documents;

import io.promokit.documents.RetrySpec;
import io.promokit.documents.StepSpec;
import io.promokit.documents.TaskRef;
import io.promokit.documents.VarSpec;
import io.promokit.internal.yaml.DocumentProblems;
import io.promokit.internal.yaml.YamlObject;
import io.promokit.internal.yaml.YamlValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binds the {@code vars} and {@code steps} of templates and tasks (SEMANTICS.md section 2) strictly: unknown
 * fields, wrong types and bad durations are document problems, each recorded and its field skipped so the
 * rest is still read. Rules that need the whole list (aliases, var
 * names, {@code uses} versus {@code task}) are checked later, all at once, by task inflation and validation.
 */
final class StepReader {

  private static final List<String> STEP_FIELDS =
      List.of("uses", "task", "as", "if", "continueOnError", "retry", "vars", "config");
  private static final Map<String, String> STEP_HINTS = Map.of(
      "kind", "\"kind\" belongs inside \"task\" (task: {name: ..., kind: ClusterPromotionTask})",
      "name", "a task's name belongs inside \"task\" (task: {name: ...}); a step's own name is \"as\"");
  private static final List<String> TASK_REF_FIELDS = List.of("name", "kind");
  private static final Map<String, String> TASK_REF_HINTS = Map.of(
      "vars", "a task step's \"vars\" go next to \"task\" in the step, not inside it",
      "as", "a task step's \"as\" goes next to \"task\" in the step, not inside it");

  private StepReader() {}

  /** The {@code vars} list of a template, task or step; empty when absent. A var that cannot be read is left out. */
  static List<VarSpec> vars(YamlObject owner, DocumentProblems problems) {
    List<VarSpec> vars = new ArrayList<>();
    for (YamlValue item : problems.orElse(() -> owner.list("vars"), List.<YamlValue>of())) {
      problems.attempt(() -> {
        YamlObject var = item.asObject().allowOnly(problems, "name", "value");
        String name = var.requiredString("name");
        Object value = var.optional("value").map(YamlValue::asPlain).orElse(null);
        vars.add(new VarSpec(name, value, var.location(), var.sourceMap()));
      });
    }
    return List.copyOf(vars);
  }

  /**
   * The {@code steps} list of a template or task; empty when absent. A field that cannot be read is skipped
   * (the step keeps that field's default), a step that is not a mapping is left out.
   */
  static List<StepSpec> steps(YamlObject owner, DocumentProblems problems) {
    List<StepSpec> steps = new ArrayList<>();
    for (YamlValue item : problems.orElse(() -> owner.list("steps"), List.<YamlValue>of())) {
      problems.read(() -> step(item.asObject(), problems)).ifPresent(steps::add);
    }
    return List.copyOf(steps);
  }

  private static StepSpec step(YamlObject step, DocumentProblems problems) {
    step.allowOnly(STEP_FIELDS, STEP_HINTS, problems);
    TaskRef task = problems.read(() -> step.optionalObject("task").orElse(null))
        .map(object -> taskRef(object, problems)).orElse(null);
    // Kargo treats an empty string as "not set" for these.
    String uses = emptyToNull(problems.orElse(() -> step.optionalString("uses"), null));
    String as = emptyToNull(problems.orElse(() -> step.optionalString("as"), null));
    // Any scalar is kept as text so validation can say why `if: true` (a boolean in YAML) is wrong.
    String ifCondition =
        emptyToNull(problems.orElse(() -> step.optional("if").map(YamlValue::asScalarText).orElse(null), null));
    boolean continueOnError = problems.orElse(() -> step.optionalBoolean("continueOnError", false), false);
    RetrySpec retry = problems.read(() -> step.optionalObject("retry").orElse(null))
        .map(object -> retry(object, problems)).orElse(RetrySpec.DEFAULTS);
    List<VarSpec> vars = vars(step, problems);
    Map<String, Object> config = problems.orElse(() -> step.plainObject("config"), Map.of());
    return new StepSpec(uses, task, as, ifCondition, continueOnError, retry, vars, config, step.location(),
        step.sourceMap());
  }

  /** The task a step names, or null when its name cannot be read. */
  private static TaskRef taskRef(YamlObject task, DocumentProblems problems) {
    task.allowOnly(TASK_REF_FIELDS, TASK_REF_HINTS, problems);
    String name = problems.orElse(() -> task.requiredString("name"), null);
    TaskRef.TaskKind kind = problems.orElse(() -> task.optional("kind").map(value -> {
      String text = value.asString();
      TaskRef.TaskKind parsed = TaskRef.TaskKind.fromKindName(text);
      if (parsed == null) {
        throw value.error("unknown task kind \"" + text + "\"; expected PromotionTask or ClusterPromotionTask");
      }
      return parsed;
    }).orElse(TaskRef.TaskKind.PROMOTION_TASK), TaskRef.TaskKind.PROMOTION_TASK);
    return name == null ? null : new TaskRef(name, kind);
  }

  private static RetrySpec retry(YamlObject retry, DocumentProblems problems) {
    retry.allowOnly(problems, "errorThreshold", "timeout");
    int errorThreshold = problems.orElse(() -> retry.optionalInt("errorThreshold", 0, 0), 0);
    Duration timeout = problems.orElse(() -> retry.optionalDuration("timeout"), null);
    return new RetrySpec(errorThreshold, timeout);
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
