package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateAndStepsCommandTest {

  @TempDir Path dir;

  @Test
  void validateReportsEveryProblemWithFileAndLine() throws Exception {
    Path template = Files.writeString(dir.resolve("t.yaml"), """
        steps:
          - uses: yaml-updte
            as: first
          - uses: compose-output
            as: first
            config:
              a: ${{ outputs.nowhere.x }}
          - uses: compose-output
            config:
              b: ${{ 1 + }}
        """);

    Cli cli = Cli.run("validate", template.toString());

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err)
        .contains(template + ":2:")
        .contains("unknown step \"yaml-updte\"")
        .contains("step \"first\"")
        .contains("nowhere")
        .contains("config.b");
  }

  @Test
  void aValidTemplateExitsWithZero() throws Exception {
    Path template = Files.writeString(dir.resolve("t.yaml"), "steps:\n  - uses: compose-output\n    config: {a: 1}\n");

    Cli cli = Cli.run("validate", template.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.out).isEqualTo(template + ": valid (1 step, 0 warnings)\n");
  }

  @Test
  void stepsListsBuiltInsAndContainerStepsWithTheirImage() throws Exception {
    Path steps = writeScanStep();

    Cli cli = Cli.run("steps", "--steps", steps.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.out).containsPattern("scan\\s+container\\s+registry.example.com/tools/scan:1.2");
    assertThat(cli.out).containsPattern("yaml-update\\s+built-in\\s+-");
  }

  @Test
  void aBrokenStepDefinitionExitsWithTwoNamingTheLine() throws Exception {
    Path steps = Files.writeString(dir.resolve("s.yaml"), """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: Bad_Name
        spec:
          command: ["x"]
        """);

    Cli cli = Cli.run("steps", "--steps", steps.toString());

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).contains(steps + ":");
  }

  @Test
  void aStepNeedingACapabilityTheCommandCannotGrantIsAnErrorInValidateAndRun() throws Exception {
    Path steps = Files.writeString(dir.resolve("s.yaml"), """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: deploy
        spec:
          image: deployer
          command: ["deploy"]
          capabilities: [kubeconfig]
        """);
    Path template = Files.writeString(dir.resolve("t.yaml"), "steps:\n  - as: ship\n    uses: deploy\n");
    String expected = steps + ":1:1: error: step \"ship\": capabilities: step \"deploy\" needs capability"
        + " \"kubeconfig\", which the host does not offer (offered: none)";

    Cli validate = Cli.run("validate", template.toString(), "--steps", steps.toString());
    Cli run = Cli.run("run", template.toString(), "--steps", steps.toString(), "--runtime", "local");

    assertThat(validate.exitCode).as(validate.toString()).isEqualTo(2);
    assertThat(validate.err).contains(expected);
    assertThat(run.exitCode).as("nothing runs: " + run).isEqualTo(2);
    assertThat(run.err).contains(expected).doesNotContain("[start]");
  }

  @Test
  void theCountsAgreeWithTheirNouns() throws Exception {
    Path template = Files.writeString(dir.resolve("t.yaml"), """
        steps:
          - uses: compose-output
            as: out
            config:
              a: ${{ vars.missing }}
          - uses: compose-output
            config:
              b: 1
        """);

    Cli cli = Cli.run("validate", template.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.out).isEqualTo(template + ": valid (2 steps, 1 warning)\n");
  }

  @Test
  void theSleepExampleValidatesWithoutWarnings() {
    // issue 19: the seed's sleep step (a container step replacing promokit's own sleep, its command splicing a
    // literal and a var holding one) gets neither the replacement warning nor shellQuote advice.
    Path example = Path.of("..", "examples", "custom-steps");

    Cli cli = Cli.run("validate", example.resolve("sleep-template.yaml").toString(),
        "--steps", example.resolve("steps").toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.err).isEmpty();
    assertThat(cli.out).isEqualTo(example.resolve("sleep-template.yaml") + ": valid (2 steps, 0 warnings)\n");
  }

  @Test
  void anUnknownStepWithoutStepsAsksWhetherStepsWasForgotten() throws Exception {
    Path template = Files.writeString(dir.resolve("t.yaml"), """
        steps:
          - uses: scan-images
            as: scan
          - uses: compose-outptu
            as: out
        """);
    String hint = "did you forget --steps? (custom steps are read from the CustomPromotionStep files it names)";

    Cli cli = Cli.run("validate", template.toString());

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err.lines().toList()).hasSize(2);
    assertThat(cli.err.lines().toList().get(0)).matches(java.util.regex.Pattern.quote(template
        + ":2:5: error: step \"scan\": uses: unknown step \"scan-images\" (none of the ")
        + "\\d+" + java.util.regex.Pattern.quote(" registered steps has a similar name); " + hint));
    assertThat(cli.err.lines().toList().get(1)).isEqualTo(template + ":4:5: error: step \"out\": uses: unknown step"
        + " \"compose-outptu\"; did you mean \"compose-output\"? or " + hint);
  }

  @Test
  void anUnknownStepLikeNoneGivenAsksWhetherItsFileWasLeftOut() throws Exception {
    Path steps = writeScanStep();
    Path template = Files.writeString(dir.resolve("t.yaml"), """
        steps:
          - uses: notify-team
            as: notify
          - uses: scna
        """);

    Cli cli = Cli.run("validate", template.toString(), "--steps", steps.toString());

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err.lines().toList()).hasSize(2);
    assertThat(cli.err.lines().toList().get(0)).matches(java.util.regex.Pattern.quote(template
        + ":2:5: error: step \"notify\": uses: unknown step \"notify-team\" (none of the ")
        + "\\d+" + java.util.regex.Pattern.quote(" registered steps has a similar name); is its"
        + " CustomPromotionStep in a file not given with --steps?"));
    assertThat(cli.err.lines().toList().get(1)).isEqualTo(template + ":4:5: error: step \"step-2\": uses:"
        + " unknown step \"scna\"; did you mean \"scan\"?");
  }

  /** A container step named scan, in s.yaml. */
  private Path writeScanStep() throws java.io.IOException {
    return Files.writeString(dir.resolve("s.yaml"), """
        apiVersion: ee.kargo.akuity.io/v1alpha1
        kind: CustomPromotionStep
        metadata:
          name: scan
        spec:
          image: registry.example.com/tools/scan:1.2
          command: ["scan"]
        """);
  }
}
