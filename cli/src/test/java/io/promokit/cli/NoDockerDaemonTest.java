package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.records.PromotionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --runtime docker} and {@code auto} when no daemon answers: docker-java reads {@code DOCKER_HOST}
 * from a system property of that name before the environment, so these tests point it at a socket that
 * does not exist, whatever runs on this machine.
 */
class NoDockerDaemonTest {

  @TempDir Path dir;

  private Path steps;
  private Path template;
  private String socket;
  private String previousDockerHost;

  @BeforeEach
  void pointDockerNowhere() throws Exception {
    socket = "unix://" + dir.resolve("no-daemon.sock");
    previousDockerHost = System.setProperty("DOCKER_HOST", socket);
    steps = Files.writeString(dir.resolve("s.yaml"), """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: hello
        spec:
          image: busybox
          command: ["sh", "-c", "echo said=hi >> $KARGO_OUTPUT"]
        """);
    template = Files.writeString(dir.resolve("t.yaml"), "steps:\n  - as: greet\n    uses: hello\n");
  }

  @AfterEach
  void restore() {
    if (previousDockerHost == null) {
      System.clearProperty("DOCKER_HOST");
    } else {
      System.setProperty("DOCKER_HOST", previousDockerHost);
    }
  }

  @Test
  void runtimeDockerExitsWithTwoBeforeAnyStepRuns() {
    Cli cli = Cli.run("run", template.toString(), "--steps", steps.toString(), "--runtime", "docker");

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(cli.err).contains("promokit run: --runtime docker: no Docker daemon answers at " + socket
        + " (set DOCKER_HOST, start the daemon, or use --runtime local)").doesNotContain("[start]");
  }

  @Test
  void runtimeAutoRunsTheStepLocallyAndSaysSo() throws Exception {
    Path record = dir.resolve("record.json");

    Cli cli = Cli.run("run", template.toString(), "--steps", steps.toString(), "--record", record.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.err).contains("promokit: no Docker daemon answers; running container steps as local processes"
        + " (the image is ignored, no isolation)");
    PromotionRecord r = PromotionRecord.fromJson(Files.readString(record));
    assertThat(r.step("greet").orElseThrow().container().runtime()).isEqualTo("local");
    assertThat(r.step("greet").orElseThrow().outputs()).isEqualTo(Map.of("said", "hi"));
  }
}
