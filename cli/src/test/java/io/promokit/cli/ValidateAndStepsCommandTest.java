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
    assertThat(cli.out).contains("valid (1 steps, 0 warnings)");
  }

  @Test
  void stepsListsBuiltInsAndContainerStepsWithTheirImage() throws Exception {
    Path steps = Files.writeString(dir.resolve("s.yaml"), """
        apiVersion: ee.kargo.akuity.io/v1alpha1
        kind: CustomPromotionStep
        metadata:
          name: scan
        spec:
          image: registry.example.com/tools/scan:1.2
          command: ["scan"]
        """);

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
}
