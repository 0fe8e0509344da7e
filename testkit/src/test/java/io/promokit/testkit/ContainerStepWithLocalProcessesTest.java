package io.promokit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.CustomStepDefinition;
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
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!ctx.lines().contains("STDOUT: ready") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    ctx.cancel();

    assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(ctx.lines()).contains("STDOUT: got-term");
    assertThat(ctx.lastContainerReport().exitCode()).isZero();
  }
}
