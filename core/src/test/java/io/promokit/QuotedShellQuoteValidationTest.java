package io.promokit;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.documents.Problem;
import io.promokit.documents.PromotionDocuments;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.TaskCatalog;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.validation.PromotionValidator;
import io.promokit.validation.ValidationReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** shellQuote() inside quotes of a {@code sh -c} script does not protect: validation warns. */
class QuotedShellQuoteValidationTest {

  private static final String STEPS = """
      apiVersion: promokit.io/v1
      kind: CustomPromotionStep
      metadata:
        name: greet
      spec:
        image: ubuntu
        command: ["sh", "-c", "echo \\"hello ${{ shellQuote(config.name) }}\\" 'and ${{ shellQuote(config.single) }}' ${{ shellQuote(config.other) }} \\\\\\"${{ shellQuote(config.last) }}"]
      """;

  private static ValidationReport validate() {
    StepRegistry registry = StepRegistry.builder()
        .registerAll(PromotionDocuments.parse(STEPS, "steps.yaml").customSteps()).build();
    PromotionTemplate template = PromotionDocuments.parse("""
        steps:
          - uses: greet
            config: {name: x, single: w, other: y, last: z}
        """, "template.yaml").singleTemplate();
    return PromotionValidator.validate(template, registry, TaskCatalog.of(List.of()), ExpressionResolver.create(), null);
  }

  @Test
  void warnsAboutShellQuoteInsideDoubleOrSingleQuotesButNotOutsideOrAfterAnEscapedQuote() {
    assertThat(validate().warnings()).extracting(Problem::message).containsExactly(
        "step \"greet\" puts ${{ shellQuote(config.name) }} inside double quotes in a shell script, where shellQuote()"
            + " does not protect: its single quotes are literal there, so $(...) in the value runs; write it outside"
            + " quotes",
        "step \"greet\" puts ${{ shellQuote(config.single) }} inside single quotes in a shell script, where"
            + " shellQuote() does not protect: a quote in the value ends the quoting; write it outside quotes");
  }
}
