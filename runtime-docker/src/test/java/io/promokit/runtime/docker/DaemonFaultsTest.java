package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.promokit.event.LogStream;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.testkit.LogCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second Docker daemon of the test's own, killed, restarted and frozen (SIGSTOP) mid-step: the container
 * is never left behind once the daemon answers again, a step that gave up on a frozen daemon does not run
 * to its end after it wakes, a start during a restart waits for it, and no call waits forever.
 */
@ExtendWith(RequiresDocker.class)
class DaemonFaultsTest {

  private static final Duration BOUND = Duration.ofSeconds(60);
  /** "ready" a second after the start, when the start request has long been answered: the step runs. */
  private static final String RUNNING = "sleep 1; echo ready; sleep 300";
  private static SecondDaemon daemon;

  @TempDir
  Path workdir;

  private final List<DockerContainerRuntime> runtimes = new ArrayList<>();
  private final List<ContainerHandle> handles = new ArrayList<>();
  private String engine;

  @BeforeAll
  static void startTheSecondDaemon() throws Exception {
    daemon = SecondDaemon.startForTests("daemon fault tests");
  }

  @AfterAll
  static void stopTheSecondDaemon() throws Exception {
    if (daemon != null) {
      daemon.close();
    }
  }

  @BeforeEach
  void prepare() throws Exception {
    engine = "daemon-faults-" + UUID.randomUUID().toString().substring(0, 8);
    daemon.ensureRunning();
  }

  @AfterEach
  void closeEverythingAndCheckNothingIsLeft() throws Exception {
    daemon.ensureRunning();
    handles.forEach(ContainerHandle::close);
    runtimes.forEach(DockerContainerRuntime::close);
    for (DockerContainerRuntime runtime : runtimes) {
      assertThat(AttemptDirectory.engineDirectory(runtime.scratchDirectory(), engine)).doesNotExist();
    }
    await().atMost(BOUND).untilAsserted(() -> assertThat(containersOfEngine()).isEmpty());
  }

  /** Starts a container, to be closed after the test whatever happens. */
  private ContainerHandle start(DockerContainerRuntime runtime, ContainerRequest request, LogCollector logs) {
    ContainerHandle handle = runtime.start(request, logs);
    handles.add(handle);
    return handle;
  }

  /** A runtime on the second daemon, with short bounds so that the tests take seconds. */
  private DockerContainerRuntime runtime(Duration restartWindow) {
    DockerContainerRuntime runtime = DockerContainerRuntime.builder()
        .dockerHost(daemon.address())
        .apiTimeout(Duration.ofSeconds(2))
        .restartWindow(restartWindow)
        .heartbeat(Duration.ofSeconds(1))
        .build();
    runtimes.add(runtime);
    return runtime;
  }

  private ContainerRequest request(String script) {
    return ContainerRequest.builder()
        .name("daemon-faults")
        .image(DockerTestEnvironment.busyboxImage())
        .command(List.of("sh", "-c", script))
        .workdir(workdir)
        .label(ContainerLabels.ENGINE, engine)
        .label(ContainerLabels.PROMOTION, "daemon-faults")
        .label(ContainerLabels.STEP, "step")
        .label(ContainerLabels.ATTEMPT, "1")
        .build();
  }

  /** The containers of this test's engine on the second daemon (any state). */
  private List<String> containersOfEngine() throws Exception {
    String out = daemon.cli("ps", "-aq", "--filter", "label=" + ContainerLabels.ENGINE + "=" + engine).strip();
    return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
  }

