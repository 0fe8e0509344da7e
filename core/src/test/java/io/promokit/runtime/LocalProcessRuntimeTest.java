package io.promokit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.promokit.event.LogStream;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local runtime does beyond the contract: process trees, the clean environment, scratch files. */
class LocalProcessRuntimeTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir
  Path workdir;

  @TempDir
  Path stateDir;

  private final String engine = "local-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<ContainerHandle> handles = new ArrayList<>();
  private final Map<LogStream, List<String>> lines = new LinkedHashMap<>();
  private LocalProcessRuntime runtime;

  private LocalProcessRuntime runtime() {
    if (runtime == null) {
      runtime = LocalProcessRuntime.create(stateDir);
    }
    return runtime;
  }

  @AfterEach
  void closeAll() {
    handles.forEach(ContainerHandle::close);
  }

  private ContainerRequest.Builder request(String script) {
    return ContainerRequest.builder().name("c-" + UUID.randomUUID().toString().substring(0, 8)).image("ubuntu")
        .command(List.of("sh", "-c", script)).workdir(workdir).label(ContainerLabels.ENGINE, engine);
  }

  private ContainerHandle start(ContainerRequest request) {
    ContainerHandle handle = runtime().start(request, (stream, text) -> {
      synchronized (lines) {
        lines.computeIfAbsent(stream, s -> new ArrayList<>()).add(text);
        lines.notifyAll();
      }
    });
    handles.add(handle);
    return handle;
  }

  /** Waits until the file holds a whole line (the shell creates it before it writes it). */
  private void awaitFile(String name) {
    Path file = workdir.resolve(name);
    await(name + " written").atMost(PATIENCE).until(() -> Files.exists(file) && Files.readString(file).endsWith("\n"));
  }

  private static long pidIn(Path file) throws Exception {
    return Long.parseLong(Files.readString(file).strip());
  }

  private static void assertGone(long pid) {
    await("process " + pid + " gone").atMost(PATIENCE)
        .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void stopTermsEveryProcessOfTheTreeIncludingGrandchildren() throws Exception {
    ContainerHandle handle = start(request(
        "sh -c 'trap \"echo child-term > child-term.txt; exit 0\" TERM; echo $$ > child.pid; "
            + "while true; do sleep 0.1; done' & "
            + "sh -c 'sleep 300 & echo $! > grandchild.pid; wait' & "
            + "while [ ! -s grandchild.pid ] || [ ! -s child.pid ]; do sleep 0.05; done; echo ready > ready.txt; wait").build());
    awaitFile("ready.txt");
    long child = pidIn(workdir.resolve("child.pid"));
    long grandchild = pidIn(workdir.resolve("grandchild.pid"));

    handle.stop(PATIENCE);

    ContainerExit exit = handle.await(PATIENCE).orElseThrow();
    assertThat(exit.exitCode()).isNotZero();
    assertThat(Files.readString(workdir.resolve("child-term.txt"))).isEqualTo("child-term\n");
    assertGone(child);
    assertGone(grandchild);
  }

  @Test
  void stopKillsADaemonizedChildThatLeftTheTree() throws Exception {
    // The subshell exits at once, so its sleep is re-parented away from the command.
    ContainerHandle handle = start(request("(trap '' TERM; sleep 300 & echo $! > daemon.pid); sleep 300").build());
    awaitFile("daemon.pid");
    long daemon = pidIn(workdir.resolve("daemon.pid"));
    assertThat(ProcessHandle.of(daemon).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
        .isNotEqualTo(Long.parseLong(handle.id()));

    handle.stop(Duration.ofMillis(500));

    assertThat(handle.await(PATIENCE)).isPresent();
    assertGone(daemon);
  }

  @Test
  void endsWhatTheCommandLeftRunningWhenItExits() throws Exception {
    ContainerHandle handle = start(request("sleep 300 > /dev/null 2>&1 & echo $! > bg.pid; exit 0").build());

    assertThat(handle.await(PATIENCE).orElseThrow().exitCode()).isZero();
    assertGone(pidIn(workdir.resolve("bg.pid")));
  }

  @Test
  void givesTheCommandOnlyTheDocumentedHostVariablesPlusItsOwn() throws Exception {
    ContainerHandle handle = start(request("env -0 > env.bin").env("STEP_VAR", "x").build());
    assertThat(handle.await(PATIENCE).orElseThrow().exitCode()).isZero();

    TreeSet<String> names = new TreeSet<>();
    for (String entry : Files.readString(workdir.resolve("env.bin"), StandardCharsets.UTF_8).split("\0")) {
      names.add(entry.substring(0, entry.indexOf('=')));
    }
    TreeSet<String> allowed = new TreeSet<>(LocalProcessRuntime.PASSED_THROUGH);
    // Variables the shell itself sets whatever it was given.
    allowed.addAll(List.of("PWD", "SHLVL", "OLDPWD", "_"));
    allowed.addAll(List.of("STEP_VAR", "KARGO_OUTPUT", "PROMOKIT_FILES", "PROMOKIT_ENGINE", "PROMOKIT_CONTAINER_ID"));
    assertThat(allowed).containsAll(names);
    assertThat(names).contains("PATH", "STEP_VAR", "KARGO_OUTPUT", "PROMOKIT_FILES", "PROMOKIT_ENGINE");
  }

  @Test
  void keepsScratchFilesOutsideTheWorkdirAndDeletesThemOnClose() throws Exception {
    ContainerHandle handle = start(request("printf '%s' \"$KARGO_OUTPUT\" > output-path.txt; echo a=1 > \"$KARGO_OUTPUT\"")
        .build());
    assertThat(handle.await(PATIENCE).orElseThrow().exitCode()).isZero();
    Path output = Path.of(Files.readString(workdir.resolve("output-path.txt")));
    assertThat(output).startsWith(stateDir).exists();

    handle.close();

    assertThat(output).doesNotExist();
    try (var left = Files.list(stateDir)) {
      assertThat(left).isEmpty();
    }
    assertThatThrownBy(() -> handle.readOutputFile(10)).hasMessageContaining("is gone");
  }

  @Test
  void aCommandThatCannotRunIsATerminalErrorAndLeavesNothing() throws Exception {
    ContainerRequest request = ContainerRequest.builder().name("missing").image("x")
        .command(List.of("/nonexistent/promokit-tool", "--flag")).workdir(workdir).build();

    assertThatThrownBy(() -> runtime().start(request, (s, t) -> { }))
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageStartingWith("cannot run [/nonexistent/promokit-tool, --flag] in " + workdir + ": ");
    try (var left = Files.list(stateDir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void reapFromAnotherRuntimeKillsMarkedProcessesAndDeletesScratchDirectories() throws Exception {
    ContainerHandle leftover = start(request("echo $$ > main.pid; sleep 300").build());
    awaitFile("main.pid");
    long main = pidIn(workdir.resolve("main.pid"));

    LocalProcessRuntime restarted = LocalProcessRuntime.create(stateDir);
    assertThat(restarted.reap("some-other-engine")).isZero();
    assertThat(restarted.reap(engine)).isEqualTo(1);

    assertGone(main);
    assertThat(leftover.await(PATIENCE)).isPresent();
    try (var left = Files.list(stateDir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void passesArgumentsWithoutAShell() throws Exception {
    ContainerRequest request = ContainerRequest.builder().name("argv").image("x")
        .command(List.of("printf", "%s|", "a b", "$HOME", "'q'")).workdir(workdir).build();
    ContainerHandle handle = start(request);

    assertThat(handle.await(PATIENCE).orElseThrow().exitCode()).isZero();
    synchronized (lines) {
      assertThat(lines.get(LogStream.STDOUT)).containsExactly("a b|$HOME|'q'|");
    }
  }
}
