package io.promokit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.promokit.CustomStepDefinition;
import io.promokit.CustomStepDefinition.Output;
import io.promokit.CustomStepDefinition.OutputFormat;
import io.promokit.CustomStepDefinition.OutputSource;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import io.promokit.StepStatus;
import io.promokit.event.LogStream;
import io.promokit.runtime.LocalProcessRuntime;
import io.promokit.spi.CapabilityProvider;
import io.promokit.spi.PullSecretSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The container step adapter running real processes through {@link LocalProcessRuntime}. */
class ContainerStepWithLocalProcessesTest {

  @TempDir
  Path workdir;

  @TempDir
  Path stateDir;

  private LocalProcessRuntime runtime;

  private StepRuntime step(String script, CustomStepDefinition.Builder customize) {
    runtime = LocalProcessRuntime.create(stateDir);
    return customize.image("ubuntu").command(List.of("sh", "-c", script)).build()
        .bind(runtime, CapabilityProvider.NONE, PullSecretSource.NONE, "engine-local");
  }

  private StepRuntime step(String script) {
    return step(script, CustomStepDefinition.builder("script"));
  }

  private TestStepContext.Builder ctx() {
    return TestStepContext.builder(workdir).alias("my-step");
  }

  @AfterEach
  void nothingLeftInTheStateDir() throws Exception {
    try (var left = Files.list(stateDir)) {
      assertThat(left).as("scratch directories left behind").isEmpty();
    }
  }

