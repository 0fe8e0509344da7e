package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.promokit.PromotionPhase;
import io.promokit.StepStatus;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import io.promokit.runtime.docker.DockerContainerRuntime;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promokit run} with container steps in real Docker containers: {@code --runtime docker}, and
 * {@code auto} choosing Docker when a daemon answers. Needs what {@code scripts/test-env.sh start} prepares;
 * with {@code PROMOKIT_REQUIRE_DOCKER=true} (CI) a missing daemon or image fails the tests, otherwise
 * they are skipped with one line saying why.
 */
class DockerRunCommandTest {

  private static final String IMAGE = System.getenv().getOrDefault("PROMOKIT_TEST_IMAGE", "promokit-test/busybox:1");

  @TempDir Path dir;

  @BeforeAll
  static void needsDockerAndTheTestImage() throws Exception {
    String problem = !DockerContainerRuntime.isAvailable() ? "no Docker daemon answers"
        : !imagePresent() ? "the test image " + IMAGE + " is missing" : null;
    if (problem == null) {
      return;
    }
    problem += "; run scripts/test-env.sh start";
    if ("true".equalsIgnoreCase(System.getenv("PROMOKIT_REQUIRE_DOCKER"))) {
      fail(problem + " (PROMOKIT_REQUIRE_DOCKER=true)");
    }
    Assumptions.abort("Docker tests skipped: " + problem + " (set PROMOKIT_REQUIRE_DOCKER=true to fail instead)");
  }

  private static boolean imagePresent() throws Exception {
    Process docker = new ProcessBuilder("docker", "image", "inspect", IMAGE)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return docker.waitFor(30, TimeUnit.SECONDS) && docker.exitValue() == 0;
  }

  private Path[] sleepExample() throws Exception {
    Path steps = Files.createDirectories(dir.resolve("steps"));
    // The seed's step with the test image: `ubuntu` cannot be pulled here.
    String seed = Files.readString(Path.of("..", "examples", "custom-steps", "steps", "sleep.yaml"));
    assertThat(seed).contains("image: ubuntu");
    Files.writeString(steps.resolve("sleep.yaml"), seed.replace("image: ubuntu", "image: " + IMAGE));
    return new Path[] {steps, Path.of("..", "examples", "custom-steps", "sleep-template.yaml")};
  }

  private PromotionRecord runSleepExample(String runtime, Cli[] cliOut) throws Exception {
    Path[] example = sleepExample();
    Path record = dir.resolve("record.json");
    Cli cli = Cli.run("run", example[1].toString(), "--steps", example[0].toString(), "--runtime", runtime,
        "--record", record.toString());
    cliOut[0] = cli;
    assertThat(cli.exitCode).as(cli.toString()).isZero();
    return PromotionRecord.fromJson(Files.readString(record));
  }

  @Test
  void runtimeDockerRunsTheSeedSleepExampleInContainers() throws Exception {
    Cli[] cli = new Cli[1];
    PromotionRecord record = runSleepExample("docker", cli);

    assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    StepRecord step = record.step("my-sleep-step").orElseThrow();
    assertThat(step.outputs()).isEqualTo(Map.of("slept", "1"));
    assertThat(step.container().runtime()).isEqualTo("docker");
    assertThat(step.container().image()).isEqualTo(IMAGE);
    assertThat(step.container().containerId()).isNotBlank();
    assertThat(cli[0].err).contains("[end]  my-sleep-step (sleep) Succeeded attempt 1 in ")
        .doesNotContain("running container steps as local processes")
        .doesNotContain("warning");   // issue 19: the seed's example runs without warnings
  }

  @Test
  void runtimeAutoChoosesDockerWhenADaemonAnswersAndSaysSo() throws Exception {
    Cli[] cli = new Cli[1];
    PromotionRecord record = runSleepExample("auto", cli);

    assertThat(cli[0].err).contains("promokit: running container steps in Docker (");
    assertThat(record.step("short-sleep").map(s -> s.container().runtime())).contains("docker");
  }

  /** A step "hello" whose image lives on a registry that refuses connections, used by the step "greet". */
  private record OfflineExample(String image, Path steps, Path template) {}

