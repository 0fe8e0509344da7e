package io.promokit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.StepStatus;
import io.promokit.testkit.FakeContainer;
import io.promokit.testkit.FakeContainerRuntime;
import io.promokit.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service of docs/embedding.md: a promotion waits for an approval and is resumed by the scheduler when due. */
class PromotionServiceTest {

  @TempDir Path workdirs;
  private final ManualClock clock = ManualClock.create();
  private final FakeContainerRuntime containers = FakeContainerRuntime.create();

  @Test
  void aWaitingPromotionIsResumedWhenDueAndFinishesOnceApproved() {
    containers.whenImage("registry.example.com/tools/smoke:1").thenReturn(FakeContainer.exit(0).stdout("all green"));
    Instant start = clock.instant();
    try (PromotionService service = new PromotionService("shop-promoter-1", containers, clock, workdirs)) {
      PromotionRecord waiting = service.promote("prod-1", "prod");

      assertThat(waiting.phase()).isEqualTo(PromotionPhase.RUNNING);
      assertThat(waiting.nextDueAt()).contains(start.plus(Duration.ofMinutes(10)));
      assertThat(waiting.step("smoke").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(containers.lastRequest().command()).containsExactly("smoke", "--stage", "prod");
      assertThat(service.waiting()).containsExactly("prod-1");
      assertThat(service.resumeDue(clock.instant())).as("not due yet").isEmpty();

      clock.advance(Duration.ofMinutes(10));
      PromotionRecord stillWaiting = service.resumeDue(clock.instant()).get(0);
      assertThat(stillWaiting.nextDueAt()).contains(start.plus(Duration.ofMinutes(20)));

      service.approve("prod-1", "alice");
      clock.advance(Duration.ofMinutes(10));
      PromotionRecord done = service.resumeDue(clock.instant()).get(0);

      assertThat(done.phase()).as(done.message()).isEqualTo(PromotionPhase.SUCCEEDED);
      assertThat(done.outputs().get("summary")).isEqualTo(Map.of("approvedBy", "alice"));
      assertThat(done.engineId()).isEqualTo("shop-promoter-1");
      assertThat(done.nextDueAt()).isEmpty();
      assertThat(service.waiting()).isEmpty();
      assertThat(containers.requests()).hasSize(1);
    }
    assertThat(containers.openHandles()).isZero();
  }
}