  @Test
  void runsTheCommandStreamsItsLinesAndReadsItsOutputFile() throws Exception {
    TestStepContext ctx = ctx().build();

    StepResult result = step("echo out; echo err >&2; echo result=ok > \"$KARGO_OUTPUT\"; echo shared > file.txt")
        .execute(ctx);

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).containsExactly(Map.entry("result", "ok"));
    assertThat(ctx.lines()).containsExactlyInAnyOrder("STDOUT: out", "STDERR: err");
    assertThat(Files.readString(workdir.resolve("file.txt"))).isEqualTo("shared\n");
    assertThat(ctx.lastContainerReport().runtime()).isEqualTo("local");
    assertThat(ctx.lastContainerReport().phasesMs()).containsKeys("start", "run", "cleanup");
  }

  @Test
  void masksASecretTheCommandWritesInSeveralPieces() throws Exception {
    TestStepContext ctx = ctx().build();
    ctx.masker().register("token-12345");

    step("printf 'the tok'; sleep 0.2; printf 'en-1'; sleep 0.2; printf '2345 was used\\n'").execute(ctx);

    assertThat(ctx.lines()).containsExactly("STDOUT: the *** was used");
  }

  @Test
  void masksEveryLineOfAMultiLineSecret() throws Exception {
    String key = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END KEY-----";
    TestStepContext ctx = ctx().build();
    ctx.masker().register(key);

    step("printf '%s\\n' \"$KEY\"; echo done", CustomStepDefinition.builder("script").env("KEY", key)).execute(ctx);

    assertThat(ctx.lines()).containsExactly("STDOUT: ***", "STDOUT: ***", "STDOUT: ***", "STDOUT: ***", "STDOUT: done");
  }

  @Test
  void keepsTheStepKeyAcrossAttemptsAndCountsAttempts() throws Exception {
    StepRuntime step = step("echo \"$PROMOKIT_STEP_KEY $PROMOKIT_ATTEMPT $PROMOKIT_STEP_ALIAS $PROMOKIT_PROMOTION\"");
    TestStepContext first = ctx().stepKey("k-1").attempt(1).build();
    TestStepContext second = ctx().stepKey("k-1").attempt(2).build();

    step.execute(first);
    step.execute(second);

    assertThat(first.lines(LogStream.STDOUT)).containsExactly("k-1 1 my-step test-promotion");
    assertThat(second.lines(LogStream.STDOUT)).containsExactly("k-1 2 my-step test-promotion");
  }

  @Test
  void exitCode75AsksToRunAgain() throws Exception {
    assertThat(step("exit 75").execute(ctx().build()).status()).isEqualTo(StepStatus.RUNNING);
  }

  @Test
  void aFailingCommandsErrorEndsWithItsOutput() {
    assertThatThrownBy(() -> step("echo working; echo 'boom: disk full' >&2; exit 4").execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("container of step \"script\" (image ubuntu) exited with code 4\n"
            + "--- stdout ---\nworking\n--- stderr ---\nboom: disk full");
  }

  @Test
  void cancellingSendsTermThenTheStepEndsAndNothingIsLeft() throws Exception {
    TestStepContext ctx = ctx().build();
    StepRuntime step = step("trap 'echo got-term; exit 0' TERM; echo ready; while :; do sleep 0.1; done",
        CustomStepDefinition.builder("script").gracePeriod(Duration.ofSeconds(30)));
    CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
      try {
        step.execute(ctx);
        return null;
      } catch (Exception e) {
        return e;
      }
    });
    await("the command printed ready").atMost(Duration.ofSeconds(60)).until(() -> ctx.lines().contains("STDOUT: ready"));

    ctx.cancel();

    assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(ctx.lines()).contains("STDOUT: got-term");
    assertThat(ctx.lastContainerReport().exitCode()).isZero();
  }

  @Test
  void aSecretAcrossThePieceBoundaryOfALongLineIsMaskedInTheLogAndTheFailureMessage() throws Exception {
    // The process pump cuts lines into 64 KiB pieces; the secret starts 6 bytes before the cut. Its
    // characters appear nowhere else, so any of them in the log is a leak.
    String secret = "Q7Z#9J4W";
    TestStepContext ctx = ctx().build();
    ctx.masker().register(secret);
    String script = "head -c 65530 /dev/zero | tr '\\0' a; printf '%s' \"$TOKEN\"; "
        + "head -c 1000 /dev/zero | tr '\\0' b; echo; echo done; exit 1";

    Throwable thrown = catchThrowable(() -> step(script, CustomStepDefinition.builder("script").env("TOKEN", secret))
        .execute(ctx));

    String maskedLine = "a".repeat(65530) + "***" + "b".repeat(1000);
    List<String> stdout = ctx.lines(LogStream.STDOUT);
    assertThat(stdout).as("the long line arrives in more than one piece").hasSizeGreaterThan(2);
    assertThat(stdout).allSatisfy(text -> assertThat(text).doesNotContainPattern("[Q7Z#9J4W]"));
    assertThat(String.join("", stdout.subList(0, stdout.size() - 1))).isEqualTo(maskedLine);
    assertThat(stdout).last().isEqualTo("done");
    String tail = maskedLine + "\ndone";
    assertThat(thrown).hasMessage("container of step \"script\" (image ubuntu) exited with code 1\n"
        + "--- stdout (last 16 KiB) ---\n" + tail.substring(tail.length() - 16 * 1024));
  }

  @Test
  @Timeout(60)
  void aNamedPipeAsTheOutputFileIsATerminalErrorInsteadOfAHang() {
    StepRuntime step = step("mkfifo out.txt", CustomStepDefinition.builder("script")
        .output(new Output(OutputSource.FILE, "out.txt", OutputFormat.TEXT, Map.of())));

    assertThatThrownBy(() -> step.execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("output file \"out.txt\" is a named pipe, not a regular file");
  }

  @Test
  void aFolderAsTheOutputFileIsATerminalError() {
    StepRuntime step = step("mkdir out.txt", CustomStepDefinition.builder("script")
        .output(new Output(OutputSource.FILE, "out.txt", OutputFormat.TEXT, Map.of())));

    assertThatThrownBy(() -> step.execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("output file \"out.txt\" is a folder, not a regular file");
  }

  @Test
  void anOutputFileReachedThroughASymlinkInsideTheWorkdirIsRead() throws Exception {
    StepRuntime step = step("echo ok > real.txt; ln -s real.txt out.txt", CustomStepDefinition.builder("script")
        .output(new Output(OutputSource.FILE, "out.txt", OutputFormat.TEXT, Map.of())));

    assertThat(step.execute(ctx().build()).outputs()).containsExactly(Map.entry("output", "ok\n"));
  }

  @Test
  void anOutputFileSymlinkedOutOfTheWorkdirIsRefused() {
    StepRuntime step = step("ln -s /etc/hostname out.txt", CustomStepDefinition.builder("script")
        .output(new Output(OutputSource.FILE, "out.txt", OutputFormat.TEXT, Map.of())));

    assertThatThrownBy(() -> step.execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("path \"out.txt\" leads out of the working directory through the symlink \"out.txt\""
            + " (to \"/etc/hostname\")");
  }

  @Test
  @Timeout(60)
  void aNamedPipeInPlaceOfKargoOutputIsAnErrorInsteadOfAHang() {
    StepRuntime step = step("rm \"$KARGO_OUTPUT\"; mkfifo \"$KARGO_OUTPUT\"");

    assertThatThrownBy(() -> step.execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).as("no retry").isTrue())
        .hasMessageEndingWith("): cannot read its KARGO_OUTPUT: the command replaced its KARGO_OUTPUT file: it is now"
            + " a named pipe, not a regular file");
  }
}
