package io.promokit.internal.validation;

import io.promokit.documents.PlannedStep;
import io.promokit.documents.Problem;
import io.promokit.documents.PromotionPlan;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.TaskCatalog;
import io.promokit.documents.VarSpec;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.internal.TaskInflater;
import io.promokit.spi.CapabilityProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A template's validation: tasks inflated, then every {@link ValidationCheck}, with what the engine found in its
 * registry once ({@link RegistryFindings}); {@code PromotionValidator} and the engine's {@code PromotionSequence}
 * both validate through it.
 */
public final class TemplateValidation {
  private TemplateValidation() {}

  /** Every problem of the template, in the order they are written. */
  public static List<Problem> problems(PromotionTemplate template, TaskCatalog tasks, ExpressionResolver resolver,
      CapabilityProvider capabilities, RegistryFindings findings) {
    Objects.requireNonNull(template, "template must not be null");
    Objects.requireNonNull(tasks, "tasks must not be null");
    TaskInflater.Inflation inflation = TaskInflater.inflateCollecting(template, tasks);
    List<Problem> problems = new ArrayList<>(inflation.problems());
    ValidationInput input = new ValidationInput(template, inflation.plan(), findings.registry(), tasks, resolver,
        ExpressionIndex.build(inflation.plan(), resolver), capabilities, findings);
    for (ValidationCheck check : ValidationChecks.standard()) {
      check.check(input, problems::add);
    }
    problems.sort(inWrittenOrder(template, inflation.plan()));
    return problems;
  }

  /**
   * Files in the order the plan first uses them (the template's first), then by line and column. Loops and a class
   * rather than forEach and Comparator.comparingInt(...).thenComparingInt(...): those spin JDK lambda classes, a
   * few milliseconds of every cold validation.
   */
  private static Comparator<Problem> inWrittenOrder(PromotionTemplate template, PromotionPlan plan) {
    Map<String, Integer> fileRank = new LinkedHashMap<>();
    fileRank.putIfAbsent(template.location().file(), 0);
    for (VarSpec v : plan.vars()) {
      fileRank.putIfAbsent(v.location().file(), fileRank.size());
    }
    for (PlannedStep s : plan.steps()) {
      fileRank.putIfAbsent(s.location().file(), fileRank.size());
    }
    return new Comparator<>() {
      @Override
      public int compare(Problem a, Problem b) {
        int byFile = Integer.compare(rank(a), rank(b));
        if (byFile != 0) {
          return byFile;
        }
        int byLine = Integer.compare(a.location().line(), b.location().line());
        return byLine != 0 ? byLine : Integer.compare(a.location().column(), b.location().column());
      }

      private int rank(Problem p) {
        return fileRank.getOrDefault(p.location().file(), Integer.MAX_VALUE);
      }
    };
  }
}
