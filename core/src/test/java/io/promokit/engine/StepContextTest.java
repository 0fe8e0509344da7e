package io.promokit.engine;

import static io.promokit.engine.TestSteps.plan;
import static io.promokit.engine.TestSteps.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionContext;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionSequence;
import io.promokit.StepContext;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a step sees through its {@link StepContext}. */
class StepContextTest {

  /** A step's own config type. */
  record Ticket(String summary, int priority, List<String> labels) {}

  private final TestPromotion.Engines engines = new TestPromotion.Engines();

  @org.junit.jupiter.api.AfterEach
  void closeEngines() {
    engines.close();
  }

  private PromotionRecord run(StepRegistry registry, TestSteps.PlanBuilder plan) {
    return engines.promotion(plan.build()).registry(registry)
        .context(PromotionContext.builder().promotion("promo-ctx").build()).build().run();
  }

  @Test
  void aStepBindsItsConfigToARecordOfItsOwn() {
    AtomicReference<Ticket> seen = new AtomicReference<>();
    StepRegistry registry = StepRegistry.builder().register("ticket", ctx -> {
      seen.set(ctx.config(Ticket.class));
      return StepResult.succeeded();
    }).build();

    run(registry, plan().step(step("ticket").as("t")
        .config("summary", "promote ${{ ctx.promotion }}").config("priority", "${{ 1 + 1 }}")
        .config("labels", List.of("prod"))));

    assertThat(seen.get()).isEqualTo(new Ticket("promote promo-ctx", 2, List.of("prod")));
  }

  @Test
  void configThatDoesNotFitTheTypeFailsTheStepAsInvalidConfigNamingTheField() {
    StepRegistry registry = StepRegistry.builder().register("ticket", ctx -> {
      ctx.config(Ticket.class);
      return StepResult.succeeded();
    }).build();

    PromotionRecord record = run(registry, plan().step(step("ticket").as("t").retry(3, null)
        .config("summary", "x").config("priority", "high")));

    // The one binder's problem is invalid config, like a schema's: Failed, no retry.
    assertThat(record.step("t").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(record.step("t").orElseThrow().attempts()).isEqualTo(1);
    assertThat(record.step("t").orElseThrow().message()).startsWith("step \"t\": invalid config: config.priority: "
        + "Cannot deserialize value of type `int` from String \"high\"");
  }

  @Test
  void aStepSeesItsDeadlineAttemptStartAndEarlierOutputs() {
    AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
    StepRegistry registry = StepRegistry.builder()
        .register("first", ctx -> StepResult.succeeded(Map.of("v", 1)))
        .register("look", ctx -> {
          seen.set(Map.of(
              "deadlineAfterStart", ctx.deadline().orElseThrow().isAfter(ctx.startedAt()),
              "remainingPositive", ctx.remaining().orElseThrow().compareTo(Duration.ZERO) > 0,
              "attempt", ctx.attempt(),
              "earlier", ctx.outputs().get("a"),
              "keyStable", ctx.stepKey().equals(ctx.stepKey()) && ctx.stepKey().length() == 24,
              "cancelled", ctx.isCancelled(),
              "startedRecently", ctx.startedAt().isAfter(Instant.now().minusSeconds(60))));
          return StepResult.succeeded();
        })
        .build();

    run(registry, plan().step(step("first").as("a")).step(step("look").as("b").retry(0, Duration.ofMinutes(5))));

    assertThat(seen.get()).containsEntry("deadlineAfterStart", true).containsEntry("remainingPositive", true)
        .containsEntry("attempt", 1).containsEntry("earlier", Map.of("v", 1)).containsEntry("keyStable", true)
        .containsEntry("cancelled", false).containsEntry("startedRecently", true);
  }

  @Test
  void resolvedPathsStayInsideTheWorkdir() {
    AtomicReference<String> error = new AtomicReference<>();
    StepRegistry registry = StepRegistry.builder().register("escape", ctx -> {
      try {
        ctx.resolvePath("../outside");
      } catch (io.promokit.StepException e) {
        error.set(e.getMessage());
      }
      return StepResult.succeeded(Map.of("inside", ctx.resolvePath("a/b.txt").startsWith(ctx.workdir())));
    }).build();

    PromotionRecord record = run(registry, plan().step(step("escape").as("e")));

    assertThat(record.outputs().get("e")).isEqualTo(Map.of("inside", true));
    assertThat(error.get()).contains("../outside").contains("climbs out of the working directory");
  }
}
