package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.promokit.internal.process.MarkedProcesses;
import io.promokit.runtime.docker.DockerContainerRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promokit reap} after a kill -9 of {@code promokit run} mid-step: the CLI runs in a JVM of its own whose
 * {@code java.io.tmpdir} is this test's folder (so its workdirs, scratch folders and workdir ledger are the test's),
 * is killed while a container step runs, and a later {@code promokit reap --engine ID} leaves nothing behind.
 */
class ReapCommandTest {

  private static final String IMAGE = System.getenv().getOrDefault("PROMOKIT_TEST_IMAGE", "promokit-test/busybox:1");
  private static final Pattern ENGINE_LINE = Pattern.compile("\\[engine] (\\S+) runs promotion");

  @TempDir Path dir;

  /** A crashed run: its engine id and what it printed. */
  private record Crash(String engineId, String output) {}

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void reapRemovesTheProcessesScratchFoldersAndWorkdirOfACliKilledMidStepOnTheLocalRuntime() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    // The step forks: a child in the background and one that leaves its process group.
    Crash crash = runAndKill(tmp, "local", "sleep 600 & setsid sleep 600 & echo started; wait");
    assertThat(MarkedProcesses.withMark("PROMOKIT_ENGINE", crash.engineId())).as("the step's processes").hasSize(3);
    assertThat(workdirs(tmp)).as("the engine-made workdir").hasSize(1);
    assertThat(children(tmp.resolve("promokit-local"))).as("the scratch folder").hasSize(1);

    Cli dryRun = reap(tmp, "--engine", crash.engineId(), "--runtime", "local", "--dry-run");
    assertThat(dryRun.exitCode).as(dryRun.toString()).isZero();
    assertThat(dryRun.out).contains("would remove local process " + crash.engineId() + "__")
        .contains("would remove workdir " + workdirs(tmp).get(0));
    assertThat(MarkedProcesses.withMark("PROMOKIT_ENGINE", crash.engineId())).hasSize(3);

    Cli reaped = reap(tmp, "--engine", crash.engineId(), "--runtime", "local");
    System.out.println("promokit reap --engine " + crash.engineId() + " --runtime local\n" + reaped.out);

    assertThat(reaped.exitCode).as(reaped.toString()).isZero();
    assertThat(reaped.out).contains("removed local process " + crash.engineId() + "__")
        .contains("removed workdir " + tmp.toRealPath().resolve("promokit-promo-9-"))
        .contains("promokit reap: removed ");
    assertThat(MarkedProcesses.withMark("PROMOKIT_ENGINE", crash.engineId())).as("processes left").isEmpty();
    assertNothingLeft(tmp);
    Cli again = reap(tmp, "--engine", crash.engineId(), "--runtime", "local");
    assertThat(again.out).isEqualTo("promokit reap: nothing was left behind\n");
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void reapRemovesTheContainerAndWorkdirOfACliKilledMidStepOnDocker() throws Exception {
    requireDocker();
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Crash crash = runAndKill(tmp, "docker", "echo started; sleep 600");
    assertThat(containers(crash.engineId())).as("the step's container").hasSize(1);

    Cli reaped = reap(tmp, "--engine", crash.engineId(), "--runtime", "docker");
    System.out.println("promokit reap --engine " + crash.engineId() + " --runtime docker\n" + reaped.out);

    assertThat(reaped.exitCode).as(reaped.toString()).isZero();
    assertThat(reaped.out).contains("removed docker container ").contains("(engine " + crash.engineId() + ")")
        .contains("removed workdir ").contains("promokit reap: removed ");
    assertThat(containers(crash.engineId())).as("containers left").isEmpty();
    assertNothingLeft(tmp);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void olderThanLeavesWhatIsYoungerAndAllRemovesEverythingOfThisTemporaryFolder() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Crash crash = runAndKill(tmp, "local", "echo started; sleep 600");

    Cli older = reap(tmp, "--older-than", "1h", "--runtime", "local");
    assertThat(older.out).isEqualTo("promokit reap: nothing was left behind\n");
    assertThat(workdirs(tmp)).hasSize(1);

    Cli all = reap(tmp, "--all", "--runtime", "local");
    assertThat(all.exitCode).as(all.toString()).isZero();
    assertThat(all.out).contains("removed local process " + crash.engineId() + "__").contains("removed workdir ");
    assertThat(MarkedProcesses.withMark("PROMOKIT_ENGINE", crash.engineId())).isEmpty();
    assertNothingLeft(tmp);
  }

