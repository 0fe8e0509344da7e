package io.promokit.runtime.docker;

import io.promokit.event.LogStream;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.testkit.LogCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A host that starts a long step and waits for it, until the test kills its JVM with SIGKILL:
 * {@code CrashingHost <workdir> <image> <engine>} prints {@code STARTED <container>} once the step runs.
 */
final class CrashingHost {

  private CrashingHost() {}

  public static void main(String[] args) throws Exception {
    DockerContainerRuntime runtime = DockerContainerRuntime.create();
    LogCollector logs = new LogCollector();
    ContainerHandle handle = runtime.start(ContainerRequest.builder()
        .name("crashing-host")
        .image(args[1])
        .command(List.of("sh", "-c", "echo ready; sleep 300"))
        .workdir(Path.of(args[0]))
        .label(ContainerLabels.ENGINE, args[2])
        .label(ContainerLabels.PROMOTION, "crash")
        .label(ContainerLabels.STEP, "long-step")
        .label(ContainerLabels.ATTEMPT, "1")
        .build(), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", Duration.ofSeconds(60));
    System.out.println("STARTED " + handle.id() + " " + runtime.scratchDirectory());
    System.out.flush();
    handle.await(Duration.ofMinutes(10));
  }
}
