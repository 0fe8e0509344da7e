package io.promokit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import io.promokit.event.LogStream;
import io.promokit.spi.CapturedFile;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerFile;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ContainerRuntime} must have. A runtime's tests extend this class and supply
 * the runtime, an image with busybox-like tools, and a check that nothing is left behind:
 *
 * <pre>{@code
 * class DockerContainerRuntimeContractTest extends ContainerRuntimeContractTest {
 *   protected ContainerRuntime createRuntime() { return DockerContainerRuntime.create(); }
 *   protected String testImage() { return "promokit-test/busybox:1"; }
 *   protected void assertNothingLeftBehind(String engineId) { ... list containers with that label ... }
 * }
 * }</pre>
 *
 * <p>Commands use only what busybox offers ({@code sh}, {@code echo}, {@code printf}, {@code cat},
 * {@code sleep}, {@code head}, {@code tr}, {@code yes}, {@code kill}, {@code test}, {@code mkdir}).
 *
 * <p>Every case runs with its own engine id; after each case the runtime is closed and
 * {@link #assertNothingLeftBehind(String)} is called, so every case also checks clean-up.
 *
 * <p>The large-output case streams 1 GiB of stdout through the runtime in a forked JVM started with
 * {@code -Xmx64m} (so a runtime that buffers output fails with an {@link OutOfMemoryError} there). The
 * fork creates a fresh instance of the concrete test class with its no-argument constructor and calls
 * {@link #createRuntime()} and {@link #testImage()} on it, without JUnit's lifecycle: those two methods
 * must work on a fresh instance (static state prepared in {@code @BeforeAll}, such as a built image that
 * lives in a daemon, is fine as long as it outlives the fork).
 */
public abstract class ContainerRuntimeContractTest {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** The host side of the shared working directory of the current case. */
  @TempDir
  protected Path workdir;

  /** The runtime of the current case. */
  protected ContainerRuntime runtime;

  /** The engine id every container of the current case is labelled with. */
  protected String engineId;

  private final List<ContainerHandle> handles = new ArrayList<>();
  private String caseName;

  /**
   * A new runtime. Called once per case (and once more by the reap case, playing a restarted host), and
   * in the forked JVM of the large-output case.
   */
  protected abstract ContainerRuntime createRuntime();

  /** An image with busybox-like tools; runtimes that ignore images may return any name. */
  protected abstract String testImage();

  /**
   * Asserts that nothing the runtime made for containers of this engine is left: containers, Pods,
   * processes, temporary files. Called after every case, once the runtime is closed.
   */
  protected abstract void assertNothingLeftBehind(String engineId) throws Exception;

  /** The working directory the command sees: {@link ContainerRequest#WORKSPACE} unless the runtime runs on the host. */
  protected String expectedWorkingDirectory(Path hostWorkdir) {
    return ContainerRequest.WORKSPACE;
  }

  /** How long a case waits for something that should happen soon (a start, an exit after stop). */
  protected Duration patience() {
    return Duration.ofSeconds(60);
  }

  @BeforeEach
  void createRuntimeForCase(TestInfo info) {
    engineId = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    caseName = info.getTestMethod().map(m -> m.getName()).orElse("case");
    runtime = createRuntime();
  }

  @AfterEach
  void closeEverythingAndCheckNothingIsLeft() throws Exception {
    for (ContainerHandle handle : handles) {
      handle.close();
    }
    runtime.close();
    assertNothingLeftBehind(engineId);
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /** A request for {@code sh -c script} in the case's workdir, labelled with the case's engine id. */
  protected ContainerRequest.Builder request(String script) {
    return requestFor(engineId, script);
  }

  /** A request labelled with the given engine id. */
  protected ContainerRequest.Builder requestFor(String engine, String script) {
    String name = ("contract-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT);
    return ContainerRequest.builder()
        .name(name)
        .image(testImage())
        .command(List.of("sh", "-c", script))
        .workdir(workdir)
        .label(ContainerLabels.ENGINE, engine)
        .label(ContainerLabels.PROMOTION, "contract")
        .label(ContainerLabels.STEP, caseName.toLowerCase(Locale.ROOT))
        .label(ContainerLabels.ATTEMPT, "1")
        .label(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE);
  }

  /** Starts a container; the case closes it at the end. */
  protected ContainerHandle start(ContainerRequest request, LogCollector logs) {
    ContainerHandle handle = runtime.start(request, logs);
    handles.add(handle);
    return handle;
  }

  /** Waits for the exit, failing the case when it does not come within {@link #patience()}. */
  protected ContainerExit awaitExit(ContainerHandle handle) throws InterruptedException {
    Optional<ContainerExit> exit = handle.await(patience());
    if (exit.isEmpty()) {
      fail("container " + handle.id() + " did not exit within " + patience());
    }
    return exit.get();
  }

  /** Runs {@code sh -c script} to the end and returns its exit; the logs land in {@code logs}. */
  protected ContainerExit run(String script, LogCollector logs) throws InterruptedException {
    ContainerHandle handle = start(request(script).build(), logs);
    return awaitExit(handle);
  }

  private String read(String relative) throws IOException {
    return Files.readString(workdir.resolve(relative), StandardCharsets.UTF_8);
  }

  // ---- exit codes -----------------------------------------------------------------------------------

  @Test
  void reportsTheCommandsExitCode() throws Exception {
    for (int code : new int[] {0, 1, 75, 255}) {
      ContainerExit exit = run("exit " + code, new LogCollector());
      assertThat(exit.exitCode()).as("exit code of 'exit %d'", code).isEqualTo(code);
      assertThat(exit.oomKilled()).isFalse();
    }
  }

  @Test
  void reportsACommandKilledBySignalAs128PlusTheSignal() throws Exception {
    ContainerExit exit = run("kill -9 $$", new LogCollector());
    assertThat(exit.exitCode()).isEqualTo(137);
    assertThat(exit.oomKilled()).isFalse();
  }

  @Test
  void reportsTheRunPhase() throws Exception {
    ContainerHandle handle = start(request("exit 0").build(), new LogCollector());
    assertThat(handle.id()).isNotBlank();
    assertThat(awaitExit(handle).phases()).containsKey("run");
  }

  // ---- environment ----------------------------------------------------------------------------------

  @Test
  void passesEnvironmentValuesExactly() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PLAIN", "hello");
    env.put("SPACES", " a  b c ");
    env.put("QUOTES", "it's \"quoted\" and `ticked`");
    env.put("NEWLINES", "line1\nline2\n\nline4");
    env.put("DOLLARS", "$HOME ${PATH} $(id) %s \\n");
    env.put("UNICODE", "grüße ✓ 日本");
    env.put("EMPTY", "");
    StringBuilder script = new StringBuilder();
    for (String name : env.keySet()) {
      script.append("printf '%s' \"$").append(name).append("\" > ").append(name).append(".txt; ");
    }
    script.append("if [ \"${EMPTY+set}\" = set ]; then echo set > empty-is-set.txt; fi");

    ContainerExit exit = awaitExit(start(request(script.toString()).env(env).build(), new LogCollector()));

    assertThat(exit.exitCode()).isZero();
    for (Map.Entry<String, String> e : env.entrySet()) {
      assertThat(read(e.getKey() + ".txt")).as("value of %s", e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(read("empty-is-set.txt")).isEqualTo("set\n");
  }

  @Test
  void passesSecretEnvironmentValuesExactly() throws Exception {
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("TOKEN", "tok-$HOME-`id`-\"q\"-'s'");
    secrets.put("KEY", "-----BEGIN-----\nabc\n-----END-----\n\n");
    secrets.put("EMPTY_SECRET", "");
    StringBuilder script = new StringBuilder("printf '%s' \"$PLAIN\" > PLAIN.txt; ");
    for (String name : secrets.keySet()) {
      script.append("printf '%s' \"$").append(name).append("\" > ").append(name).append(".txt; ");
    }
    ContainerRequest.Builder request = request(script.toString()).env("PLAIN", "not secret");
    secrets.forEach(request::secretEnv);

    ContainerExit exit = awaitExit(start(request.build(), new LogCollector()));

    assertThat(exit.exitCode()).isZero();
    assertThat(read("PLAIN.txt")).isEqualTo("not secret");
    for (Map.Entry<String, String> e : secrets.entrySet()) {
      assertThat(read(e.getKey() + ".txt")).as("value of %s", e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void givesFilesInTheDirectoryNamedByPromokitFiles() throws Exception {
    String kubeconfig = "apiVersion: v1\nkind: Config\nclusters: []\n";
    ContainerRequest request = request(
        "cat \"$KUBECONFIG\" > copy.txt; printf '%s' \"$PROMOKIT_FILES\" > files-dir.txt")
        .env("KUBECONFIG", "$(PROMOKIT_FILES)/kubeconfig")
        .file(new ContainerFile("kubeconfig", kubeconfig.getBytes(StandardCharsets.UTF_8)))
        .build();

    ContainerExit exit = awaitExit(start(request, new LogCollector()));

    assertThat(exit.exitCode()).isZero();
    assertThat(read("copy.txt")).isEqualTo(kubeconfig);
    assertThat(read("files-dir.txt")).isNotBlank()
        .doesNotStartWith(expectedWorkingDirectory(workdir) + "/");
  }

  // ---- working directory ----------------------------------------------------------------------------

  @Test
  void runsInTheSharedWorkdirAndSharesFilesBothWays() throws Exception {
    Files.writeString(workdir.resolve("from-host.txt"), "written by the host\n");

    ContainerExit exit = run(
        "pwd > pwd.txt; cat from-host.txt > copy.txt; mkdir -p sub; echo written by the container > sub/from-container.txt",
        new LogCollector());

    assertThat(exit.exitCode()).isZero();
    assertThat(read("pwd.txt").strip()).isEqualTo(expectedWorkingDirectory(workdir));
    assertThat(read("copy.txt")).isEqualTo("written by the host\n");
    assertThat(read("sub/from-container.txt")).isEqualTo("written by the container\n");
    // The host can still change what the container made (ownership or mode arranged by the runtime).
    Files.writeString(workdir.resolve("sub/from-container.txt"), "changed by the host\n");
    Files.delete(workdir.resolve("sub/from-container.txt"));
    Files.delete(workdir.resolve("sub"));
  }

  // ---- output file ----------------------------------------------------------------------------------

  @Test
  void givesAnEmptyOutputFileOutsideTheWorkspace() throws Exception {
    ContainerHandle handle = start(request(
        "test -f \"$KARGO_OUTPUT\" || exit 10; test -s \"$KARGO_OUTPUT\" && exit 11; "
            + "case \"$KARGO_OUTPUT\" in \"$PWD\"/*) exit 12;; esac; exit 0").build(), new LogCollector());

    assertThat(awaitExit(handle).exitCode()).isZero();
    CapturedFile output = handle.readOutputFile(1024);
    assertThat(output.content()).isEmpty();
    assertThat(output.size()).isZero();
  }

  @Test
  void readsWhatTheCommandWroteToTheOutputFile() throws Exception {
    ContainerHandle handle = start(request("printf 'a=1\\nb=two words\\n' > \"$KARGO_OUTPUT\"").build(), new LogCollector());

    assertThat(awaitExit(handle).exitCode()).isZero();
    CapturedFile output = handle.readOutputFile(1024 * 1024);
    assertThat(new String(output.content(), StandardCharsets.UTF_8)).isEqualTo("a=1\nb=two words\n");
    assertThat(output.size()).isEqualTo(16);
    assertThat(output.truncated()).isFalse();
  }

  @Test
  void readsTheOutputFileOnlyUpToTheCap() throws Exception {
    ContainerHandle handle = start(request("head -c 100000 /dev/zero | tr '\\000' x > \"$KARGO_OUTPUT\"").build(),
        new LogCollector());

    assertThat(awaitExit(handle).exitCode()).isZero();
    CapturedFile output = handle.readOutputFile(1000);
    assertThat(output.content()).hasSize(1000).containsOnly((byte) 'x');
    assertThat(output.size()).isEqualTo(100_000);
    assertThat(output.truncated()).isTrue();
  }

  @Test
  void givesEachContainerItsOwnOutputFile() throws Exception {
    ContainerHandle first = start(request("echo ready; while [ ! -f go ]; do sleep 0.1; done; echo first > \"$KARGO_OUTPUT\"").build(),
        new LogCollector());
    ContainerHandle second = start(request("echo second > \"$KARGO_OUTPUT\"").build(), new LogCollector());
    assertThat(awaitExit(second).exitCode()).isZero();
    Files.writeString(workdir.resolve("go"), "");
    assertThat(awaitExit(first).exitCode()).isZero();

    assertThat(new String(first.readOutputFile(100).content(), StandardCharsets.UTF_8)).isEqualTo("first\n");
    assertThat(new String(second.readOutputFile(100).content(), StandardCharsets.UTF_8)).isEqualTo("second\n");
  }

  // ---- logs -----------------------------------------------------------------------------------------

  @Test
  void streamsStdoutAndStderrLineByLineInOrderPerStream() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerExit exit = run(
        "i=1; while [ $i -le 300 ]; do echo \"out $i\"; echo \"err $i\" >&2; i=$((i+1)); done; "
            + "printf 'a\\n\\nb\\n'; printf 'last without newline'",
        logs);

    assertThat(exit.exitCode()).isZero();
    List<String> expectedOut = new ArrayList<>();
    List<String> expectedErr = new ArrayList<>();
    for (int i = 1; i <= 300; i++) {
      expectedOut.add("out " + i);
      expectedErr.add("err " + i);
    }
    expectedOut.addAll(List.of("a", "", "b", "last without newline"));
    assertThat(logs.stdout()).containsExactlyElementsOf(expectedOut);
    assertThat(logs.stderr()).containsExactlyElementsOf(expectedErr);
  }

  @Test
  void streamsLinesWhileTheCommandIsStillRunning() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerHandle handle = start(request("echo ready; while [ ! -f go ]; do sleep 0.1; done; echo done").build(), logs);

    // The command only goes on once the host has seen its first line.
    logs.awaitLine(LogStream.STDOUT, "ready", patience());
    Files.writeString(workdir.resolve("go"), "");

    assertThat(awaitExit(handle).exitCode()).isZero();
    assertThat(logs.stdout()).containsExactly("ready", "done");
  }

  @Test
  void deliversALongLineWholeOrInPiecesWithoutLosingAnything() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerExit exit = run("head -c 200000 /dev/zero | tr '\\000' y; echo; echo next", logs);

    assertThat(exit.exitCode()).isZero();
    List<String> lines = logs.stdout();
    assertThat(lines).last().isEqualTo("next");
    String joined = String.join("", lines.subList(0, lines.size() - 1));
    assertThat(joined).hasSize(200_000).matches("y+");
    assertThat(logs.wholeStdoutLines()).as("the pieces are marked partial (LogSink.partialLine), so they join into the line")
        .containsExactly(joined, "next");
  }

  /**
   * 1 GiB of stdout, in lines of 100 bytes, through the runtime in a JVM with a 64 MiB heap: a runtime
   * that holds output in memory fails with an OutOfMemoryError in the fork.
   */
  @Test
  void streamsAGibibyteOfStdoutWithoutGrowingTheHeap() throws Exception {
    LargeOutputProbe.Result result = LargeOutputProbe.runInForkedJvm(getClass(), workdir, engineId, patience());

    assertThat(result.exitCode()).as("exit code of the command in the fork").isZero();
    assertThat(result.lines()).isEqualTo(LargeOutputProbe.EXPECTED_LINES);
    assertThat(result.chars()).isEqualTo(LargeOutputProbe.EXPECTED_CHARS);
  }

  // ---- waiting and stopping ---------------------------------------------------------------------------

  @Test
  void awaitReturnsEmptyWhileTheCommandRuns() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerHandle handle = start(request("echo ready; sleep 300").build(), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", patience());

    assertThat(handle.await(Duration.ofMillis(200))).isEmpty();

    handle.stop(Duration.ofSeconds(1));
    assertThat(awaitExit(handle).exitCode()).isNotZero();
  }

  @Test
  void stopSendsTermFirstSoThatTheCommandCanCleanUp() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerHandle handle = start(request(
        "trap 'echo term-received; echo cleaned > cleaned.txt; exit 0' TERM; echo ready; while true; do sleep 0.2; done")
        .build(), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", patience());

    handle.stop(patience());

    ContainerExit exit = awaitExit(handle);
    assertThat(exit.exitCode()).isZero();
    assertThat(logs.stdout()).contains("term-received");
    assertThat(read("cleaned.txt")).isEqualTo("cleaned\n");
  }

  @Test
  void stopKillsACommandThatIgnoresTermAfterTheGracePeriod() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerHandle handle = start(request("trap '' TERM; echo ready; while true; do sleep 0.2; done").build(), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", patience());

    handle.stop(Duration.ofSeconds(1));

    assertThat(awaitExit(handle).exitCode()).isEqualTo(137);
  }

  @Test
  void stopEndsAnAwaitInAnotherThread() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerHandle handle = start(request("echo ready; sleep 300").build(), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", patience());
    CompletableFuture<Optional<ContainerExit>> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return handle.await(Duration.ofMinutes(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });

    handle.stop(Duration.ofSeconds(1));

    Optional<ContainerExit> exit = waiting.get(patience().toMillis(), TimeUnit.MILLISECONDS);
    assertThat(exit).isPresent();
    assertThat(exit.get().exitCode()).isNotZero();
  }

  @Test
  void stopAfterTheExitKeepsTheExit() throws Exception {
    ContainerHandle handle = start(request("exit 3").build(), new LogCollector());
    assertThat(awaitExit(handle).exitCode()).isEqualTo(3);

    handle.stop(Duration.ofSeconds(1));
    handle.stop(Duration.ofSeconds(1));

    assertThat(awaitExit(handle).exitCode()).isEqualTo(3);
  }

  // ---- clean-up ---------------------------------------------------------------------------------------

  @Test
  void closeIsIdempotentAndRemovesARunningContainer() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerHandle handle = start(request("echo ready; sleep 300").build(), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", patience());

    assertThatCode(() -> {
      handle.close();
      handle.close();
    }).doesNotThrowAnyException();
    // The case's clean-up check (assertNothingLeftBehind) runs after this.
  }

  @Test
  void closeAfterTheExitRemovesTheContainer() throws Exception {
    ContainerHandle handle = start(request("echo bye > \"$KARGO_OUTPUT\"").build(), new LogCollector());
    assertThat(awaitExit(handle).exitCode()).isZero();

    handle.close();
    handle.close();
  }

  @Test
  void reapRemovesWhatACrashedHostLeftBehind() throws Exception {
    String crashedEngine = "crashed-" + UUID.randomUUID().toString().substring(0, 8);
    LogCollector logs = new LogCollector();
    ContainerHandle leftover = start(requestFor(crashedEngine, "echo ready; sleep 300").build(), logs);
    logs.awaitLine(LogStream.STDOUT, "ready", patience());

    // A restarted host knows only the engine id.
    ContainerRuntime restarted = createRuntime();
    try {
      assertThat(restarted.reap("never-used-" + UUID.randomUUID().toString().substring(0, 8))).isZero();
      assertThat(restarted.reap(crashedEngine)).isEqualTo(1);
      assertThat(restarted.reap(crashedEngine)).isZero();
    } finally {
      restarted.close();
    }
    try {
      assertThat(leftover.await(patience())).as("the reaped container has ended").isPresent();
    } catch (ContainerRuntimeException gone) {
      // Also acceptable: the runtime reports that the container was removed behind its back.
    }
    leftover.close();
    assertNothingLeftBehind(crashedEngine);
  }
}
