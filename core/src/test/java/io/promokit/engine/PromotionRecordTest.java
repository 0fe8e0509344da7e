package io.promokit.engine;

import static io.promokit.engine.TestSteps.plan;
import static io.promokit.engine.TestSteps.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promokit.BackoffPolicy;
import io.promokit.PromotionContext;
import io.promokit.PromotionException;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionSequence;
import io.promokit.event.LogLine;
import io.promokit.event.PromotionListener;
import io.promokit.expressions.SecretSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The record's JSON form (CLI.md), its round trip, and secret masking. */
class PromotionRecordTest {

  private final TestSteps steps = new TestSteps();
  private final TestPromotion.Engines engines = new TestPromotion.Engines();

  @org.junit.jupiter.api.AfterEach
  void closeEngines() {
    engines.close();
  }

  private PromotionRecord run(io.promokit.documents.PromotionPlan plan, SecretSource secrets, PromotionListener listener) {
    return engines.promotion(plan)
        .registry(steps.registry())
        .secrets(secrets)
        .listener(listener)
        .backoff(BackoffPolicy.fixed(Duration.ofMillis(1)))
        .context(PromotionContext.builder().project("shop").stage("prod").promotion("promo-7").actor("bob")
            .freightName("f1").build())
        .build()
        .run();
  }

  @Test
  void theJsonHasExactlyTheFieldsOfTheContract() throws Exception {
    PromotionRecord record = run(plan()
        .var("waitTime", "30")
        .step(step("ok").as("my-step").config("sleepSeconds", "${{ vars.waitTime }}"))
        .step(step("ok").as("skipped").when("${{ false }}"))
        .step(step("compose-output").as("inner").inTask("some-task", "task-3").config("k", "v"))
        .build(), SecretSource.NONE, PromotionListener.NONE);

    JsonNode json = new ObjectMapper().readTree(record.toJson());

    assertThat(fieldNames(json)).startsWith("apiVersion", "kind", "promotion", "phase", "message", "startedAt",
        "finishedAt", "context", "vars", "steps", "outputs");
    assertThat(json.get("apiVersion").asText()).isEqualTo("promokit.io/v1");
    assertThat(json.get("kind").asText()).isEqualTo("PromotionRecord");
    assertThat(json.get("promotion").asText()).isEqualTo("promo-7");
    assertThat(json.get("phase").asText()).isEqualTo("Succeeded");
    assertThat(json.get("startedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    assertThat(json.get("context").get("actor").asText()).isEqualTo("bob");
    assertThat(json.get("vars").get("waitTime").asText()).isEqualTo("30");

    JsonNode ran = json.get("steps").get(0);
    assertThat(fieldNames(ran)).startsWith("alias", "uses", "task", "status", "attempts", "message", "startedAt",
        "finishedAt", "durationMs", "config", "outputs");
    assertThat(ran.get("task").isNull()).isTrue();
    assertThat(ran.has("container")).isFalse();
    assertThat(ran.get("status").asText()).isEqualTo("Succeeded");
    assertThat(ran.get("attempts").asInt()).isEqualTo(1);
    assertThat(ran.get("config").get("sleepSeconds").asInt()).isEqualTo(30);

    JsonNode skipped = json.get("steps").get(1);
    assertThat(skipped.get("status").asText()).isEqualTo("Skipped");
    assertThat(skipped.get("attempts").asInt()).isZero();
    assertThat(skipped.has("startedAt")).isFalse();

    JsonNode inflated = json.get("steps").get(2);
    assertThat(inflated.get("alias").asText()).isEqualTo("task-3::inner");
    assertThat(inflated.get("task").asText()).isEqualTo("some-task");
    assertThat(json.get("outputs").get("task-3").get("k").asText()).isEqualTo("v");
  }

  @Test
  void theRecordRoundTripsThroughJson() {
    PromotionRecord record = run(plan()
        .var("n", "123456789012345678901")
        .step(step("ok").as("a").config("big", "${{ vars.n }}").config("list", List.of(1, "two", 3.5))
            .config("nested", Map.of("x", true)))
        .step(step("fail").as("b"))
        .build(), SecretSource.NONE, PromotionListener.NONE);

    PromotionRecord back = PromotionRecord.fromJson(record.toJson());

    assertThat(back).isEqualTo(record);
    assertThat(back.step("a").orElseThrow().config().get("big")).hasToString("123456789012345678901");
  }

  @Test
  void aDocumentThatIsNotARecordIsRefusedClearly() {
    assertThatThrownBy(() -> PromotionRecord.fromJson("{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}"))
        .isInstanceOf(PromotionException.class)
        .hasMessageContaining("not a promotion record: apiVersion v1, kind Pod");
    assertThatThrownBy(() -> PromotionRecord.fromJson("{oops"))
        .isInstanceOf(PromotionException.class)
        .hasMessageStartingWith("not a valid promotion record at line 1, column 2");
  }

  @Test
  void everySecretValueIsMaskedAnywhereInTheRecordAndInLogs() {
    SecretSource secrets = (name, scope) -> name.equals("db") ? Map.of("password", "hunter2-very-secret") : Map.of();
    List<String> lines = new CopyOnWriteArrayList<>();
    PromotionListener listener = new PromotionListener() {
      @Override
      public void logLine(LogLine e) {
        lines.add(e.text());
      }
    };
    io.promokit.StepRegistry registry = io.promokit.StepRegistry.builder()
        .register("leaky", ctx -> {
          ctx.log().info("connecting with " + ctx.config().get("password"));
          return io.promokit.StepResult.failed("login as " + ctx.config().get("password") + " refused");
        })
        .build();
    PromotionRecord record = engines.promotion(plan()
            .var("pw", "${{ secret('db').password }}")
            .step(step("leaky").as("a").config("password", "${{ secret('db').password }}")
                .config("url", "postgres://app:${{ vars.pw }}@db"))
            .build())
        .registry(registry).secrets(secrets).listener(listener)
        .context(PromotionContext.builder().promotion("promo-8").build())
        .build().run();

    String json = record.toJson();
    assertThat(json).doesNotContain("hunter2-very-secret").contains("***");
    assertThat(record.step("a").orElseThrow().config())
        .containsEntry("password", "***").containsEntry("url", "postgres://app:***@db");
    assertThat(record.message()).isEqualTo("step \"a\": login as *** refused");
    assertThat(record.vars()).containsEntry("pw", "***");
    assertThat(lines).containsExactly("connecting with ***");
  }

  private static List<String> fieldNames(JsonNode node) {
    return StreamSupport.stream(((Iterable<String>) node::fieldNames).spliterator(), false).toList();
  }
}
