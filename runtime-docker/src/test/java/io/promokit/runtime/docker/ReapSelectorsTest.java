package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.event.LogStream;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.ManagedContainer;
import io.promokit.testkit.LogCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code promokit reap --older-than} and {@code --all} ask of the Docker runtime: selectors by age and
 * for every engine, on a daemon of the test's own (on the shared one "all" would reach other hosts' steps).
 * The containers are left as a crashed host leaves them (running, handles never closed); a new runtime reaps.
 */
@ExtendWith(RequiresDocker.class)
class ReapSelectorsTest {

  private static final Duration BOUND = Duration.ofSeconds(60);

  private static SecondDaemon daemon;

  @TempDir
  Path temp;

  private final List<DockerContainerRuntime> runtimes = new ArrayList<>();
  private final List<ContainerHandle> handles = new ArrayList<>();

  @BeforeAll
  static void startTheSecondDaemon() throws Exception {
    daemon = SecondDaemon.startForTests("reap selector tests");
  }

  @AfterAll
  static void stopTheSecondDaemon() throws Exception {
    if (daemon != null) {
      daemon.close();
    }
  }

  @AfterEach
  void closeEverything() {
    handles.forEach(ContainerHandle::close);
    runtimes.forEach(DockerContainerRuntime::close);
  }

  private DockerContainerRuntime runtime(Path scratch) {
    DockerContainerRuntime runtime = DockerContainerRuntime.builder().dockerHost(daemon.address())
        .scratchDirectory(scratch).build();
    runtimes.add(runtime);
    return runtime;
  }

  /** Starts a step that runs until it is killed, as one whose host crashed; returns its container's name. */
  private String leaveRunning(DockerContainerRuntime runtime, String engine) throws Exception {
    Path workdir = Files.createDirectories(temp.resolve("work-" + UUID.randomUUID()));
    LogCollector logs = new LogCollector();
    ContainerHandle handle = runtime.start(ContainerRequest.builder()
        .name("reap-selectors")
        .image(DockerTestEnvironment.busyboxImage())
        .command(List.of("sh", "-c", "echo ready; sleep 600"))
        .workdir(workdir)
        .label(ContainerLabels.ENGINE, engine)
        .label(ContainerLabels.PROMOTION, "reap-selectors")
        .label(ContainerLabels.STEP, "step")
        .label(ContainerLabels.ATTEMPT, "1")
        .build(), logs);
    handles.add(handle);
    logs.awaitLine(LogStream.STDOUT, "ready", BOUND);
    return handle.id();
  }

  private static List<String> names(List<ManagedContainer> containers) {
    return containers.stream().map(ManagedContainer::id).toList();
  }

  /** The attempt folders left in an engine's scratch folder (none once its containers are reaped). */
  private static List<Path> attemptFolders(Path scratch, String engine) throws Exception {
    Path folder = AttemptDirectory.engineDirectory(scratch, engine);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (var entries = Files.list(folder)) {
      return entries.toList();
    }
  }

  @Test
  void olderThanTakesOnlyWhatWasMadeBeforeTheMomentAndAllTakesTheRestOfEveryEngine() throws Exception {
    Path scratch = Files.createDirectories(temp.resolve("scratch"));
    String oldEngine = "old-" + UUID.randomUUID().toString().substring(0, 8);
    String newEngine = "new-" + UUID.randomUUID().toString().substring(0, 8);
    DockerContainerRuntime crashed = runtime(scratch);
    String old = leaveRunning(crashed, oldEngine);
    // Docker gives creation times in whole seconds: the moment lies a second clear of both sides.
    Thread.sleep(1_100);
    Instant moment = Instant.now();
    Thread.sleep(1_100);
    String young = leaveRunning(crashed, newEngine);
    String younger = leaveRunning(crashed, newEngine);
    assertThat(attemptFolders(scratch, oldEngine)).hasSize(1);
    assertThat(attemptFolders(scratch, newEngine)).hasSize(2);

    DockerContainerRuntime host = runtime(scratch);
    assertThat(names(host.list(ContainerSelector.all()))).containsExactlyInAnyOrder(old, young, younger);
    // the dry run, then the reap: what was made before the moment, whatever its engine
    assertThat(names(host.list(ContainerSelector.all().createdBefore(moment)))).containsExactly(old);
    assertThat(host.reap(ContainerSelector.all().createdBefore(moment))).isEqualTo(1);
    assertThat(names(host.list(ContainerSelector.all()))).containsExactlyInAnyOrder(young, younger);
    assertThat(host.list(ContainerSelector.all())).allSatisfy(c -> assertThat(c.running()).isTrue());
    assertThat(attemptFolders(scratch, oldEngine)).as("the reaped container's attempt folder").isEmpty();
    assertThat(attemptFolders(scratch, newEngine)).hasSize(2);
    // an age with an engine: nothing of that engine is old enough
    assertThat(host.reap(ContainerSelector.engine(newEngine).createdBefore(moment))).isZero();

    assertThat(host.reap(ContainerSelector.all())).isEqualTo(2);
    assertThat(host.list(ContainerSelector.all())).isEmpty();
    assertThat(daemon.cli("ps", "-aq").strip()).as("nothing at all is left on the daemon").isEmpty();
    assertThat(attemptFolders(scratch, newEngine)).isEmpty();
    assertThat(host.reap(ContainerSelector.all())).as("a second reap finds nothing").isZero();
  }
}