  private OfflineExample offlineExample() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String image = "127.0.0.1:" + closedPort + "/promokit-test/offline:1";
    Path steps = Files.createDirectories(dir.resolve("offline-steps"));
    Files.writeString(steps.resolve("hello.yaml"), """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: hello
        spec:
          image: %s
          command: ["sh", "-c", "echo said=hello >> $KARGO_OUTPUT"]
        """.formatted(image));
    Path template = Files.writeString(dir.resolve("template.yaml"), """
        steps:
          - as: greet
            uses: hello
        """);
    return new OfflineExample(image, steps, template);
  }

  @Test
  void runtimeAutoNeverRunsTheCommandOnTheHostWhenDockerCannotReachTheRegistryOfAnImage() throws Exception {
    OfflineExample offline = offlineExample();
    Path record = dir.resolve("offline-record.json");

    Cli cli = Cli.run("run", offline.template().toString(), "--steps", offline.steps().toString(), "--runtime", "auto",
        "--record", record.toString());

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(1);
    String why = "Docker cannot get image " + offline.image() + ": cannot pull image \"" + offline.image() + "\"";
    assertThat(cli.err).contains("promokit: " + why)
        .contains("connection refused; --runtime auto does not run the step's command on this host instead: use"
            + " --runtime local for that (the image is ignored, no isolation) (step greet (hello) will fail)")
        .contains("promokit: running container steps in Docker (")
        .contains("[end]  greet (hello) Errored attempt 1 in ")
        .doesNotContain("running container steps as local processes");
    StepRecord greet = PromotionRecord.fromJson(Files.readString(record)).step("greet").orElseThrow();
    assertThat(greet.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(greet.message()).contains("cannot start: " + why).contains("use --runtime local for that");
    assertThat(greet.outputs()).as("the command never ran on this host").isEmpty();
  }

  @Test
  void runtimeDockerInsistsOnDockerWhenTheRegistryCannotBeReached() throws Exception {
    OfflineExample offline = offlineExample();

    Cli cli = Cli.run("run", offline.template().toString(), "--steps", offline.steps().toString(), "--runtime", "docker");

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(1);
    assertThat(cli.err).contains("[end]  greet (hello) Errored attempt 1 in ")
        .contains("cannot pull image \"" + offline.image() + "\"").doesNotContain("local processes");
  }

  @Test
  void aSecretEnvValueReachesTheContainerWithTheHelperImageOfTheFlagAndStaysOutOfItsConfig() throws Exception {
    Path steps = Files.createDirectories(dir.resolve("secret-steps"));
    Files.writeString(steps.resolve("check.yaml"), """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: check-token
        spec:
          image: %s
          env:
            - name: TOKEN
              value: ${{ secret('api').token }}
          command: ["sh", "-c", "test \\"$TOKEN\\" = s3cr3t-token-value && echo ok=yes >> $KARGO_OUTPUT"]
        """.formatted(IMAGE));
    Path template = Files.writeString(dir.resolve("secret-template.yaml"), """
        steps:
          - as: check
            uses: check-token
        """);
    Path secrets = Files.writeString(dir.resolve("secrets.yaml"), "api:\n  token: s3cr3t-token-value\n");
    Path record = dir.resolve("secret-record.json");

    Cli cli = Cli.run("run", template.toString(), "--steps", steps.toString(), "--runtime", "docker",
        "--secrets", secrets.toString(), "--docker-helper-image", IMAGE, "--record", record.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    StepRecord check = PromotionRecord.fromJson(Files.readString(record)).step("check").orElseThrow();
    assertThat(check.outputs()).isEqualTo(Map.of("ok", "yes"));
    assertThat(Files.readString(record)).doesNotContain("s3cr3t-token-value");
  }

  @Test
  void theDockerHelperImageIsRefusedWithAnotherRuntimeAndWhenItIsNoImageName() throws Exception {
    OfflineExample example = offlineExample();
    String[] common = {"run", example.template().toString(), "--steps", example.steps().toString()};

    Cli local = Cli.run(concat(common, "--runtime", "local", "--docker-helper-image", IMAGE));
    Cli invalid = Cli.run(concat(common, "--runtime", "docker", "--docker-helper-image", "Not An Image"));

    assertThat(local.exitCode).as(local.toString()).isEqualTo(2);
    assertThat(local.err).contains("promokit run: --docker-helper-image only applies to --runtime docker or auto");
    assertThat(invalid.exitCode).as(invalid.toString()).isEqualTo(2);
    assertThat(invalid.err).contains("promokit run: --docker-helper-image: helperImage: invalid image name \"Not An Image\"");
    Cli rootLocally = Cli.run(concat(common, "--runtime", "local", "--allow-root", "hello"));
    assertThat(rootLocally.exitCode).as(rootLocally.toString()).isEqualTo(2);
    assertThat(rootLocally.err).contains("promokit run: --allow-root does not apply to --runtime local (its commands"
        + " run as this user)");
  }

  private static String[] concat(String[] first, String... rest) {
    String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }
}
