package io.promokit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.BackoffPolicy;
import io.promokit.documents.PromotionDocuments;
import io.promokit.PromotionEngine;
import io.promokit.PromotionExecution;
import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionSequence;
import io.promokit.StepException;
import io.promokit.StepOptions;
import io.promokit.records.StepRecord;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's time rules (SEMANTICS.md section 3: timeouts, retry backoff, polling; the sleep step) on a
 * {@link ManualClock}: every duration is exact, and no test waits for real time to pass.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineTimeTest {

  private final ManualClock clock = ManualClock.create();
  private final List<Instant> attemptTimes = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Semaphore attempted = new Semaphore(0);

  private StepRegistry registry() {
    return StepRegistry.builder().withBuiltins()
        .register("wait", ctx -> {
          ctx.sleep(Duration.parse(String.valueOf(ctx.config().get("for"))));
          return StepResult.succeeded();
        }, StepOptions.builder().defaultTimeout(Duration.ofMinutes(5)).build())
        .register("boom", ctx -> {
          attemptTimes.add(ctx.clock().instant());
          attempted.release();
          throw new StepException("api down");
        })
        .register("later", ctx -> {
          attemptTimes.add(ctx.clock().instant());
          if (ctx.attempt() == 1) {
            throw StepException.retryAfter("not yet", Duration.ofMinutes(5));
          }
          return StepResult.succeeded();
        })
        .register("poll", ctx -> {
          attemptTimes.add(ctx.clock().instant());
          return ctx.attempt() < 3 ? StepResult.running(Duration.ofSeconds(30), Map.of(), "waiting")
              : StepResult.succeeded(Map.of("attempt", ctx.attempt()));
        })
        .register("stubborn", ctx -> {
          while (release.getCount() > 0) {
            try {
              release.await();
            } catch (InterruptedException ignored) {
              // ignores interruption on purpose
            }
          }
          return StepResult.succeeded();
        })
        .build();
  }

  private final PromotionEngine engine = engine(Duration.ofSeconds(30));
  private final PromotionEngine impatient = engine(Duration.ofMillis(50));

  private PromotionEngine engine(Duration cancelGrace) {
    return PromotionEngine.builder()
        .registry(registry())
        .backoff(BackoffPolicy.fixed(Duration.ofMinutes(1)))
        .timekeeper(clock)
        .cancelGrace(cancelGrace)
        .build();
  }

  @AfterEach
  void closeEngines() {
    engine.close();
    impatient.close();
  }

  private PromotionSequence.Builder sequence(String steps) {
    return sequence(engine, steps);
  }

  private static PromotionSequence.Builder sequence(PromotionEngine engine, String steps) {
    return engine.sequence(PromotionDocuments.parse("steps:\n" + steps, "time.yaml").singleTemplate());
  }

  /** Runs the promotion, moving the clock to each time it waits for (one wait at a time: no step deadline). */
  private PromotionRecord drive(PromotionSequence.Builder sequence) {
    return clock.advanceUntilDone(sequence.build().start().result());
  }

  /** Starts the promotion, waits until a thread waits for the clock's minute {@code minute}, and moves it there. */
  private PromotionRecord runTo(PromotionSequence.Builder sequence, int minute) {
    PromotionExecution execution = sequence.build().start();
    clock.awaitWaiterFor(at(minute));
    clock.advance(Duration.between(clock.instant(), at(minute)));
    return execution.await();
  }

  @Test
  void aTimeoutCancelsAWaitingStepAtExactlyItsDeadline() {
    // Two threads wait on the clock: the step (for 1h) and the engine (for the step's deadline, 5m).
    PromotionRecord record = runTo(sequence("""
        - uses: wait
          as: a
          retry: {timeout: 5m}
          config: {for: PT1H}
        """), 5);

    StepRecord a = record.step("a").orElseThrow();
    assertThat(a.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(a.message()).isEqualTo("step \"a\" timed out after 5m0s");
    assertThat(a.durationMs()).isEqualTo(Duration.ofMinutes(5).toMillis());
    assertThat(record.startedAt()).isEqualTo(ManualClock.DEFAULT_START);
  }

  @Test
  void aStepsDefaultTimeoutAppliesAndZeroMeansNone() {
    PromotionRecord withDefault = runTo(sequence("""
        - uses: wait
          as: a
          config: {for: PT10M}
        """), 5);
    clock.advance(Duration.ofMinutes(55));
    PromotionRecord withZero = runTo(sequence("""
        - uses: wait
          as: a
          retry: {timeout: 0s}
          config: {for: PT10M}
        """), 70);

    assertThat(withDefault.step("a").orElseThrow().message()).isEqualTo("step \"a\" timed out after 5m0s");
    assertThat(withZero.step("a").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(withZero.step("a").orElseThrow().durationMs()).isEqualTo(Duration.ofMinutes(10).toMillis());
  }

  @Test
  void theTimeoutCountsFromTheFirstStartAcrossRetriesAndKeepsTheLastError() {
    PromotionExecution execution = sequence("""
        - uses: boom
          as: a
          retry: {errorThreshold: 1000, timeout: 5m}
        """).build().start();
    // The engine also waits for each attempt until the step's deadline (5m): move the clock only once the
    // attempt has run, and (before 5m) only to end the backoff wait.
    for (int minute = 1; minute <= 5; minute++) {
      attempted.acquireUninterruptibly();
      clock.awaitWaiterFor(at(minute));
      clock.advance(Duration.ofMinutes(1));
    }

    StepRecord a = execution.await().step("a").orElseThrow();
    assertThat(a.message()).isEqualTo("step \"a\" timed out after 5m0s; last error: api down");
    // The backoff of 1 minute: attempts at 0, 1, 2, 3 and 4 minutes; the deadline ends the fifth wait.
    assertThat(a.attempts()).isEqualTo(5);
    assertThat(attemptTimes).containsExactly(at(0), at(1), at(2), at(3), at(4));
  }

  @Test
  void aStepsSuggestedRetryDelayReplacesTheBackoff() {
    PromotionRecord record = drive(sequence("""
        - uses: later
          as: a
          retry: {errorThreshold: 2}
        """));

    assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(attemptTimes).containsExactly(at(0), at(5));
  }

  @Test
  void aRunningStepIsInvokedAgainAfterItsDelay() {
    PromotionRecord record = drive(sequence("""
        - uses: poll
          as: a
        """));

    assertThat(record.step("a").orElseThrow().outputs()).isEqualTo(Map.of("attempt", 3L));
    assertThat(attemptTimes).containsExactly(at(0), ManualClock.DEFAULT_START.plusSeconds(30),
        ManualClock.DEFAULT_START.plusSeconds(60));
  }

  @Test
  void theSleepStepEndsWhenTheClockSaysSo() {
    PromotionExecution execution = sequence("""
        - uses: sleep
          as: nap
          config: {duration: 1h}
        """).build().start();

    clock.awaitWaiters(1);
    clock.advance(Duration.ofMinutes(59));
    assertThat(execution.result()).isNotDone();
    clock.advance(Duration.ofMinutes(1));

    StepRecord nap = execution.await().step("nap").orElseThrow();
    assertThat(nap.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(nap.durationMs()).isEqualTo(Duration.ofHours(1).toMillis());
  }

  @Test
  void aTimeoutLeavesAStepThatIgnoresCancellationBehindAfterTheGraceAndGoesOn() {
    try {
      PromotionExecution execution = sequence(impatient, """
          - uses: stubborn
            as: a
            retry: {timeout: 1m}
          - uses: compose-output
            as: b
            if: ${{ always() }}
            config: {done: true}
          """).build().start();

      clock.awaitWaiters(1);
      clock.advance(Duration.ofMinutes(1));
      PromotionRecord record = execution.await();

      assertThat(record.step("a").orElseThrow().status()).isEqualTo(StepStatus.ERRORED);
      assertThat(record.step("a").orElseThrow().message()).isEqualTo("step \"a\" timed out after 1m0s");
      assertThat(record.step("b").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    } finally {
      release.countDown();
    }
  }

  private static Instant at(int minutes) {
    return ManualClock.DEFAULT_START.plus(Duration.ofMinutes(minutes));
  }
}