  private static CompletableFuture<Void> later(Duration delay, ThrowingRunnable action) {
    return CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(delay.toMillis());
        action.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void aDaemonKilledMidStepLeavesNoContainerOnceItAnswersAgain() throws Exception {
    DockerContainerRuntime runtime = runtime(Duration.ofSeconds(3));
    LogCollector logs = new LogCollector();
    ContainerHandle handle = start(runtime, request(RUNNING), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", BOUND);

    daemon.kill();
    assertTimeoutPreemptively(BOUND, () -> {
      assertThatThrownBy(() -> handle.await(Duration.ofMinutes(10)))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessageStartingWith("lost the Docker daemon at " + daemon.address() + " while container " + handle.id()
              + " was running: ")
          .hasMessageEndingWith("did not answer again within 3 s (the restart window)");
      handle.close(); // the daemon is gone: the container is left to the pending removals
    });

    daemon.restart();
    // Without live-restore the restarted daemon stops the container, and keeps it: the runtime removes it.
    await().atMost(BOUND).untilAsserted(() -> assertThat(containersOfEngine()).isEmpty());
  }

  @Test
  void aStepFollowsTheDaemonThroughARestartAndReportsTheContainerItLost() throws Exception {
    DockerContainerRuntime runtime = runtime(Duration.ofSeconds(60));
    LogCollector logs = new LogCollector();
    ContainerHandle handle = start(runtime, request(RUNNING), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", BOUND);

    daemon.kill();
    CompletableFuture<Void> restarted = later(Duration.ofSeconds(2), daemon::restart);
    assertTimeoutPreemptively(Duration.ofMinutes(2), () ->
        assertThatThrownBy(() -> handle.await(Duration.ofMinutes(10)))
            .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
            .hasMessageStartingWith("lost the Docker daemon at " + daemon.address() + " while container "
                + handle.id() + " was running; when it answered again, the container had ended (exit code "));
    restarted.join();
    handle.close();
    await().atMost(BOUND).untilAsserted(() -> assertThat(containersOfEngine()).isEmpty());
  }

  @Test
  void aStartDuringADaemonRestartWaitsForItInsteadOfFailingAtOnce() throws Exception {
    DockerContainerRuntime runtime = runtime(Duration.ofSeconds(60));
    LogCollector first = new LogCollector();
    try (ContainerHandle handle = start(runtime, request("echo first"), first)) {
      assertThat(handle.await(BOUND).orElseThrow().exitCode()).isZero();
    }

    daemon.kill();
    CompletableFuture<Void> restarted = later(Duration.ofSeconds(3), daemon::restart);
    LogCollector second = new LogCollector();
    ContainerExit exit;
    try (ContainerHandle handle = start(runtime, request("echo second"), second)) {
      exit = handle.await(BOUND).orElseThrow();
    }
    restarted.join();

    assertThat(exit.exitCode()).isZero();
    assertThat(second.stdout()).containsExactly("second");
    await().atMost(BOUND).untilAsserted(() -> assertThat(containersOfEngine()).isEmpty());
  }

  @Test
  void aTimedOutStepAgainstAFrozenDaemonIsStoppedNotLeftToFinish() throws Exception {
    DockerContainerRuntime runtime = runtime(Duration.ofSeconds(5));
    LogCollector logs = new LogCollector();
    // Counts for as long as it lives: a count that stands still after the removal proves the kill.
    ContainerHandle handle = start(runtime, request("sleep 1; echo ready; i=0; "
        + "while :; do i=$((i+1)); echo $i > /workspace/alive.tmp; mv /workspace/alive.tmp /workspace/alive; "
        + "sleep 0.1; done"), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", BOUND);

    daemon.freeze();
    // What the container step does when its timeout passes: stop with the grace period, then close.
    assertTimeoutPreemptively(BOUND, () -> {
      assertThat(handle.await(Duration.ofSeconds(1))).isEmpty();
      handle.stop(Duration.ofSeconds(1));
      handle.close();
    });
    daemon.thaw();

    await().atMost(BOUND).untilAsserted(() -> assertThat(containersOfEngine()).isEmpty());
    String count = Files.readString(workdir.resolve("alive"));
    Thread.sleep(1_000);
    assertThat(Files.readString(workdir.resolve("alive"))).as("the command was killed, not left to run on")
        .isEqualTo(count);
  }

  @Test
  void awaitWithoutATimeoutEndsWhenTheDaemonStaysFrozen() throws Exception {
    DockerContainerRuntime runtime = runtime(Duration.ofSeconds(4));
    LogCollector logs = new LogCollector();
    ContainerHandle handle = start(runtime, request(RUNNING), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", BOUND);

    daemon.freeze();
    assertTimeoutPreemptively(BOUND, () -> {
      assertThatThrownBy(() -> handle.await(Duration.ofDays(1)))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessageStartingWith("the Docker daemon at " + daemon.address() + " has not answered for ")
          .hasMessageEndingWith("while container " + handle.id() + " was running (frozen or hung?); the container is "
              + "removed as soon as it answers again");
      handle.close();
      // Every call to the frozen daemon is bounded: a start fails retryably instead of hanging.
      assertThatThrownBy(() -> runtime.start(request("true"), new LogCollector()).close())
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessageContaining("did not answer");
    });
    daemon.thaw();

    await().atMost(BOUND).untilAsserted(() -> assertThat(containersOfEngine()).isEmpty());
  }
}
