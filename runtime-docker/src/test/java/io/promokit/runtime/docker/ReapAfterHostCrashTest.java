package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import io.promokit.spi.ContainerSelector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A host JVM killed with SIGKILL mid-step leaves its container running; a new host reaps it. */
@ExtendWith(RequiresDocker.class)
class ReapAfterHostCrashTest {

  @TempDir
  Path temp;

  @BeforeAll
  static void needsDocker() {
    DockerTestEnvironment.require();
  }

  @Test
  void aRestartedHostReapsWhatAKilledHostLeft() throws Exception {
    String engine = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    Path workdir = Files.createDirectory(temp.resolve("workdir"));
    Path log = temp.resolve("host.log");
    Process host = ChildJvm.start(CrashingHost.class, List.of(workdir.toString(), DockerTestEnvironment.busyboxImage(), engine),
        null, null, temp, log);
    try {
      Optional<String> started = awaitLine(log, "STARTED ", host);
      assertThat(started).as("the host started its step; its output:\n%s", read(log)).isPresent();
      String container = started.get().split(" ")[1];
      Path scratch = Path.of(started.get().split(" ")[2]);

      host.destroyForcibly();  // SIGKILL: no shutdown hook, no close
      assertThat(host.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(DockerTestEnvironment.containersOf(engine)).as("the step outlived its host")
          .singleElement().satisfies(c -> assertThat(c.getState()).isEqualTo("running"));
      Path engineFolder = AttemptDirectory.engineDirectory(scratch, engine);
      assertThat(engineFolder.resolve(container)).isDirectory();

      try (DockerContainerRuntime restarted = DockerContainerRuntime.builder().scratchDirectory(scratch).build()) {
        // What a reap command shows first (a dry run): found by its labels, with its age.
        assertThat(restarted.list(ContainerSelector.engine(engine))).singleElement().satisfies(c -> {
          assertThat(c.id()).isEqualTo(container);
          assertThat(c.running()).isTrue();
          assertThat(c.promotion()).contains("crash");
          assertThat(c.created()).isBetween(Instant.now().minusSeconds(600), Instant.now().plusSeconds(60));
        });
        // The whole daemon is shared: only this engine's containers are looked at.
        assertThat(restarted.list(ContainerSelector.all().createdBefore(Instant.now().minusSeconds(24 * 3600))))
            .noneMatch(c -> c.engineId().orElse("").equals(engine));
        assertThat(restarted.reap(ContainerSelector.engine(engine).createdBefore(Instant.now().minusSeconds(3600))))
            .as("not an hour old").isZero();
        assertThat(restarted.reap(engine)).isEqualTo(1);
        assertThat(restarted.reap(engine)).isZero();
        assertThat(restarted.list(ContainerSelector.engine(engine))).isEmpty();
      }

      assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
      assertThat(engineFolder).doesNotExist();
    } finally {
      host.destroyForcibly();
    }
  }

  /** The host's first line with the prefix; empty when the host ended without writing one. */
  private static Optional<String> awaitLine(Path log, String prefix, Process host) throws Exception {
    await("a line starting with " + prefix + " (or the host's end)").atMost(Duration.ofSeconds(120))
        .until(() -> firstLine(log, prefix).isPresent() || !host.isAlive());
    return firstLine(log, prefix);
  }

  private static Optional<String> firstLine(Path log, String prefix) throws Exception {
    return read(log).lines().filter(l -> l.startsWith(prefix)).findFirst();
  }

  private static String read(Path log) throws Exception {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
