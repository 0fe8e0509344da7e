package io.promokit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.promokit.StepException;
import io.promokit.event.LogStream;
import io.promokit.expressions.SecretMasker;
import io.promokit.steps.kit.ProcessResult;
import io.promokit.steps.kit.ProcessRunner;
import io.promokit.steps.kit.ProcessSpec;
import io.promokit.steps.kit.ToolNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The step kit's process runner, with real processes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessRunnerTest {

  @TempDir Path workdir;
  private final ManualClock clock = ManualClock.create();
  private final SecretMasker masker = new SecretMasker();

  private TestStepContext.Builder ctx() {
    return TestStepContext.builder(workdir).alias("tool").timekeeper(clock).masker(masker);
  }

  private static ProcessResult run(TestStepContext ctx, ProcessSpec spec) throws InterruptedException {
    return ProcessRunner.forStep(ctx).run(spec);
  }

  @Test
  void runsArgvWithoutAShellInTheWorkdirAndKeepsStdoutExactly() throws Exception {
    TestStepContext ctx = ctx().build();

    ProcessResult result = run(ctx, ProcessSpec.builder("printf", "%s|%s\\n", "a b", "$HOME; rm -rf /").build());

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("a b|$HOME; rm -rf /\n");
    assertThat(result.stdoutTruncated()).isFalse();
    assertThat(ctx.lines()).containsExactly("INFO: running printf '%s|%s\\n' 'a b' '$HOME; rm -rf /'",
        "STDOUT: a b|$HOME; rm -rf /");
  }

  @Test
  void theEnvironmentIsCleanButForThePassThroughListAndTheSpecsOwnVariables() throws Exception {
    ProcessResult result = run(ctx().build(), ProcessSpec.builder("env").env("GIT_TERMINAL_PROMPT", "0")
        .directory(Files.createDirectories(workdir.resolve("sub"))).logStdout(false).build());

    String[] names = result.stdout().lines().map(l -> l.substring(0, l.indexOf('='))).sorted().toArray(String[]::new);
    assertThat(names).contains("GIT_TERMINAL_PROMPT", "PATH", "PROMOKIT_TOOL_RUN");
    assertThat(Arrays.stream(names).filter(n -> !ProcessRunner.PASSED_THROUGH.contains(n)))
        .containsExactlyInAnyOrder("GIT_TERMINAL_PROMPT", "PROMOKIT_TOOL_RUN");
  }

  @Test
  void stdinIsWrittenAndClosed() throws Exception {
    ProcessResult result = run(ctx().build(), ProcessSpec.builder("cat").stdin("line 1\nline 2").build());

    assertThat(result.stdout()).isEqualTo("line 1\nline 2");
  }

  @Test
  void secretsAreMaskedInTheLogAndNeverAllowedOnTheCommandLine() throws Exception {
    TestStepContext ctx = ctx().build();
    ProcessSpec spec = ProcessSpec.builder("sh", "-c", "echo token=$TOKEN; echo oops $TOKEN >&2; exit 3")
        .env("TOKEN", "s3cr3t-t0ken").secret("s3cr3t-t0ken").build();

    ProcessResult result = run(ctx, spec);

    assertThat(ctx.lines(LogStream.STDOUT)).containsExactly("token=***");
    assertThat(ctx.lines(LogStream.STDERR)).containsExactly("oops ***");
    assertThat(result.stdout()).isEqualTo("token=s3cr3t-t0ken\n"); // for the step to parse, not to show
    assertThat(result.stderrTail()).isEqualTo("oops ***");
    assertThatThrownBy(result::requireSuccess)
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("sh exited with code 3: oops ***");
    assertThatThrownBy(() -> run(ctx, ProcessSpec.builder("echo", "--password=s3cr3t-t0ken").build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("refusing to run echo: argv[1] holds a secret; pass secrets in the environment or on stdin, "
            + "never on the command line");
  }

  @Test
  void aMissingProgramSaysWhatToInstall() {
    TestStepContext ctx = ctx().build();

    assertThatThrownBy(() -> run(ctx, ProcessSpec.builder("promokit-no-such-tool", "version")
        .missingToolHint("install it (Debian: apt-get install promokit-no-such-tool)").build()))
        .isInstanceOfSatisfying(ToolNotFoundException.class, e -> {
          assertThat(e.isTerminal()).isTrue();
          assertThat(e.program()).isEqualTo("promokit-no-such-tool");
        })
        .hasMessage("promokit-no-such-tool not found on PATH: install it (Debian: apt-get install promokit-no-such-tool)");
    assertThatThrownBy(() -> run(ctx, ProcessSpec.builder("./bin/tool").build()))
        .isInstanceOf(ToolNotFoundException.class)
        .hasMessage("./bin/tool is not an executable file");
  }

  @Test
  void stdoutIsKeptUpToTheCaptureLimit() throws Exception {
    ProcessResult result = run(ctx().build(), ProcessSpec.builder("sh", "-c", "head -c 5000 /dev/zero | tr '\\0' a")
        .captureLimit(100).logStdout(false).build());

    assertThat(result.stdout()).isEqualTo("a".repeat(100));
    assertThat(result.stdoutTruncated()).isTrue();
  }

  @Test
  void theCommandsOwnTimeoutOnTheStepsClockStopsTheWholeTree() throws Exception {
    TestStepContext ctx = ctx().build();
    ProcessSpec spec = ProcessSpec.builder("sh", "-c", "sleep 300 & echo $! > child.pid; wait")
        .timeout(Duration.ofSeconds(30)).gracePeriod(Duration.ofSeconds(2)).build();

    CompletableFuture<ProcessResult> running = CompletableFuture.supplyAsync(() -> runUnchecked(ctx, spec));
    clock.awaitWaiters(1);
    ProcessHandle child = awaitLiveChild();
    clock.advance(Duration.ofSeconds(29));
    assertThat(running).isNotDone();
    clock.advance(Duration.ofSeconds(1));

    assertThatThrownBy(running::get).isInstanceOf(ExecutionException.class).cause()
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("sh was stopped: it timed out after 30s (or the step's deadline came)");
    assertChildEnds(child);
  }

  @Test
  void theStepsDeadlineBoundsTheCommand() throws Exception {
    TestStepContext ctx = ctx().deadline(clock.instant().plusSeconds(10)).build();
    ProcessSpec spec = ProcessSpec.builder("sleep", "300").build();

    CompletableFuture<ProcessResult> running = CompletableFuture.supplyAsync(() -> runUnchecked(ctx, spec));
    clock.awaitWaiters(1);
    clock.advance(Duration.ofSeconds(10));

    assertThatThrownBy(running::get).cause().isInstanceOf(StepException.class)
        .hasMessage("sleep was stopped: the step's deadline came");
  }

  @Test
  void cancellingTheAttemptStopsTheWholeTree() throws Exception {
    TestStepContext ctx = ctx().build();
    ProcessSpec spec = ProcessSpec.builder("sh", "-c", "trap '' TERM; sleep 300 & echo $! > child.pid; wait")
        .gracePeriod(Duration.ofMillis(200)).build();

    CompletableFuture<ProcessResult> running = CompletableFuture.supplyAsync(() -> runUnchecked(ctx, spec));
    ProcessHandle child = awaitLiveChild();
    ctx.cancel();

    assertThatThrownBy(running::get).cause().isInstanceOf(IllegalStateException.class)
        .cause().isInstanceOf(InterruptedException.class)
        .hasMessage("sh was stopped: the attempt was cancelled");
    assertChildEnds(child);
  }

  @Test
  void whatTheCommandLeftRunningIsKilledWhenItExits() throws Exception {
    ProcessResult result = run(ctx().build(), ProcessSpec.builder("sh", "-c",
        "setsid sleep 300 > /dev/null 2>&1 < /dev/null & echo $! > child.pid").build());

    assertThat(result.exitCode()).isZero();
    long pid = awaitChildPid();
    ProcessHandle.of(pid).ifPresent(ProcessRunnerTest::assertChildEnds);
  }

  /** The pid the command wrote to child.pid, once it is there. */
  private long awaitChildPid() throws Exception {
    Path pidFile = workdir.resolve("child.pid");
    await("child.pid written").atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(pidFile) && Files.readString(pidFile).endsWith("\n"));
    return Long.parseLong(Files.readString(pidFile).strip());
  }

  /** The child is running now. */
  private ProcessHandle awaitLiveChild() throws Exception {
    long pid = awaitChildPid();
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .orElseThrow(() -> new AssertionError("child " + pid + " is not running"));
  }

  /** The child ends within 5 s (or has ended). */
  private static void assertChildEnds(ProcessHandle child) {
    await("process " + child.pid() + " gone").atMost(Duration.ofSeconds(5)).until(() -> !child.isAlive());
  }

  private static ProcessResult runUnchecked(TestStepContext ctx, ProcessSpec spec) {
    try {
      return run(ctx, spec);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
