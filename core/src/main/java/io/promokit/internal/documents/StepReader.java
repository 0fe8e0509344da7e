package io.promokit.internal.documents;

import io.promokit.RetrySpec;
import io.promokit.StepSpec;
import io.promokit.TaskRef;
import io.promokit.VarSpec;
import io.promokit.internal.yaml.YamlObject;
import io.promokit.internal.yaml.YamlValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binds the {@code vars} and {@code steps} of templates and tasks (SEMANTICS.md section 2) strictly: unknown
 * fields, wrong types and bad durations are document errors. Rules that need the whole list (aliases, var
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

  /** The {@code vars} list of a template, task or step; empty when absent. */
  static List<VarSpec> vars(YamlObject owner) {
    List<VarSpec> vars = new ArrayList<>();
    for (YamlValue item : owner.list("vars")) {
      YamlObject var = item.asObject().allowOnly("name", "value");
      String name = var.requiredString("name");
      Object value = var.optional("value").map(YamlValue::asPlain).orElse(null);
      vars.add(new VarSpec(name, value, var.location()));
    }
    return List.copyOf(vars);
  }

  /** The {@code steps} list of a template or task; empty when absent. */
  static List<StepSpec> steps(YamlObject owner) {
    List<StepSpec> steps = new ArrayList<>();
    for (YamlValue item : owner.list("steps")) {
      steps.add(step(item.asObject()));
    }
    return List.copyOf(steps);
  }

  private static StepSpec step(YamlObject step) {
    step.allowOnly(STEP_FIELDS, STEP_HINTS);
    TaskRef task = step.optionalObject("task").map(StepReader::taskRef).orElse(null);
    // Kargo treats an empty string as "not set" for these.
    String uses = emptyToNull(step.optionalString("uses"));
    String as = emptyToNull(step.optionalString("as"));
    // Any scalar is kept as text so validation can say why `if: true` (a boolean in YAML) is wrong.
    String ifCondition = emptyToNull(step.optional("if").map(YamlValue::asScalarText).orElse(null));
    boolean continueOnError = step.optionalBoolean("continueOnError", false);
    RetrySpec retry = step.optionalObject("retry").map(StepReader::retry).orElse(RetrySpec.DEFAULTS);
    List<VarSpec> vars = vars(step);
    Map<String, Object> config = step.plainObject("config");
    return new StepSpec(uses, task, as, ifCondition, continueOnError, retry, vars, config, step.location());
  }

  private static TaskRef taskRef(YamlObject task) {
    task.allowOnly(TASK_REF_FIELDS, TASK_REF_HINTS);
    String name = task.requiredString("name");
    TaskRef.TaskKind kind = task.optional("kind").map(value -> {
      String text = value.asString();
      TaskRef.TaskKind parsed = TaskRef.TaskKind.fromKindName(text);
      if (parsed == null) {
        throw value.error("unknown task kind \"" + text + "\"; expected PromotionTask or ClusterPromotionTask");
      }
      return parsed;
    }).orElse(TaskRef.TaskKind.PROMOTION_TASK);
    return new TaskRef(name, kind);
  }

  private static RetrySpec retry(YamlObject retry) {
    retry.allowOnly("errorThreshold", "timeout");
    int errorThreshold = retry.optionalInt("errorThreshold", 0, 0);
    Duration timeout = retry.optionalDuration("timeout");
    return new RetrySpec(errorThreshold, timeout);
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
