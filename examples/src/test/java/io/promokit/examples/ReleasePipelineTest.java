package io.promokit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.documents.DocumentSet;
import io.promokit.PromotionContext;
import io.promokit.documents.PromotionDocuments;
import io.promokit.PromotionEngine;
import io.promokit.PromotionExecution;
import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionSequence;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.testkit.FakeContainer;
import io.promokit.testkit.FakeContainerRuntime;
import io.promokit.testkit.ManualClock;
import io.promokit.testkit.TestStepContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit tests of a pipeline: its host step and its template, without Docker and without waiting (quoted by docs). */
class ReleasePipelineTest {

  @TempDir Path workdir;

  // --8<-- [start:host-step]
  private final ApprovalGate gate = new ApprovalGate();

  @Test
  void theGateWaitsWithoutBlockingUntilSomeoneApproves() throws Exception {
    PromotionContext prod42 = PromotionContext.builder().stage("prod").promotion("prod-42").build();

    StepResult before = TestStepContext.builder(workdir).promotion(prod42).build().run(gate);
    gate.approve("prod-42", "alice");
    StepResult after = TestStepContext.builder(workdir).promotion(prod42).attempt(2).build().run(gate);

    assertThat(before.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(before.retryAfter()).contains(Duration.ofMinutes(10));
    assertThat(after.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(after.outputs()).isEqualTo(Map.of("approver", "alice"));
  }
  // --8<-- [end:host-step]

  // --8<-- [start:template-setup]
  private final ManualClock clock = ManualClock.create();
  private final FakeContainerRuntime containers = FakeContainerRuntime.create();
  private final DocumentSet release = PromotionDocuments.loadResource(PromotionService.class, "release.yaml");
  private final PromotionEngine engine = PromotionEngine.builder()
      .registry(registryWith(release, gate))
      .containerRuntime(containers)
      .timekeeper(clock)
      .build();

  private static StepRegistry registryWith(DocumentSet documents, ApprovalGate gate) {
    StepRegistry.Builder registry = StepRegistry.builder().withBuiltins().register("await-approval", gate);
    documents.customSteps().forEach(registry::register);
    return registry.build();
  }

  private PromotionSequence promotion(String name) {
    return engine.sequence(release.singleTemplate())
        .context(PromotionContext.builder().stage("prod").promotion(name).build())
        .workdir(workdir)
        .build();
  }

  @AfterEach
  void closeTheEngineAndCheckNothingIsLeft() {
    engine.close();
    assertThat(containers.openHandles()).isZero();
  }
  // --8<-- [end:template-setup]

  // --8<-- [start:template-retry]
  @Test
  void aFailedSmokeTestIsRetriedAfterTheBackoffOnTheManualClock() {
    containers.whenImage("registry.example.com/tools/smoke:1")
        .thenReturn(FakeContainer.exit(1).stderr("connection refused"))  // a retryable error
        .thenReturn(FakeContainer.exit(0).stdout("all green"));
    gate.approve("prod-7", "bob");
    PromotionSequence promotion = promotion("prod-7");

    PromotionRecord waiting = promotion.runUntilWaiting();
    assertThat(waiting.step("smoke").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
    assertThat(waiting.step("smoke").orElseThrow().message()).isEqualTo("container of step \"smoke-test\" (image "
        + "registry.example.com/tools/smoke:1) exited with code 1\n--- stderr ---\nconnection refused");

    clock.advance(Duration.between(clock.instant(), waiting.nextDueAt().orElseThrow()));
    PromotionRecord done = promotion.resumeUntilWaiting(PromotionRecord.fromJson(waiting.toJson()));

    assertThat(done.phase()).as(done.message()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(done.step("smoke").orElseThrow().attempts()).isEqualTo(2);
    assertThat(done.outputs().get("summary")).isEqualTo(Map.of("approvedBy", "bob"));
    assertThat(containers.requests()).extracting(r -> r.command()).containsOnly(
        java.util.List.of("smoke", "--stage", "prod"));
  }
  // --8<-- [end:template-retry]

  // --8<-- [start:template-abort]
  @Test
  void anAbortStopsTheRunningContainerAndSkipsTheRest() throws Exception {
    containers.always().thenReturn(FakeContainer.exit(0).runFor(Duration.ofHours(1)));
    PromotionExecution execution = promotion("prod-8").start();

    containers.awaitStarted(1, Duration.ofSeconds(30));  // no polling: returns once the container runs
    execution.abort();
    PromotionRecord record = execution.await();

    assertThat(record.phase()).isEqualTo(PromotionPhase.ABORTED);
    assertThat(record.step("smoke").orElseThrow().status()).isEqualTo(StepStatus.ABORTED);
    assertThat(record.step("approval").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(containers.stoppedContainers()).isEqualTo(1);
  }
  // --8<-- [end:template-abort]
}