  @Test
  void aBadAgeOrNoSelectionIsBadInput() {
    Cli age = Cli.run("reap", "--older-than", "yesterday");
    Cli none = Cli.run("reap");
    Cli two = Cli.run("reap", "--all", "--engine", "pk-1");

    assertThat(age.exitCode).isEqualTo(2);
    assertThat(age.err).startsWith("promokit reap: --older-than \"yesterday\": ");
    assertThat(none.exitCode).isEqualTo(2);
    assertThat(none.err).contains("Missing required argument");
    assertThat(two.exitCode).isEqualTo(2);
    assertThat(two.err).contains("mutually exclusive");
  }

  /** Runs a one-step promotion whose step runs the script, waits for "started", and kills the CLI with SIGKILL. */
  private Crash runAndKill(Path tmp, String runtime, String script) throws Exception {
    Path steps = Files.createDirectories(dir.resolve("steps"));
    Files.writeString(steps.resolve("hang.yaml"), """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: hang
        spec:
          image: %s
          command: ["sh", "-c", "%s"]
        """.formatted(IMAGE, script));
    Path template = Files.writeString(dir.resolve("template.yaml"), """
        steps:
          - as: hang
            uses: hang
        """);
    Process cli = java(tmp, "run", template.toString(), "--steps", steps.toString(), "--runtime", runtime,
        "--ctx", "promotion=promo-9").redirectErrorStream(true).start();
    BufferedReader output = new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String engineId = null;
    String line;
    while ((line = output.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher engine = ENGINE_LINE.matcher(line);
      if (engine.find()) {
        engineId = engine.group(1);
      }
      if (line.contains("started")) {
        break;
      }
    }
    assertThat(seen.toString()).as("the step started").contains("  hang | started");
    cli.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(engineId).as(seen.toString()).isNotNull();
    return new Crash(engineId, seen.toString());
  }

  private Cli reap(Path tmp, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("reap"));
    all.addAll(List.of(args));
    Process process = java(tmp, all.toArray(String[]::new)).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Cli(process.exitValue(), out, err);
  }

  private static ProcessBuilder java(Path tmp, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** What a run leaves in the temporary folder, apart from empty state folders. */
  private static void assertNothingLeft(Path tmp) throws IOException {
    assertThat(workdirs(tmp)).as("workdirs").isEmpty();
    assertThat(children(tmp.resolve("promokit-local"))).as("local scratch folders").isEmpty();
    assertThat(children(tmp.resolve("promokit-workdirs"))).as("the workdir ledger").isEmpty();
    try (Stream<Path> entries = Files.list(tmp)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .as("scratch folders").noneMatch(n -> n.startsWith("promokit-helm-") || n.startsWith("promokit-git-")
              || n.startsWith("promokit-gpg-"));
    }
    Path docker = children(tmp).stream().filter(p -> p.getFileName().toString().startsWith("promokit-docker-"))
        .findFirst().orElse(null);
    if (docker != null) {
      try (Stream<Path> all = Files.walk(docker)) {
        assertThat(all.filter(Files::isRegularFile).toList()).as("Docker attempt folders").isEmpty();
      }
    }
  }

  private static List<Path> workdirs(Path tmp) throws IOException {
    return children(tmp).stream().filter(p -> p.getFileName().toString().startsWith("promokit-promo-9-")).toList();
  }

  private static List<Path> children(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.toList();
    }
  }

  private static List<String> containers(String engineId) throws Exception {
    Process docker = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=promokit.io/engine=" + engineId)
        .redirectErrorStream(true).start();
    String out = new String(docker.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(docker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
  }

  private static void requireDocker() {
    if (!DockerContainerRuntime.isAvailable()) {
      if ("true".equalsIgnoreCase(System.getenv("PROMOKIT_REQUIRE_DOCKER"))) {
        fail("no Docker daemon answers (PROMOKIT_REQUIRE_DOCKER=true)");
      }
      org.junit.jupiter.api.Assumptions.abort("Docker tests skipped: no Docker daemon answers");
    }
  }
}
