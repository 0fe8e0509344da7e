package io.promokit;

import io.promokit.documents.PlannedStep;
import io.promokit.documents.PromotionPlan;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.StepSpec;
import io.promokit.documents.VarSpec;
import java.util.Collection;
import java.util.Map;

/** Counts the strings of a template or plan that hold expressions, to size a resolver's cache. */
final class TemplateCount {
  private TemplateCount() {}

  static int of(PromotionTemplate template) {
    int n = vars(template.vars());
    for (StepSpec step : template.steps()) {
      n += vars(step.vars()) + count(step.ifCondition()) + count(step.config());
    }
    return n;
  }

  static int of(PromotionPlan plan) {
    int n = vars(plan.vars());
    for (PlannedStep step : plan.steps()) {
      n += vars(step.vars()) + count(step.ifCondition()) + count(step.config());
    }
    return n;
  }

  private static int vars(Collection<VarSpec> vars) {
    return vars.stream().mapToInt(v -> count(v.value())).sum();
  }

  private static int count(Object value) {
    if (value instanceof String s) {
      return s.contains("${{") || s.contains("${%") ? 1 : 0;
    }
    if (value instanceof Map<?, ?> map) {
      return map.values().stream().mapToInt(TemplateCount::count).sum();
    }
    if (value instanceof Collection<?> list) {
      return list.stream().mapToInt(TemplateCount::count).sum();
    }
    return 0;
  }
}
