package io.promokit.internal.validation;

import io.promokit.documents.PlannedStep;
import io.promokit.documents.PromotionPlan;
import io.promokit.documents.SourceLocation;
import io.promokit.documents.SourceMap;
import io.promokit.documents.VarSpec;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.TemplateInfo;
import io.promokit.internal.ConfigPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every template string of a plan that holds an expression, parsed once: global vars, and for each step its
 * {@code if}, its vars and its config values. Strings without <code>${{</code>/<code>${%</code> are plain text and are
 * not parsed.
 */
public final class ExpressionIndex {

  private final List<ExpressionSite> globalVarSites;
  private final List<List<ExpressionSite>> stepSites;

  private ExpressionIndex(List<ExpressionSite> globalVarSites, List<List<ExpressionSite>> stepSites) {
    this.globalVarSites = List.copyOf(globalVarSites);
    List<List<ExpressionSite>> copies = new ArrayList<>(stepSites.size());
    for (List<ExpressionSite> sites : stepSites) { // loops, not streams: every validation builds one
      copies.add(List.copyOf(sites));
    }
    this.stepSites = List.copyOf(copies);
  }

  /** Parses every template of the plan with the resolver. */
  public static ExpressionIndex build(PromotionPlan plan, ExpressionResolver resolver) {
    List<ExpressionSite> globals = new ArrayList<>();
    for (int v = 0; v < plan.vars().size(); v++) {
      VarSpec var = plan.vars().get(v);
      collect(new Context(resolver, SiteKind.GLOBAL_VAR, null, -1, v, var.location(), var.source(), "value",
          globals), var.value(), "vars." + var.name());
    }
    List<List<ExpressionSite>> steps = new ArrayList<>();
    for (int s = 0; s < plan.steps().size(); s++) {
      PlannedStep step = plan.steps().get(s);
      List<ExpressionSite> sites = new ArrayList<>();
      if (step.ifCondition() != null) {
        collect(new Context(resolver, SiteKind.CONDITION, step, s, -1, step.location(), step.source(), "if",
            sites), step.ifCondition(), "if");
      }
      for (int v = 0; v < step.vars().size(); v++) {
        VarSpec var = step.vars().get(v);
        collect(new Context(resolver, SiteKind.STEP_VAR, step, s, v, var.location(), var.source(), "value",
            sites), var.value(), "vars." + var.name());
      }
      collect(new Context(resolver, SiteKind.CONFIG, step, s, -1, step.location(), step.source(), null, sites),
          step.config(), "config");
      steps.add(sites);
    }
    return new ExpressionIndex(globals, steps);
  }

  /** Whether a string holds an expression delimiter (and so is evaluated rather than used as is). */
  public static boolean holdsExpression(String text) {
    return text.contains("${{") || text.contains("${%");
  }

  public List<ExpressionSite> globalVarSites() {
    return globalVarSites;
  }

  /** The sites of the step at {@code stepIndex} of the plan: its {@code if}, vars and config, in that order. */
  public List<ExpressionSite> stepSites(int stepIndex) {
    return stepSites.get(stepIndex);
  }

  /** Every site, global vars first, then step by step. */
  public List<ExpressionSite> all() {
    List<ExpressionSite> all = new ArrayList<>(globalVarSites);
    for (List<ExpressionSite> sites : stepSites) {
      all.addAll(sites);
    }
    return all;
  }

  /**
   * Where the templates being collected sit.
   *
   * @param location where their step or var is written, when their own place is unknown
   * @param sourcePath the path of a var's or {@code if}'s value in {@code source}; null: the site's own path
   */
  private record Context(ExpressionResolver resolver, SiteKind kind, PlannedStep step, int stepIndex, int varIndex,
      SourceLocation location, SourceMap source, String sourcePath, List<ExpressionSite> out) {}

  private static void collect(Context context, Object value, String path) {
    if (value instanceof String text) {
      if (holdsExpression(text)) {
        context.out().add(parse(context, text, path));
      }
    } else if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        collect(context, entry.getValue(), ConfigPath.key(path, String.valueOf(entry.getKey())));
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        collect(context, list.get(i), ConfigPath.index(path, i));
      }
    }
  }

  private static ExpressionSite parse(Context context, String template, String path) {
    TemplateInfo info = null;
    ExpressionException error = null;
    try {
      info = context.resolver().inspect(template);
    } catch (ExpressionException e) {
      error = e;
    }
    String sourcePath = context.sourcePath() == null ? path : context.sourcePath();
    SourceLocation location = context.source().valueOf(sourcePath).orElse(context.location());
    return new ExpressionSite(context.kind(), context.step(), context.stepIndex(), context.varIndex(), path,
        template, location, info, error, context.source(), sourcePath);
  }
}
