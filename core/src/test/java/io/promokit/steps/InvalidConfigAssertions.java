package io.promokit.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.util.concurrent.Callable;

/** Asserts that a built-in step ended {@code Failed} with an "invalid config" message (paths it refuses, too). */
final class InvalidConfigAssertions {

  private InvalidConfigAssertions() {}

  static void assertInvalidConfig(Callable<StepResult> run, String message) throws Exception {
    StepResult result = run.call();
    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("invalid config: " + message);
  }

  static void assertInvalidConfigStartingWith(Callable<StepResult> run, String prefix) throws Exception {
    StepResult result = run.call();
    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).startsWith("invalid config: " + prefix);
  }
}
