package io.promokit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeContainerRuntimeTest {

  @TempDir
  Path workdir;

  private final FakeContainerRuntime fake = FakeContainerRuntime.create();

  private ContainerRequest request(String image) {
    return ContainerRequest.builder().name("c1").image(image).command(List.of("run")).workdir(workdir)
        .label(ContainerLabels.ENGINE, "engine-1").build();
  }

  private ContainerExit awaitExit(ContainerHandle handle) throws InterruptedException {
    return handle.await(Duration.ofSeconds(30)).orElseThrow();
  }

  @Test
  void anUnscriptedContainerSucceedsAtOnce() throws Exception {
    try (ContainerHandle handle = fake.start(request("any"), new LogCollector())) {
      assertThat(awaitExit(handle).exitCode()).isZero();
      assertThat(handle.readOutputFile(100).content()).isEmpty();
    }
  }

  @Test
  void playsScriptedContainersInOrderAndRepeatsTheLast() throws Exception {
    fake.whenImage("policy").thenReturn(FakeContainer.exit(75)).thenReturn(FakeContainer.exit(3));

    List<Integer> codes = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try (ContainerHandle handle = fake.start(request("policy"), new LogCollector())) {
        codes.add(awaitExit(handle).exitCode());
      }
    }

    assertThat(codes).containsExactly(75, 3, 3);
    assertThat(fake.requests()).hasSize(3);
    assertThat(fake.openHandles()).isZero();
  }

  @Test
  void theLatestMatchingScriptWins() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(1));
    fake.whenImage("special").thenReturn(FakeContainer.exit(2));

    try (ContainerHandle a = fake.start(request("special"), new LogCollector());
        ContainerHandle b = fake.start(request("other"), new LogCollector())) {
      assertThat(awaitExit(a).exitCode()).isEqualTo(2);
      assertThat(awaitExit(b).exitCode()).isEqualTo(1);
    }
  }

  @Test
  void printsLinesInOrderAndWritesOutputAndWorkdirFiles() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).stdout("one").stderr("two").stdout("three")
        .outputFile("ok=true\n").writesFile("reports/result.json", "{}"));
    LogCollector logs = new LogCollector();

    try (ContainerHandle handle = fake.start(request("x"), logs)) {
      assertThat(awaitExit(handle).exitCode()).isZero();
      assertThat(logs.all()).containsExactly("STDOUT: one", "STDERR: two", "STDOUT: three");
      assertThat(new String(handle.readOutputFile(100).content(), StandardCharsets.UTF_8)).isEqualTo("ok=true\n");
      assertThat(handle.readOutputFile(2).content()).hasSize(2);
      assertThat(handle.readOutputFile(2).truncated()).isTrue();
      assertThat(Files.readString(workdir.resolve("reports/result.json"))).isEqualTo("{}");
    }
  }

  @Test
  void reportsOutOfMemory() throws Exception {
    fake.always().thenReturn(FakeContainer.oomKilled());

    try (ContainerHandle handle = fake.start(request("x"), new LogCollector())) {
      ContainerExit exit = awaitExit(handle);
      assertThat(exit.exitCode()).isEqualTo(137);
      assertThat(exit.oomKilled()).isTrue();
      assertThat(exit.reason()).isEqualTo("OOMKilled");
    }
  }

  @Test
  void failsToStartWithTheScriptedError() {
    fake.always().thenReturn(FakeContainer.failToStart("image \"x\" not found", false));

    assertThatThrownBy(() -> fake.start(request("x"), new LogCollector()))
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
          assertThat(e).hasMessage("image \"x\" not found");
          assertThat(e.isRetryable()).isFalse();
        });
    assertThat(fake.requests()).hasSize(1);
    assertThat(fake.openHandles()).isZero();
  }

  @Test
  void failsWhileRunningWithTheScriptedError() {
    fake.always().thenReturn(FakeContainer.exit(0).stdout("pulling").failWhileRunning("daemon went away", true));

    try (ContainerHandle handle = fake.start(request("x"), new LogCollector())) {
      assertThatThrownBy(() -> handle.await(Duration.ofSeconds(30)))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessage("daemon went away");
    }
  }

  @Test
  void aDelayedContainerIsStillRunningUntilStoppedWithTerm() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).runFor(Duration.ofHours(1)));

    try (ContainerHandle handle = fake.start(request("x"), new LogCollector())) {
      assertThat(handle.await(Duration.ofMillis(50))).isEmpty();
      handle.stop(Duration.ofSeconds(30));
      assertThat(awaitExit(handle).exitCode()).isEqualTo(143);
      assertThat(fake.stoppedContainers()).isEqualTo(1);
    }
  }

  @Test
  void aContainerIgnoringTermIsKilledAfterTheGracePeriod() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).runFor(Duration.ofHours(1)).ignoringTerm());

    try (ContainerHandle handle = fake.start(request("x"), new LogCollector())) {
      handle.stop(Duration.ofMillis(100));
      ContainerExit exit = awaitExit(handle);
      assertThat(exit.exitCode()).isEqualTo(137);
      assertThat(exit.reason()).isEqualTo("Killed");
    }
  }

  @Test
  void aDelayedContainerExitsByItselfAfterTheDelay() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(4).runFor(Duration.ofMillis(20)));

    try (ContainerHandle handle = fake.start(request("x"), new LogCollector())) {
      assertThat(awaitExit(handle).exitCode()).isEqualTo(4);
    }
  }

  @Test
  void tracksOpenHandlesAndReapsThemByEngine() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).runFor(Duration.ofHours(1)));
    ContainerHandle handle = fake.start(request("x"), new LogCollector());

    assertThat(fake.openHandles()).isEqualTo(1);
    assertThat(fake.reap("other-engine")).isZero();
    assertThat(fake.reap("engine-1")).isEqualTo(1);
    assertThat(fake.openHandles()).isZero();
    Optional<ContainerExit> exit = handle.await(Duration.ofSeconds(30));
    assertThat(exit).isPresent();
    handle.close();
  }

  @Test
  void awaitStartedReturnsOnceThatManyContainersStartedOnOtherThreads() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).runFor(Duration.ofHours(1)));
    List<ContainerHandle> handles = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    Thread starter = new Thread(() -> {
      try {
        go.await();
        handles.add(fake.start(request("a"), new LogCollector()));
        handles.add(fake.start(request("b"), new LogCollector()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    starter.start();
    try {
      assertThat(fake.startedContainers()).isZero();
      go.countDown();
      fake.awaitStarted(2, Duration.ofSeconds(30));

      assertThat(fake.startedContainers()).isEqualTo(2);
      assertThat(fake.requests()).extracting(ContainerRequest::image).containsExactly("a", "b");
    } finally {
      starter.join();
      handles.forEach(ContainerHandle::close);
    }
  }

  @Test
  void awaitStartedFailsSayingHowManyStartedAndAStartThatFailedDoesNotCount() throws Exception {
    fake.whenImage("broken").thenReturn(FakeContainer.failToStart("no such image", false));
    try (ContainerHandle handle = fake.start(request("x"), new LogCollector())) {
      assertThatThrownBy(() -> fake.start(request("broken"), new LogCollector()));

      assertThatThrownBy(() -> fake.awaitStarted(2, Duration.ofMillis(50)))
          .isInstanceOf(AssertionError.class)
          .hasMessage("expected 2 started containers within PT0.05S, but 1 started (requests: 2)");
    }
    assertThatThrownBy(() -> fake.awaitStarted(0, Duration.ofSeconds(1)))
        .hasMessage("count must be at least 1, but was 0");
    assertThatThrownBy(() -> fake.awaitStarted(1, Duration.ZERO))
        .hasMessage("timeout must be positive, but was PT0S");
  }

  @Test
  void validatesWhatIsScripted() {
    assertThatThrownBy(() -> FakeContainer.exit(256))
        .hasMessage("exit code must be between 0 and 255, but was 256");
    assertThatThrownBy(() -> FakeContainer.exit(0).writesFile("../escape", "x"))
        .hasMessage("relativePath must stay inside the workdir, but was \"../escape\"");
    assertThatThrownBy(() -> FakeContainer.exit(0).runFor(Duration.ofSeconds(-1)))
        .hasMessage("duration must not be negative, but was PT-1S");
  }
}
