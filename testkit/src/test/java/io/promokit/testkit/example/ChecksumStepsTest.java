package io.promokit.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.testkit.TestStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a step module tests its steps with the testkit (quoted by docs/step-kit.md). */
class ChecksumStepsTest {

  private static final String DIGEST_OF_HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

  @TempDir Path workdir;

  // --8<-- [start:test]
  private final RegisteredStep checksum = ChecksumSteps.create().steps().get(0);

  @Test
  void writesTheDigestNextToTheFile() throws Exception {
    Files.writeString(workdir.resolve("hello.txt"), "hello\n");
    TestStepContext ctx = TestStepContext.builder(workdir).config(Map.of("path", "hello.txt")).build();

    StepResult result = ctx.run(checksum); // schema first, as the engine does

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).isEqualTo(Map.of("digest", DIGEST_OF_HELLO));
    assertThat(Files.readString(workdir.resolve("hello.txt.sha256"))).isEqualTo(DIGEST_OF_HELLO + "\n");
    assertThat(ctx.lines()).contains("STDOUT: " + DIGEST_OF_HELLO + "  " + workdir.resolve("hello.txt"));
  }

  @Test
  void invalidConfigFailsTheStepAsInAPromotion() throws Exception {
    StepResult typo = TestStepContext.builder(workdir).config(Map.of("pth", "hello.txt")).build().run(checksum);
    StepResult escape = TestStepContext.builder(workdir).config(Map.of("path", "../etc/passwd")).build().run(checksum);
    StepResult timeout = TestStepContext.builder(workdir).config(Map.of("path", "a", "timeout", "soon")).build()
        .run(checksum);

    assertThat(typo.status()).isEqualTo(StepStatus.FAILED);
    assertThat(typo.message())
        .isEqualTo("invalid config: config.pth: is not a known field; did you mean \"path\"?; config.path: is required");
    assertThat(escape.message())
        .isEqualTo("invalid config: config.path: \"../etc/passwd\" climbs out of the working directory");
    assertThat(timeout.message()).startsWith("invalid config: config.timeout: invalid duration \"soon\"");
  }

  @Test
  void aRetryReusesWhatAnEarlierAttemptProduced() throws Exception {
    TestStepContext retry = TestStepContext.builder(workdir).attempt(2).config(Map.of("path", "gone.txt"))
        .previousOutputs(Map.of("digest", DIGEST_OF_HELLO)).build();

    assertThat(retry.run(checksum).outputs()).isEqualTo(Map.of("digest", DIGEST_OF_HELLO));
  }
  // --8<-- [end:test]

  @Test
  void theModuleRegistersBesideTheBuiltins() {
    StepRegistry registry = StepRegistry.builder().withBuiltins().register(ChecksumSteps.create().steps()).build();

    assertThat(registry.require("file-checksum").options().description())
        .isEqualTo("Computes the SHA-256 digest of a file with sha256sum and writes it next to the file.");
  }
}
