package io.promokit.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SleepStepTest {

  @TempDir Path workdir;

  @Test
  void zeroDurationIsFine() throws Exception {
    assertThat(TestStepContext.of(workdir, "sleep", Map.of("duration", "0s")).run().status())
        .isEqualTo(StepStatus.SUCCEEDED);
  }

  @Test
  void interruptStopsTheSleep() throws Exception {
    TestStepContext context = TestStepContext.of(workdir, "sleep", Map.of("duration", "1h"));
    CountDownLatch started = new CountDownLatch(1);
    Thread[] sleeper = new Thread[1];
    CompletableFuture<StepResult> run = CompletableFuture.supplyAsync(() -> {
      sleeper[0] = Thread.currentThread();
      started.countDown();
      try {
        return context.run();
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    started.await();
    awaitLogLine(context);
    sleeper[0].interrupt();

    assertThatThrownBy(() -> run.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(InterruptedException.class);
  }

  @Test
  void cancellationWithoutInterruptStopsTheSleep() throws Exception {
    TestStepContext context = TestStepContext.of(workdir, "sleep", Map.of("duration", "1h"));
    CompletableFuture<StepResult> run = CompletableFuture.supplyAsync(() -> {
      try {
        return context.run();
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    awaitLogLine(context);
    context.cancel();

    assertThatThrownBy(() -> run.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(InterruptedException.class)
        .hasRootCauseMessage("the attempt was cancelled");
  }

  @Test
  void badDurationsFailNamingTheField() throws Exception {
    assertThat(TestStepContext.of(workdir, "sleep", Map.of("duration", "soon")).run().message())
        .isEqualTo("invalid config: config.duration: invalid duration \"soon\": expected a Go duration such as "
            + "90s, 5m, 1h30m or 500ms");
    assertThat(TestStepContext.of(workdir, "sleep", Map.of("duration", "-5s")).run().message())
        .isEqualTo("invalid config: config.duration: must be zero or more, but was \"-5s\"");
    assertThat(TestStepContext.of(workdir, "sleep", Map.of()).run().message())
        .isEqualTo("invalid config: config.duration: is required");
    assertThat(TestStepContext.of(workdir, "sleep", Map.of("duration", 5)).run().message())
        .isEqualTo("invalid config: config.duration: must be a string, but was an integer");
  }

  @Test
  void aDurationBeyondGosRangeIsInvalidConfigNotAnError() throws Exception {
    StepResult result = TestStepContext.of(workdir, "sleep", Map.of("duration", "9999999999h")).run();

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("invalid config: config.duration: invalid duration \"9999999999h\": "
        + "out of range (at most 2562047h47m16.854775807s)");
  }

  @Test
  void aFractionBelowANanosecondIsTruncatedAsGoDoes() throws Exception {
    TestStepContext context = TestStepContext.of(workdir, "sleep", Map.of("duration", "1.5ns"));

    assertThat(context.run().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(context.logLines()).containsExactly("INFO sleeping for 1ns");
  }

  /** The step is about to wait: it logs first. */
  private static void awaitLogLine(TestStepContext context) {
    await("the sleep step's first log line").atMost(Duration.ofSeconds(10)).until(() -> !context.logLines().isEmpty());
  }
}
