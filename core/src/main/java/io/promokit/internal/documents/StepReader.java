package io.promokit.internal.documents;

import io.promokit.documents.DocumentException;
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
    for (YamlValue item : list(owner, "vars", problems)) {
      try {
        YamlObject var = item.asObject().allowOnly(problems, "name", "value");
        String name = var.requiredString("name");
        YamlValue value = var.optional("value").orElse(null);
        vars.add(new VarSpec(name, value == null ? null : value.asPlain(), var.location(), var.sourceMap()));
      } catch (DocumentException e) {
        problems.add(e);
      }
    }
    return List.copyOf(vars);
  }

  /**
   * The {@code steps} list of a template or task; empty when absent. A field that cannot be read is skipped
   * (the step keeps that field's default), a step that is not a mapping is left out.
   */
  static List<StepSpec> steps(YamlObject owner, DocumentProblems problems) {
    List<StepSpec> steps = new ArrayList<>();
    for (YamlValue item : list(owner, "steps", problems)) {
      try {
        steps.add(step(item.asObject(), problems));
      } catch (DocumentException e) {
        problems.add(e);
      }
    }
    return List.copyOf(steps);
  }

  // The fields are read with try/catch rather than DocumentProblems.orElse(() -> ...): each lambda is linked on
  // first use, and this class's sixteen were a millisecond of every cold start that reads a template.

  private static StepSpec step(YamlObject step, DocumentProblems problems) {
    step.allowOnly(STEP_FIELDS, STEP_HINTS, problems);
    YamlObject taskObject = object(step, "task", problems);
    TaskRef task = taskObject == null ? null : taskRef(taskObject, problems);
    // Kargo treats an empty string as "not set" for these.
    String uses = emptyToNull(string(step, "uses", problems));
    String as = emptyToNull(string(step, "as", problems));
    // Any scalar is kept as text so validation can say why `if: true` (a boolean in YAML) is wrong.
    String ifCondition = emptyToNull(scalarText(step, "if", problems));
    boolean continueOnError = false;
    try {
      continueOnError = step.optionalBoolean("continueOnError", false);
    } catch (DocumentException e) {
      problems.add(e);
    }
    YamlObject retryObject = object(step, "retry", problems);
    RetrySpec retry = retryObject == null ? RetrySpec.DEFAULTS : retry(retryObject, problems);
    List<VarSpec> vars = vars(step, problems);
    Map<String, Object> config = Map.of();
    try {
      config = step.plainObject("config");
    } catch (DocumentException e) {
      problems.add(e);
    }
    return new StepSpec(uses, task, as, ifCondition, continueOnError, retry, vars, config, step.location(),
        step.sourceMap());
  }

  /** The task a step names, or null when its name cannot be read. */
  private static TaskRef taskRef(YamlObject task, DocumentProblems problems) {
    task.allowOnly(TASK_REF_FIELDS, TASK_REF_HINTS, problems);
    String name = null;
    try {
      name = task.requiredString("name");
    } catch (DocumentException e) {
      problems.add(e);
    }
    TaskRef.TaskKind kind = TaskRef.TaskKind.PROMOTION_TASK;
    try {
      YamlValue value = task.optional("kind").orElse(null);
      if (value != null) {
        String text = value.asString();
        kind = TaskRef.TaskKind.fromKindName(text);
        if (kind == null) {
          throw value.error("unknown task kind \"" + text + "\"; expected PromotionTask or ClusterPromotionTask");
        }
      }
    } catch (DocumentException e) {
      problems.add(e);
      kind = TaskRef.TaskKind.PROMOTION_TASK;
    }
    return name == null ? null : new TaskRef(name, kind);
  }

  private static RetrySpec retry(YamlObject retry, DocumentProblems problems) {
    retry.allowOnly(problems, "errorThreshold", "timeout");
    int errorThreshold = 0;
    try {
      errorThreshold = retry.optionalInt("errorThreshold", 0, 0);
    } catch (DocumentException e) {
      problems.add(e);
    }
    Duration timeout = null;
    try {
      timeout = retry.optionalDuration("timeout");
    } catch (DocumentException e) {
      problems.add(e);
    }
    return new RetrySpec(errorThreshold, timeout);
  }

  /** A list field's items; empty when absent or unreadable (the problem recorded). */
  private static List<YamlValue> list(YamlObject owner, String field, DocumentProblems problems) {
    try {
      return owner.list(field);
    } catch (DocumentException e) {
      problems.add(e);
      return List.of();
    }
  }

  /** A mapping field; null when absent or unreadable (the problem recorded). */
  private static YamlObject object(YamlObject owner, String field, DocumentProblems problems) {
    try {
      return owner.optionalObject(field).orElse(null);
    } catch (DocumentException e) {
      problems.add(e);
      return null;
    }
  }

  /** A string field; null when absent or unreadable (the problem recorded). */
  private static String string(YamlObject owner, String field, DocumentProblems problems) {
    try {
      return owner.optionalString(field);
    } catch (DocumentException e) {
      problems.add(e);
      return null;
    }
  }

  /** Any scalar field as its text; null when absent or unreadable (the problem recorded). */
  private static String scalarText(YamlObject owner, String field, DocumentProblems problems) {
    try {
      YamlValue value = owner.optional(field).orElse(null);
      return value == null ? null : value.asScalarText();
    } catch (DocumentException e) {
      problems.add(e);
      return null;
    }
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
