package io.promokit.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeOutputAndFailStepTest {

  @TempDir Path workdir;

  @Test
  void composeOutputPublishesItsConfigAsOutputs() throws Exception {
    Map<String, Object> config = Map.of("commit", "abc123", "count", 3L, "nested", Map.of("list", List.of(1L, 2L)));

    StepResult result = TestStepContext.of(workdir, "compose-output", config).run();

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).isEqualTo(config);
  }

  @Test
  void composeOutputNeedsAtLeastOneKey() throws Exception {
    StepResult result = TestStepContext.of(workdir, "compose-output", Map.of()).run();

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("invalid config: config: must have at least 1 field, but had 0");
  }

  @Test
  void failEndsTheStepFailedWithItsMessage() throws Exception {
    StepResult result = TestStepContext.of(workdir, "fail", Map.of("message", "freeze window")).run();

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("step \"my-fail\": failed: freeze window");
    assertThat(result.outputs()).isEmpty();
  }

  @Test
  void failWithoutMessageStillFails() throws Exception {
    StepResult result = TestStepContext.of(workdir, "fail", Map.of()).run();

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("step \"my-fail\": failed");
  }

  @Test
  void failRejectsUnknownFieldsAndWrongTypes() throws Exception {
    assertThat(TestStepContext.of(workdir, "fail", Map.of("mesage", "x")).run().message())
        .isEqualTo("invalid config: config.mesage: is not a known field; did you mean \"message\"?");
    assertThat(TestStepContext.of(workdir, "fail", Map.of("message", 42)).run().message())
        .isEqualTo("invalid config: config.message: must be a string, but was an integer");
  }
}
