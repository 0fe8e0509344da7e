package io.promokit.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionContext;
import io.promokit.PromotionEngine;
import io.promokit.PromotionPhase;
import io.promokit.PromotionSequence;
import io.promokit.StepRegistry;
import io.promokit.StepStatus;
import io.promokit.documents.PromotionDocuments;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import io.promokit.spi.FreightAliasService;
import io.promokit.spi.MetadataKind;
import io.promokit.spi.PromotionMetadataSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code set-metadata} and {@code set-freight-alias} in the real engine: the host's callbacks, the record's
 * {@code metadata} section when the host gives no sink, and the statuses Kargo gives their failures.
 */
class KargoObjectStepsTest {

  @TempDir Path workdir;

  private static final String SET_METADATA = """
      steps:
      - uses: set-metadata
        as: meta
        config:
          updates:
          - kind: Stage
            name: ${{ ctx.stage }}
            values:
              deployedBy: ${{ ctx.meta.promotion.actor }}
              replicas: 43
              rollout: {strategy: canary, steps: [10, 50, 100]}
          - kind: Freight
            name: f-123
            values:
              approvedBy: qa
      - uses: set-metadata
        as: again
        config:
          updates:
          - kind: Stage
            name: ${{ ctx.stage }}
            values:
              replicas: 44
              token: ${{ secret('ci').token }}
      """;

  @Test
  void setMetadataWithoutAHostSinkWritesTheRecordsMetadataSection() {
    PromotionRecord record = sequence(engine(), SET_METADATA).build().run();

    assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(record.metadata()).isEqualTo(Map.of(
        "Stage", Map.of("prod", Map.of("deployedBy", "alice", "replicas", 44L, "token", "***",
            "rollout", Map.of("strategy", "canary", "steps", List.of(10L, 50L, 100L)))),
        "Freight", Map.of("f-123", Map.of("approvedBy", "qa"))));
    assertThat(record.toJson()).contains("\"metadata\" : {\n    \"Stage\" : {\n      \"prod\" : {")
        .doesNotContain("s3cr3t");
    assertThat(PromotionRecord.fromJson(record.toJson())).isEqualTo(record);
  }

  @Test
  void theRecordsMetadataIsKeptAcrossAResume() {
    String template = """
        steps:
        - uses: set-metadata
          config:
            updates: [{kind: Stage, name: prod, values: {phase: one}}]
        - uses: wait-once
        - uses: set-metadata
          config:
            updates: [{kind: Stage, name: prod, values: {phase: two}}, {kind: Freight, name: f-1, values: {n: 1}}]
        """;
    StepRegistry registry = StepRegistry.builder().withBuiltins()
        .register("wait-once", ctx -> ctx.attempt() == 1
            ? io.promokit.StepResult.running(java.time.Duration.ofMillis(200)) : io.promokit.StepResult.succeeded(),
            io.promokit.StepOptions.builder().build())
        .build();

    PromotionRecord waiting = sequence(engine().registry(registry), template).build().runUntilWaiting();
    PromotionRecord done = sequence(engine().registry(registry), template).build()
        .resume(PromotionRecord.fromJson(waiting.toJson()));

    assertThat(waiting.metadata()).isEqualTo(Map.of("Stage", Map.of("prod", Map.of("phase", "one"))));
    assertThat(done.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(done.metadata()).isEqualTo(Map.of("Stage", Map.of("prod", Map.of("phase", "two")),
        "Freight", Map.of("f-1", Map.of("n", 1L))));
  }

  @Test
  void aRecordWithoutMetadataHasNoSection() {
    PromotionRecord record = sequence(engine(), "steps:\n- uses: compose-output\n  config: {a: 1}\n").build().run();

    assertThat(record.metadata()).isEmpty();
    assertThat(record.toJson()).doesNotContain("metadata");
  }

  @Test
  void aHostSinkGetsEveryUpdateInOrderAndTheRecordStaysWithoutMetadata() {
    List<String> calls = new ArrayList<>();
    PromotionMetadataSink sink = (promotion, kind, name, values) ->
        calls.add(promotion.project() + ": " + kind + "/" + name + " " + values);

    PromotionRecord record = sequence(engine().metadataSink(sink), SET_METADATA).build().run();

    assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(calls).containsExactly(
        "shop: Stage/prod {deployedBy=alice, replicas=43, rollout={strategy=canary, steps=[10, 50, 100]}}",
        "shop: Freight/f-123 {approvedBy=qa}",
        "shop: Stage/prod {replicas=44, token=s3cr3t}");
    assertThat(record.metadata()).isEmpty();
  }

  @Test
  void aSinkErrorIsRetryableAndEndsTheStepErroredAtTheThreshold() {
    AtomicInteger calls = new AtomicInteger();
    Map<String, Map<String, Object>> stages = new HashMap<>();
    PromotionMetadataSink flaky = (promotion, kind, name, values) -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("etcd is busy");
      }
      stages.computeIfAbsent(name, n -> new LinkedHashMap<>()).putAll(values);
    };
    String template = """
        steps:
        - uses: set-metadata
          retry: {errorThreshold: 2}
          config:
            updates: [{kind: Stage, name: prod, values: {ok: true}}]
        - uses: set-metadata
          as: missing
          config:
            updates: [{kind: Freight, name: nope, values: {ok: true}}]
        """;
    PromotionMetadataSink sink = (promotion, kind, name, values) -> {
      if (kind == MetadataKind.FREIGHT) {
        throw new IllegalArgumentException("Freight \"" + name + "\" not found in project shop");
      }
      flaky.setMetadata(promotion, kind, name, values);
    };

