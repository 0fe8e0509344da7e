package io.promokit.engine;

import static io.promokit.engine.TestSteps.plan;
import static io.promokit.engine.TestSteps.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionContext;
import io.promokit.PromotionEngine;
import io.promokit.PromotionExecution;
import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionSequence;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.expressions.ExpressionResolver;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many promotions at once on one registry and one resolver do not see each other. */
class ConcurrentPromotionsTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void fiftyPromotionsRunAtOnceWithoutInterference() {
    StepRegistry registry = StepRegistry.builder()
        .register("write", ctx -> {
          Files.writeString(ctx.workdir().resolve("id"), String.valueOf(ctx.config().get("id")));
          Thread.sleep(20);
          return StepResult.succeeded(ctx.config());
        })
        .register("read", ctx -> StepResult.succeeded(Map.of("id", Files.readString(ctx.workdir().resolve("id")))))
        .build();
    ExpressionResolver resolver = ExpressionResolver.create();
    PromotionEngine engine = PromotionEngine.builder().registry(registry).resolver(resolver).build();
    List<PromotionExecution> executions = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      PromotionSequence sequence = engine.sequence(plan()
              .var("id", String.valueOf(i))
              .step(step("write").as("w").config("id", "${{ vars.id }}").config("stage", "${{ ctx.stage }}"))
              .step(step("read").as("r"))
              .build())
          .context(PromotionContext.builder().promotion("p-" + i).stage("stage-" + i).build())
          .build();
      executions.add(sequence.start());
    }

    for (int i = 0; i < 50; i++) {
      PromotionRecord record = executions.get(i).await();
      assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
      assertThat(record.promotion()).isEqualTo("p-" + i);
      assertThat(record.outputs().get("w")).isEqualTo(Map.of("id", (long) i, "stage", "stage-" + i));
      assertThat(record.outputs().get("r")).isEqualTo(Map.of("id", String.valueOf(i)));
    }
    engine.close();
  }
}
