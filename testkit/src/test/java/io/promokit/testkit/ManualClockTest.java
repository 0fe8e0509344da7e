package io.promokit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ManualClockTest {

  private final ManualClock clock = ManualClock.create();

  private CompletableFuture<Instant> sleeper(Duration duration) {
    Instant until = clock.instant().plus(duration);
    return CompletableFuture.supplyAsync(() -> {
      try {
        clock.sleepUntil(until);
        return clock.instant();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void standsStillUntilAdvancedAndWakesEachWaiterWhenItsTimeComes() {
    CompletableFuture<Instant> short1 = sleeper(Duration.ofSeconds(10));
    CompletableFuture<Instant> long1 = sleeper(Duration.ofMinutes(1));
    clock.awaitWaiters(2);
    assertThat(clock.nextDeadline()).contains(ManualClock.DEFAULT_START.plusSeconds(10));

    clock.advance(Duration.ofSeconds(9));
    assertThat(clock.waiters()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));

    assertThat(short1.join()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(10));
    clock.awaitWaiters(1);
    assertThat(long1).isNotDone();
    clock.advanceToNextDeadline();
    assertThat(long1.join()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(60));
  }

  @Test
  void aCopyInAnotherZoneSharesTheTime() {
    ManualClock paris = clock.withZone(ZoneId.of("Europe/Paris"));

    clock.advance(Duration.ofHours(1));

    assertThat(paris.instant()).isEqualTo(clock.instant());
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }

  @Test
  void timeOnlyMovesForward() {
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a manual clock only moves forward, but was asked to move PT-1S");
  }

  @Test
  void advanceUntilDoneDrivesSuccessiveWaits() {
    CompletableFuture<Instant> twoNaps = CompletableFuture.supplyAsync(() -> {
      try {
        clock.sleepUntil(clock.instant().plusSeconds(30));
        clock.sleepUntil(clock.instant().plusSeconds(30));
        return clock.instant();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    assertThat(clock.advanceUntilDone(twoNaps)).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(60));
  }
}