    PromotionRecord record = sequence(engine().metadataSink(sink)
        .backoff(io.promokit.BackoffPolicy.fixed(java.time.Duration.ZERO)), template).build().run();

    StepRecord first = record.steps().get(0);
    assertThat(first.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(first.attempts()).isEqualTo(2);
    assertThat(stages).isEqualTo(Map.of("prod", Map.of("ok", true)));
    StepRecord missing = record.step("missing").orElseThrow();
    assertThat(missing.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(missing.message()).isEqualTo("step \"missing\" met error threshold of 1: cannot set metadata of "
        + "Freight \"nope\": Freight \"nope\" not found in project shop");
  }

  @Test
  void setMetadataRejectsAnUnknownKindAndEmptyValuesBeforeItRuns() {
    PromotionRecord record = sequence(engine(), """
        steps:
        - uses: set-metadata
          config:
            updates: [{kind: Warehouse, name: w, values: {}}]
        """).validate(false).build().run();

    assertThat(record.steps().get(0).status()).isEqualTo(StepStatus.FAILED);
    // Located at the first offending key (kind, in the flow map), as every config-path message is.
    assertThat(record.steps().get(0).message())
        .startsWith("template.yaml:4:16: step \"step-1\": invalid config: config.updates[0].kind: ")
        .contains("config.updates[0].values: must have at least 1 field, but had 0");
  }

  private static final String SET_ALIAS = """
      steps:
      - uses: set-freight-alias
        config:
          name: f-123
          alias: ${{ ctx.stage }}-candidate
      """;

  @Test
  void setFreightAliasCallsTheHostsServiceAndLogsTheChange() {
    Map<String, String> aliases = new HashMap<>(Map.of("shop/f-123", "frozen-fox"));
    FreightAliasService service = (promotion, name, alias) ->
        Optional.ofNullable(aliases.put(promotion.project() + "/" + name, alias)).orElse("");
    List<String> lines = new ArrayList<>();

    PromotionRecord record = sequence(engine().freightAliases(service), SET_ALIAS)
        .listener(new io.promokit.event.PromotionListener() {
          @Override
          public void logLine(io.promokit.event.LogLine line) {
            lines.add(line.text());
          }
        }).build().run();

    assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(aliases).containsEntry("shop/f-123", "prod-candidate");
    assertThat(lines).contains("updated alias of Freight \"f-123\" from \"frozen-fox\" to \"prod-candidate\"");
    assertThat(record.steps().get(0).outputs()).isEmpty();
  }

  @Test
  void setFreightAliasWithoutAServiceFailsSayingSo() {
    PromotionRecord record = sequence(engine(), SET_ALIAS).build().run();

    assertThat(record.phase()).isEqualTo(PromotionPhase.FAILED);
    assertThat(record.steps().get(0).message()).isEqualTo("step \"step-1\": no freight service: this host keeps no "
        + "Freight, so the alias of Freight \"f-123\" cannot be set (a host gives one with "
        + "PromotionEngine.Builder.freightAliases)");
  }

  @Test
  void everyFailureOfTheServiceIsFinal() {
    AtomicInteger calls = new AtomicInteger();
    FreightAliasService taken = (promotion, name, alias) -> {
      calls.incrementAndGet();
      throw new IllegalStateException("alias \"" + alias + "\" is already used by Freight f-99");
    };

    PromotionRecord record = sequence(engine().freightAliases(taken),
        SET_ALIAS.replace("config:", "retry: {errorThreshold: 5}\n  config:")).build().run();

    assertThat(record.steps().get(0).status()).isEqualTo(StepStatus.FAILED);
    assertThat(calls).hasValue(1);
    assertThat(record.steps().get(0).message()).isEqualTo("step \"step-1\": cannot set the alias of Freight \"f-123\" "
        + "to \"prod-candidate\": alias \"prod-candidate\" is already used by Freight f-99");
  }

  private final List<PromotionEngine> engines = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    engines.forEach(PromotionEngine::close);
  }

  /** An engine with the built-ins and the secret {@code ci.token}. */
  private PromotionEngine.Builder engine() {
    return PromotionEngine.builder()
        .registry(StepRegistry.builder().withBuiltins().build())
        .secrets((name, scope) -> "ci".equals(name) ? Map.of("token", "s3cr3t") : Map.of());
  }

  private PromotionSequence.Builder sequence(PromotionEngine.Builder engine, String template) {
    PromotionEngine built = engine.build();
    engines.add(built);
    return built.sequence(PromotionDocuments.parse(template, "template.yaml").singleTemplate())
        .context(PromotionContext.builder().project("shop").stage("prod").promotion("promo-7").actor("alice").build())
        .workdir(workdir);
  }
}
