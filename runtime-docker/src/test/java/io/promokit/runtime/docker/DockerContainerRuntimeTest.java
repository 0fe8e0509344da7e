package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import io.promokit.event.LogStream;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.PullPolicy;
import io.promokit.spi.ResourceRequirements;
import io.promokit.testkit.LogCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the Docker runtime does beyond the common contract, against the real daemon. */
@ExtendWith(RequiresDocker.class)
class DockerContainerRuntimeTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir
  Path workdir;

  private DockerContainerRuntime runtime;
  private String engine;
  private int step;

  @BeforeAll
  static void needsDocker() {
    DockerTestEnvironment.require();
  }

  @BeforeEach
  void createRuntime() {
    runtime = DockerContainerRuntime.create();
    engine = "docker-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void nothingLeftBehind() {
    runtime.close();
    assertThat(DockerTestEnvironment.containersOf(engine)).as("containers of engine %s", engine).isEmpty();
    assertThat(AttemptDirectory.engineDirectory(runtime.scratchDirectory(), engine)).doesNotExist();
  }

  private ContainerRequest.Builder request(String image, List<String> command) {
    step++;
    return ContainerRequest.builder()
        .name("docker-test-" + step)
        .image(image)
        .command(command)
        .workdir(workdir)
        .label(ContainerLabels.ENGINE, engine)
        .label(ContainerLabels.PROMOTION, "docker-test")
        .label(ContainerLabels.STEP, "step-" + step)
        .label(ContainerLabels.ATTEMPT, "1");
  }

  private ContainerRequest.Builder shell(String script) {
    return request(DockerTestEnvironment.busyboxImage(), List.of("sh", "-c", script));
  }

  private static ContainerExit awaitExit(ContainerHandle handle) throws InterruptedException {
    return handle.await(PATIENCE).orElseThrow(() -> new AssertionError(handle.id() + " did not exit within " + PATIENCE));
  }

  private static InspectContainerResponse inspect(ContainerHandle handle) {
    return DockerTestEnvironment.client().inspectContainerCmd(handle.id()).exec();
  }

  // ---- what the container gets --------------------------------------------------------------------

  @Test
  void runsUnderDockersInitWhichReapsOrphanedChildren() throws Exception {
    LogCollector logs = new LogCollector();
    // The subshell exits at once, orphaning its sleep; once that ends, only an init that reaps leaves no zombie.
    try (ContainerHandle handle = runtime.start(shell(
        "tr '\\0' ' ' < /proc/1/cmdline; echo; (sleep 0.2 &); sleep 1; ps -o stat,comm | grep -c '^Z' || true").build(), logs)) {
      assertThat(awaitExit(handle).exitCode()).isZero();
    }
    assertThat(logs.stdout()).hasSize(2);
    assertThat(logs.stdout().get(0)).startsWith("/sbin/docker-init -- sh -c");
    assertThat(logs.stdout().get(1)).as("zombie processes").isEqualTo("0");
  }

  @Test
  void runsAsUid65532WithTheWorkdirsGroupByDefault() throws Exception {
    int workdirGroup = (Integer) Files.getAttribute(workdir, "unix:gid");
    // Group 0 (a root host's folder) is never shared: the workdir is given the container's uid as its group.
    String shared = workdirGroup == 0 ? "65532" : Integer.toString(workdirGroup);
    LogCollector logs = new LogCollector();
    try (ContainerHandle handle = runtime.start(shell("id -u; id -g; id -G").build(), logs)) {
      assertThat(awaitExit(handle).exitCode()).isZero();
    }
    assertThat(logs.stdout()).containsExactly("65532", shared, shared);
    assertThat(Files.getAttribute(workdir, "unix:gid").toString()).isEqualTo(shared);
  }

  @Test
  void runsAsTheRequestedUserAndGroupWithTheWorkdirsGroupAdded() throws Exception {
    int workdirGroup = (Integer) Files.getAttribute(workdir, "unix:gid");
    LogCollector logs = new LogCollector();
    try (ContainerHandle handle = runtime.start(shell("id -u; id -g; id -G").user(1234).group(4321).build(), logs)) {
      assertThat(awaitExit(handle).exitCode()).isZero();
    }
    // A workdir of group 0 is given the request's group, which then is the only one.
    assertThat(logs.stdout()).containsExactly("1234", "4321", workdirGroup == 0 ? "4321" : "4321 " + workdirGroup);
  }

  @Test
  void setsTheContainerUpAsDocumented() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerRequest request = shell("echo ready; sleep 300")
        .resources(new ResourceRequirements(Map.of("memory", "32Mi", "cpu", "250m"), Map.of("memory", "64Mi", "cpu", "500m")))
        .build();
    try (ContainerHandle handle = runtime.start(request, logs)) {
      logs.awaitLine(LogStream.STDOUT, "ready", PATIENCE);
      InspectContainerResponse info = inspect(handle);
      HostConfig host = info.getHostConfig();
      assertThat(host.getMemory()).isEqualTo(64L << 20);
      assertThat(host.getMemorySwap()).as("no swap beyond the limit").isEqualTo(64L << 20);
      assertThat(host.getMemoryReservation()).isEqualTo(32L << 20);
      assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
      assertThat(host.getCpuShares()).isEqualTo(256);
      assertThat(host.getInit()).isTrue();
      assertThat(host.getLogConfig().getType().getType()).as("output is not stored by the daemon").isEqualTo("none");
      assertThat(info.getConfig().getWorkingDir()).isEqualTo("/workspace");
      assertThat(info.getConfig().getUser()).isEqualTo("65532:" + Files.getAttribute(workdir, "unix:gid"));
      assertThat(info.getConfig().getLabels())
          .containsEntry(ContainerLabels.ENGINE, engine)
          .containsEntry(ContainerLabels.PROMOTION, "docker-test")
          .containsEntry(ContainerLabels.STEP, "step-" + step)
          .containsEntry(ContainerLabels.ATTEMPT, "1")
          .containsEntry(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE);
      assertThat(info.getConfig().getEnv()).contains("KARGO_OUTPUT=/promokit/out/kargo-output",
          "PROMOKIT_FILES=/promokit/files");
      assertThat(info.getMounts()).extracting(m -> m.getDestination().getPath(), m -> m.getRW())
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("/workspace", true),
              org.assertj.core.groups.Tuple.tuple("/promokit/out", true),
              org.assertj.core.groups.Tuple.tuple("/promokit/files", false));
    }
  }

  @Test
  void keepsTheRequestsFilesFromOtherHostUsers() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerRequest request = shell("cat \"$PROMOKIT_FILES/token\"; echo; echo ready; sleep 300")
        .file(new io.promokit.spi.ContainerFile("token", "s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .build();
    try (ContainerHandle handle = runtime.start(request, logs)) {
      logs.awaitLine(LogStream.STDOUT, "ready", PATIENCE);
      Path files = AttemptDirectory.engineDirectory(runtime.scratchDirectory(), engine).resolve(handle.id()).resolve("files");
      assertThat(Files.getAttribute(files.resolve("token"), "unix:mode")).extracting(m -> (Integer) m & 0777).isEqualTo(0640);
      assertThat(Files.getAttribute(files, "unix:mode")).extracting(m -> (Integer) m & 0777).isEqualTo(0750);
    }
    assertThat(logs.stdout()).startsWith("s3cret");
  }

  // ---- resources ------------------------------------------------------------------------------------

  @Test
  void reportsAnOutOfMemoryKillWithTheLimit() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerRequest request = shell("echo start; dd if=/dev/zero of=/dev/null bs=100M count=1")
        .resources(new ResourceRequirements(Map.of(), Map.of("memory", "16Mi")))
        .build();
    ContainerExit exit;
    try (ContainerHandle handle = runtime.start(request, logs)) {
      exit = awaitExit(handle);
    }
    // says what ended the container instead when it was not the OOM killer (it failed once in a full build)
    assertThat(exit.oomKilled()).as("%s, stdout %s, stderr %s", exit, logs.stdout(), logs.stderr()).isTrue();
    assertThat(exit.exitCode()).isEqualTo(137);
    assertThat(exit.reason()).isEqualTo("OOMKilled: exceeded its memory limit of 16Mi (16777216 bytes)");
    assertThat(logs.stdout()).containsExactly("start");
  }

  // ---- images without a shell -------------------------------------------------------------------------

  @Test
  void runsAnImageWithoutAShell() throws Exception {
    Files.writeString(workdir.resolve("in.txt"), "copied without a shell\n");
    LogCollector logs = new LogCollector();
    try (ContainerHandle echo = runtime.start(request(DockerTestEnvironment.noShellImage(),
        List.of("echo", "hello", "from", "an image without a shell")).build(), logs)) {
      assertThat(awaitExit(echo).exitCode()).isZero();
    }
    try (ContainerHandle copy = runtime.start(request(DockerTestEnvironment.noShellImage(),
        List.of("cp", "in.txt", "/promokit/out/kargo-output")).build(), logs)) {
      assertThat(awaitExit(copy).exitCode()).isZero();
      assertThat(new String(copy.readOutputFile(100).content())).isEqualTo("copied without a shell\n");
    }
    assertThat(logs.stdout()).containsExactly("hello from an image without a shell");
  }

  @Test
  void aCommandMissingFromTheImageIsATerminalErrorNamingIt() throws Exception {
    String image = DockerTestEnvironment.noShellImage();
    try (ContainerHandle handle = runtime.start(request(image, List.of("sh", "-c", "true")).build(), new LogCollector())) {
      assertThatThrownBy(() -> handle.await(PATIENCE))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
          .hasMessage("cannot start container " + handle.id() + ": the command \"sh\" could not be run in image \""
              + image + "\" (the runtime runs the command as it is, without a shell): exec sh failed: No such file or directory");
    }
  }

  // ---- start-time checks --------------------------------------------------------------------------------

  @Test
  void refusesAnInvalidImageNameAtOnce() {
    assertThatThrownBy(() -> runtime.start(request("Bad/Name:1", List.of("true")).build(), new LogCollector()))
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessage("invalid image name \"Bad/Name:1\": invalid repository name \"Bad/Name\": repository names must be lowercase");
  }

  @Test
  void refusesAMissingImageAtOnceWhenThePullPolicyIsNever() {
    assertThatThrownBy(() -> runtime.start(request("promokit-test/absent:1", List.of("true"))
        .pullPolicy(PullPolicy.NEVER).build(), new LogCollector()))
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessage("image \"promokit-test/absent:1\" is not present on the Docker daemon at " + runtime.daemon()
            + " and the pull policy is Never");
  }

  @Test
  void refusesAWorkdirThatIsNotAFolder() throws IOException {
    Path file = Files.writeString(workdir.resolve("a-file"), "");
    assertThatThrownBy(() -> runtime.start(request(DockerTestEnvironment.busyboxImage(), List.of("true"))
        .workdir(file).build(), new LogCollector()))
        .isInstanceOf(ContainerRuntimeException.class)
        .hasMessage("the workdir " + file + " of container step \"docker-test-" + step + "\" is not a folder");
  }

  // ---- output file ----------------------------------------------------------------------------------------

  @Test
  void neverFollowsALinkTheCommandPutInPlaceOfTheOutputFile() throws Exception {
    try (ContainerHandle handle = runtime.start(shell("ln -sf /etc/passwd \"$KARGO_OUTPUT\"").build(), new LogCollector())) {
      assertThat(awaitExit(handle).exitCode()).isZero();
      assertThatThrownBy(() -> handle.readOutputFile(1000))
          .isInstanceOf(IOException.class)
          .hasMessageEndingWith("is not a regular file: the command replaced it with a symbolic link");
    }
  }

  // ---- phases, timeout and abort ------------------------------------------------------------------------

  @Test
  void recordsThePhasesOfAStep() throws Exception {
    ContainerExit exit;
    try (ContainerHandle handle = runtime.start(shell("true").build(), new LogCollector())) {
      exit = awaitExit(handle);
    }
    assertThat(exit.phases()).containsOnlyKeys("pull", "create", "start", "run");
    assertThat(List.copyOf(exit.phases().keySet())).containsExactly("pull", "create", "start", "run");
    assertThat(exit.phases().values()).allSatisfy(d -> assertThat(d.isNegative()).isFalse());
    assertThat(exit.reason()).isEqualTo("Completed");
  }

  @Test
  void aTimedOutStepIsStoppedAndLeavesNothingBehind() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerHandle handle = runtime.start(shell(
        "trap 'echo term; exit 143' TERM; mkdir -p sub; echo ready; while true; do sleep 0.1; done").build(), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", PATIENCE);
    Path attemptFolder = AttemptDirectory.engineDirectory(runtime.scratchDirectory(), engine).resolve(handle.id());
    assertThat(attemptFolder).isDirectory();

    // The engine's timeout: the wait runs out, then the step is stopped and closed.
    assertThat(handle.await(Duration.ofMillis(300))).isEmpty();
    handle.stop(Duration.ofSeconds(5));
    ContainerExit exit = awaitExit(handle);
    handle.close();

    assertThat(exit.exitCode()).isEqualTo(143);
    assertThat(exit.reason()).isEqualTo("Error");
    assertThat(logs.stdout()).containsExactly("ready", "term");
    assertThat(attemptFolder).doesNotExist();
    assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
  }

  @Test
  void anAbortedStepThatIgnoresTermIsKilledAndLeavesNothingBehind() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerHandle handle = runtime.start(shell("trap '' TERM; echo ready; sleep 300 & wait; sleep 300").build(), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", PATIENCE);

    // Abort: another thread stops the step while the engine waits for it.
    Thread abort = new Thread(() -> handle.stop(Duration.ofMillis(500)));
    abort.start();
    ContainerExit exit = awaitExit(handle);
    abort.join();
    handle.close();

    assertThat(exit.exitCode()).isEqualTo(137);
    assertThat(exit.reason()).isEqualTo("Killed");
    assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
  }

  @Test
  void closeWithoutAwaitingRemovesARunningContainerAndItsFolder() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerHandle handle = runtime.start(shell("echo ready; sleep 300").build(), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", PATIENCE);

    handle.close();

    assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
    assertThat(awaitExit(handle).reason()).isEqualTo("Killed");
  }

  @Test
  void reapRemovesTheContainersOfOneEngineOnly() throws Exception {
    LogCollector mine = new LogCollector();
    LogCollector others = new LogCollector();
    String otherEngine = engine + "-other";
    ContainerHandle leftover = runtime.start(shell("echo ready; sleep 300").build(), mine);
    ContainerHandle other = runtime.start(shell("echo ready; sleep 300").label(ContainerLabels.ENGINE, otherEngine).build(),
        others);
    try {
      mine.awaitLine(LogStream.STDOUT, "ready", PATIENCE);
      others.awaitLine(LogStream.STDOUT, "ready", PATIENCE);

      try (DockerContainerRuntime restarted = DockerContainerRuntime.create()) {
        assertThat(restarted.reap(engine)).isEqualTo(1);
      }

      assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
      assertThat(DockerTestEnvironment.containersOf(otherEngine)).hasSize(1);
      assertThat(other.await(Duration.ofMillis(100))).isEmpty();
    } finally {
      leftover.close();
      other.close();
    }
    assertThat(DockerTestEnvironment.containersOf(otherEngine)).isEmpty();
  }
}
