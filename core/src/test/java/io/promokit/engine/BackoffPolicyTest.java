package io.promokit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.BackoffPolicy;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

  @Test
  void withoutJitterDelaysGrowByTheMultiplierUpToTheCap() {
    BackoffPolicy policy = BackoffPolicy.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0);

    assertThat(IntStream.rangeClosed(1, 6).mapToObj(policy::delay)).containsExactly(Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(10),
        Duration.ofSeconds(10));
    assertThat(policy.delay(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delay(10_000)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void jitterStaysWithinTheRandomizationAndTheCap() {
    BackoffPolicy policy = BackoffPolicy.defaultPolicy();

    for (int i = 0; i < 1000; i++) {
      assertThat(policy.delay(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6));
      assertThat(policy.delay(30)).isBetween(Duration.ofSeconds(150), Duration.ofMinutes(5));
    }
    assertThat(IntStream.range(0, 200).mapToObj(i -> policy.delay(1)).distinct().count()).isGreaterThan(1);
  }

  @Test
  void badSettingsSayWhatWasWrong() {
    assertThatThrownBy(() -> BackoffPolicy.exponential(Duration.ZERO, 2, Duration.ofSeconds(1), 0))
        .hasMessage("initial must be positive, but was PT0S");
    assertThatThrownBy(() -> BackoffPolicy.exponential(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 0))
        .hasMessage("multiplier must be at least 1, but was 0.5");
    assertThatThrownBy(() -> BackoffPolicy.exponential(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 1))
        .hasMessage("randomization must be in [0, 1), but was 1.0");
  }
}
