package io.promokit.engine;

import static io.promokit.engine.TestSteps.plan;
import static io.promokit.engine.TestSteps.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionEngine;
import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step that finds nothing to do reports Skipped (as Kargo's git-commit does), keeping its outputs. */
class SkippedResultTest {

  @Test
  void aSkippedResultEndsTheStepSkippedWithItsOutputsAndLaterStepsStillRun() {
    StepRegistry registry = StepRegistry.builder()
        .register("nothing-to-do", ctx -> StepResult.skipped("nothing to commit", Map.of("commit", "abc123")))
        .register("echo", ctx -> StepResult.succeeded(ctx.config()))
        .build();
    try (PromotionEngine engine = PromotionEngine.builder().registry(registry).build()) {
      PromotionRecord record = engine.sequence(plan()
              .step(step("nothing-to-do").as("commit"))
              .step(step("echo").as("push").config("commit", "${{ outputs.commit.commit }}"))
              .build())
          .build()
          .run();

      StepRecord commit = record.step("commit").orElseThrow();
      assertThat(commit.status()).isEqualTo(StepStatus.SKIPPED);
      assertThat(commit.attempts()).isEqualTo(1);
      assertThat(commit.message()).isEqualTo("nothing to commit");
      assertThat(commit.outputs()).isEqualTo(Map.of("commit", "abc123"));
      assertThat(record.step("push").orElseThrow().outputs()).isEqualTo(Map.of("commit", "abc123"));
      assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    }
  }
}
