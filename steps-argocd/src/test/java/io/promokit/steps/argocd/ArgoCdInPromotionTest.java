package io.promokit.steps.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.BackoffPolicy;
import io.promokit.documents.PromotionDocuments;
import io.promokit.PromotionEngine;
import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionSequence;
import io.promokit.records.StepRecord;
import io.promokit.StepRegistry;
import io.promokit.StepStatus;
import io.promokit.testkit.gitops.SyncBehavior;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two steps in the real engine, with Argo CD's controller running on its own: the engine polls the Running
 * steps, the record keeps their outputs (the health-check criteria among them), and a waiting promotion resumed
 * from its JSON record carries argocd-wait's health statuses over.
 */
class ArgoCdInPromotionTest extends ArgoCdTest {

  private static final String TEMPLATE = """
      steps:
      - uses: argocd-update
        as: sync
        config:
          apps:
          - name: shop
            sources:
            - repoURL: %s
              desiredRevision: "%s"
      - uses: argocd-wait
        as: healthy
        config:
          apps:
          - name: shop
      """.formatted(REPO, COMMIT_2);

  private final ArgoCdSteps fastPolls = ArgoCdSteps.builder().client(argocd.client())
      .pollInterval(Duration.ofMillis(100)).apiBackoff(Duration.ofMillis(10)).build();

  /** The engine a host keeps: built-ins and the Argo CD steps. */
  private final PromotionEngine engine = PromotionEngine.builder()
      .registry(StepRegistry.builder().withBuiltins().register(fastPolls.steps()).build())
      .backoff(BackoffPolicy.fixed(Duration.ofMillis(50)))
      .build();

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  private PromotionSequence sequence() {
    return engine.sequence(PromotionDocuments.parse(TEMPLATE, "template.yaml").singleTemplate())
        .context(PROMOTION)
        .workdir(workdir)
        .build();
  }

  @Test
  void aPromotionSyncsAndWaitsUntilArgoCdReportsTheAppHealthy() {
    argocd.create(shop());
    argocd.controller().start(Duration.ofMillis(50));

    PromotionRecord record = sequence().run();

    assertThat(record.phase()).as(record.toJson()).isEqualTo(PromotionPhase.SUCCEEDED);
    StepRecord sync = record.step("sync").orElseThrow();
    assertThat(sync.attempts()).isGreaterThan(1);
    assertThat(sync.outputs()).isEqualTo(Map.of(
        "apps", List.of(Map.of("name", "shop", "namespace", "argocd")),
        "healthCheck", Map.of("kind", "argocd-update", "input", Map.of("apps", List.of(
            Map.of("name", "shop", "namespace", "argocd", "desiredRevisions", List.of(COMMIT_2)))))));
    assertThat(record.step("healthy").orElseThrow().outputs().get("healthStatus"))
        .isEqualTo(Map.of("argocd/shop", "Healthy"));
    assertThat(record.toJson()).contains("\"healthCheck\" : {");
    assertThat(at(argocd.application("shop"), "status", "sync")).containsEntry("revision", COMMIT_2);
  }

  @Test
  void aWaitingPromotionResumedFromItsJsonRecordFinishesTheSyncAndTheWait() {
    argocd.create(shop());
    argocd.controller().settle("argocd", "shop");
    // The sync is done (driven by hand), the app Healthy: the waiting promotion is then stopped and resumed.
    PromotionRecord waiting = sequence().runUntilWaiting();
    argocd.controller().settle("argocd", "shop");
    PromotionRecord synced = sequence().resumeUntilWaiting(PromotionRecord.fromJson(waiting.toJson()));
    while (synced.phase() == PromotionPhase.RUNNING && synced.step("sync").orElseThrow().status() == StepStatus.RUNNING) {
      argocd.controller().settle("argocd", "shop");
      synced = sequence().resume(PromotionRecord.fromJson(synced.toJson()));
    }

    assertThat(waiting.phase()).isEqualTo(PromotionPhase.RUNNING);
    assertThat(synced.phase()).as(synced.toJson()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(synced.step("healthy").orElseThrow().outputs().get("healthStatus"))
        .isEqualTo(Map.of("argocd/shop", "Healthy"));
  }

  @Test
  void aResumedWaitComparesWithTheHealthItRecordedBeforeTheStop() {
    argocd.create(shop());
    status("shop", Map.of("health", Map.of("status", "Healthy"), "sync", Map.of("status", "OutOfSync"),
        "reconciledAt", "2026-11-26T10:00:00Z"));
    PromotionSequence waitOnly = engine.sequence(PromotionDocuments.parse("steps:\n- uses: argocd-wait\n  as: "
            + "healthy\n  config:\n    apps: [{name: shop}]\n", "wait.yaml").singleTemplate())
        .context(PROMOTION)
        .workdir(workdir)
        .build();

    PromotionRecord waiting = waitOnly.runUntilWaiting();
    status("shop", Map.of("health", Map.of("status", "Degraded"), "sync", Map.of("status", "Synced"),
        "reconciledAt", "2026-11-26T10:00:00Z"));
    PromotionRecord resumed = waitOnly.resume(PromotionRecord.fromJson(waiting.toJson()));

    assertThat(waiting.step("healthy").orElseThrow().outputs().get("healthStatus"))
        .isEqualTo(Map.of("argocd/shop", "Healthy"));
    assertThat(resumed.phase()).isEqualTo(PromotionPhase.ERRORED);
    assertThat(resumed.message()).isEqualTo("step \"healthy\": Argo CD Application \"shop\" in namespace \"argocd\" "
        + "health has regressed from Healthy to Degraded");
    assertThat(resumed.step("healthy").orElseThrow().outputs().get("healthStatus"))
        .isEqualTo(Map.of("argocd/shop", "Degraded"));
  }

  @Test
  void aFailedSyncEndsThePromotionErroredWithArgoCdsMessage() {
    argocd.create(shop());
    argocd.controller().behavior("shop", SyncBehavior.fail("one or more objects failed to apply, reason: "
        + "Deployment.apps \"shop\" is invalid"));
    argocd.controller().start(Duration.ofMillis(50));

    PromotionRecord record = sequence().run();

    assertThat(record.phase()).isEqualTo(PromotionPhase.ERRORED);
    assertThat(record.message()).isEqualTo("step \"sync\" met error threshold of 1: Argo CD Application \"shop\" in "
        + "namespace \"argocd\" failed with: one or more objects failed to apply, reason: Deployment.apps \"shop\" is "
        + "invalid");
    assertThat(record.step("healthy").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
  }
}
