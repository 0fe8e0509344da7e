package io.promokit.internal.documents;

import io.promokit.documents.PromotionTask;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.StepSpec;
import io.promokit.documents.TaskRef;
import io.promokit.documents.VarSpec;
import io.promokit.internal.yaml.DocumentProblems;
import io.promokit.internal.yaml.YamlDocument;
import io.promokit.internal.yaml.YamlObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parsers of the document shapes of SEMANTICS.md section 1: bare templates, Kargo Stages and tasks. */
final class TemplateParsers {

  /** Top-level fields of any Kubernetes resource; {@code status} (from kubectl exports) is ignored. */
  private static final List<String> RESOURCE_FIELDS = List.of("apiVersion", "kind", "metadata", "spec", "status");
  /** The fields of a Kargo Stage's spec; only the promotion template and vars matter to promokit. */
  private static final List<String> STAGE_SPEC_FIELDS =
      List.of("shard", "vars", "requestedFreight", "promotionTemplate", "verification");

  private TemplateParsers() {}

  /** {@code {vars, steps}} with neither apiVersion nor kind. */
  static void bareTemplate(YamlDocument document, YamlObject root, LoadedDocuments.Builder out) {
    DocumentProblems problems = out.problems();
    root.allowOnly(List.of("vars", "steps"), Map.of(
        "spec", "a document with \"spec\" needs \"apiVersion\" and \"kind\" (for example a Kargo Stage);"
            + " a bare template has only \"vars\" and \"steps\"",
        "metadata", "a document with \"metadata\" needs \"apiVersion\" and \"kind\"; a bare template has only"
            + " \"vars\" and \"steps\""), problems);
    out.template(new PromotionTemplate(displayName(document), StepReader.vars(root, problems),
        StepReader.steps(root, problems), root.location()));
  }

  /** A Kargo Stage: its vars, then its promotion template's vars, and the template's steps. */
  static void stage(YamlDocument document, YamlObject root, LoadedDocuments.Builder out) {
    DocumentProblems problems = out.problems();
    root.allowOnly(RESOURCE_FIELDS, Map.of(), problems);
    String name = problems.orElse(() -> metadataName(root, document), displayName(document));
    YamlObject spec = root.requiredObject("spec").allowOnly(STAGE_SPEC_FIELDS, Map.of(), problems);
    List<VarSpec> stageVars = StepReader.vars(spec, problems);
    if (spec.optionalObject("promotionTemplate").isEmpty()) {
      out.unparsed(new LoadedDocuments.Unparsed(document, DocumentKinds.KARGO, "Stage", name,
          "a Stage without spec.promotionTemplate (a control-flow Stage) has no steps to run"));
      return;
    }
    YamlObject templateSpec = spec.requiredObject("promotionTemplate").allowOnly(problems, "spec")
        .requiredObject("spec").allowOnly(problems, "vars", "steps");
    List<VarSpec> vars = new ArrayList<>(stageVars);
    vars.addAll(StepReader.vars(templateSpec, problems));
    List<StepSpec> steps = StepReader.steps(templateSpec, problems);
    out.template(new PromotionTemplate(name, vars, steps, root.location()));
  }

  /**
   * A PromotionTask or ClusterPromotionTask: {@code metadata.name}, {@code spec.vars}, {@code spec.steps}. A
   * task whose name cannot be read is left out (after its spec is checked).
   */
  static void task(YamlDocument document, YamlObject root, LoadedDocuments.Builder out) {
    DocumentProblems problems = out.problems();
    root.allowOnly(RESOURCE_FIELDS, Map.of(), problems);
    TaskRef.TaskKind kind = TaskRef.TaskKind.fromKindName(root.requiredString("kind"));
    String name = problems.orElse(() -> root.requiredObject("metadata").requiredString("name"), null);
    YamlObject spec = root.requiredObject("spec").allowOnly(problems, "vars", "steps");
    List<VarSpec> vars = StepReader.vars(spec, problems);
    List<StepSpec> steps = StepReader.steps(spec, problems);
    if (name != null) {
      out.task(new PromotionTask(name, kind, vars, steps, root.location()));
    }
  }

  private static String metadataName(YamlObject root, YamlDocument document) {
    String name = DocumentKinds.metadataName(root);
    return name == null || name.isBlank() ? displayName(document) : name;
  }

  /** The file name, plus the document's number when it is not the first of its file. */
  static String displayName(YamlDocument document) {
    String source = document.source();
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf(java.io.File.separatorChar));
    String base = slash >= 0 && slash < source.length() - 1 ? source.substring(slash + 1) : source;
    return document.index() == 0 ? base : base + " (document " + (document.index() + 1) + ")";
  }
}
