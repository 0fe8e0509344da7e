package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.event.LogStream;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.testkit.LogCollector;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A daemon that is not there, or goes away mid-step: clear retryable errors, never a hang. */
@ExtendWith(RequiresDocker.class)
class DaemonFailureTest {

  @TempDir
  Path temp;

  private Path workdir;
  private String engine;

  @BeforeAll
  static void needsDocker() {
    DockerTestEnvironment.require();
  }

  @BeforeEach
  void prepare() throws Exception {
    workdir = Files.createDirectory(temp.resolve("workdir"));
    engine = "daemon-failure-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void reapWhatTheLostDaemonKept() {
    try (DockerContainerRuntime runtime = DockerContainerRuntime.create()) {
      runtime.reap(engine);
      assertThat(AttemptDirectory.engineDirectory(runtime.scratchDirectory(), engine)).doesNotExist();
    }
    assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
  }

  private ContainerRequest request(String script) {
    return ContainerRequest.builder()
        .name("daemon-failure")
        .image(DockerTestEnvironment.busyboxImage())
        .command(List.of("sh", "-c", script))
        .workdir(workdir)
        .label(ContainerLabels.ENGINE, engine)
        .label(ContainerLabels.PROMOTION, "daemon-failure")
        .label(ContainerLabels.STEP, "step")
        .label(ContainerLabels.ATTEMPT, "1")
        .build();
  }

  @Test
  void startFailsRetryablyWhenNoDaemonAnswers() {
    String address = "unix://" + temp.resolve("no-daemon.sock");
    try (DockerContainerRuntime runtime = DockerContainerRuntime.builder().dockerHost(URI.create(address)).build()) {
      assertThatThrownBy(() -> runtime.start(request("true"), new LogCollector()))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessageStartingWith("cannot reach the Docker daemon at " + address + ": ");
      assertThat(AttemptDirectory.engineDirectory(runtime.scratchDirectory(), engine)).doesNotExist();
    }
  }

  @Test
  void reapFailsRetryablyWhenNoDaemonAnswers() {
    String address = "unix://" + temp.resolve("no-daemon.sock");
    try (DockerContainerRuntime runtime = DockerContainerRuntime.builder().dockerHost(URI.create(address)).build()) {
      assertThatThrownBy(() -> runtime.reap(engine))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessageStartingWith("cannot list the containers of engine " + engine + " on the Docker daemon at " + address);
    }
  }

  @Test
  void awaitFailsRetryablyWhenTheDaemonGoesAwayMidStep() throws Exception {
    SocketProxy proxy = new SocketProxy(temp.resolve("docker.sock"), Path.of("/var/run/docker.sock"));
    try (DockerContainerRuntime runtime = DockerContainerRuntime.builder()
        .dockerHost(URI.create(proxy.address())).restartWindow(Duration.ofSeconds(3)).build()) {
      LogCollector logs = new LogCollector();
      // "ready" comes a second after the start, when the start request has long been answered: the step runs.
      ContainerHandle handle = runtime.start(request("sleep 1; echo ready; sleep 300"), logs);
      logs.awaitLine(LogStream.STDOUT, "ready", Duration.ofSeconds(60));

      proxy.close();

      long before = System.nanoTime();
      assertThatThrownBy(() -> handle.await(Duration.ofMinutes(5)))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessageStartingWith("lost the Docker daemon at " + proxy.address() + " while container " + handle.id()
              + " was running: ")
          .hasMessageEndingWith("; the Docker daemon at " + proxy.address() + " did not answer again within 3 s (the "
              + "restart window)");
      assertThat(Duration.ofNanos(System.nanoTime() - before)).as("no hang").isLessThan(Duration.ofMinutes(1));
      // Closing cannot reach the daemon either; it says so, does not throw, and would remove the container once the
      // daemon answers again (never, through this proxy): the engine reaps it.
      handle.close();
      assertThat(DockerTestEnvironment.containersOf(engine)).hasSize(1);
    } finally {
      proxy.close();
    }
  }

  @Test
  void theEnvironmentsDaemonIsAvailable() {
    assertThat(DockerContainerRuntime.isAvailable()).isTrue();
    assertThat(DockerContainerRuntime.tryCreate()).hasValueSatisfying(runtime -> {
      assertThat(runtime.name()).isEqualTo("docker");
      runtime.close();
    });
  }
}
