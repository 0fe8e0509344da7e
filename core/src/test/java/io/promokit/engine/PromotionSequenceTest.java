package io.promokit.engine;

import static io.promokit.engine.TestSteps.plan;
import static io.promokit.engine.TestSteps.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.BackoffPolicy;
import io.promokit.PromotionContext;
import io.promokit.PromotionException;
import io.promokit.PromotionExecution;
import io.promokit.PromotionPhase;
import io.promokit.PromotionSequence;
import io.promokit.StepOptions;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.documents.PromotionPlan;
import io.promokit.event.LogLine;
import io.promokit.event.LogStream;
import io.promokit.event.PromotionFinished;
import io.promokit.event.PromotionListener;
import io.promokit.event.PromotionStarted;
import io.promokit.event.StepFinished;
import io.promokit.event.StepStarted;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SEMANTICS.md sections 3-8, one test per rule, named after it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PromotionSequenceTest {

  private final TestSteps steps = new TestSteps();
  private final TestPromotion.Engines engines = new TestPromotion.Engines();

  @AfterEach
  void closeEngines() {
    engines.close();
  }

  private TestPromotion sequence(PromotionPlan plan) {
    return engines.promotion(plan)
        .registry(steps.registry())
        .backoff(BackoffPolicy.fixed(Duration.ofMillis(5)))
        .context(PromotionContext.builder().project("shop").stage("prod").promotion("promo-1").actor("alice").build());
  }

  private PromotionRecord run(PromotionPlan plan) {
    return sequence(plan).build().run();
  }

  private static StepStatus status(PromotionRecord record, String alias) {
    return record.step(alias).orElseThrow().status();
  }

  private static List<StepStatus> statuses(PromotionRecord record) {
    return record.steps().stream().map(StepRecord::status).toList();
  }

  @Nested
  class RunningASequence {

    @Test
    void stepsRunInOrderAndAFailedStepDoesNotEndTheLoop() {
      PromotionRecord record = run(plan()
          .step(step("ok").as("a"))
          .step(step("fail").as("b"))
          .step(step("ok").as("c").when("${{ always() }}"))
          .build());

      assertThat(statuses(record)).containsExactly(StepStatus.SUCCEEDED, StepStatus.FAILED, StepStatus.SUCCEEDED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.FAILED);
      assertThat(record.message()).isEqualTo("step \"b\": it failed");
    }

    @Test
    void emptyIfRunsOnlyWhenNoEarlierStepFailedOrErrored() {
      PromotionRecord record = run(plan()
          .step(step("boom").as("a"))
          .step(step("ok").as("b"))
          .build());

      assertThat(statuses(record)).containsExactly(StepStatus.ERRORED, StepStatus.SKIPPED);
      assertThat(record.step("b").orElseThrow().attempts()).isZero();
      assertThat(record.step("b").orElseThrow().startedAt()).isNull();
    }

    @Test
    void emptyIfIgnoresContinueOnErrorSteps() {
      PromotionRecord record = run(plan()
          .step(step("fail").as("a").continueOnError())
          .step(step("ok").as("b"))
          .build());

      assertThat(statuses(record)).containsExactly(StepStatus.FAILED, StepStatus.SUCCEEDED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    }

    @Test
    void ifWrittenAsAPlainStringIsAnError() {
      PromotionRecord record = run(plan().step(step("ok").as("a").when("true")).build());

      assertThat(status(record, "a")).isEqualTo(StepStatus.ERRORED);
      assertThat(record.step("a").orElseThrow().message())
          .isEqualTo("step \"a\": if must be an expression such as ${{ always() }}, but was the plain string \"true\"");
      assertThat(steps.count("a")).isZero();
    }

    @Test
    void ifThatIsNotABooleanIsAnError() {
      PromotionRecord record = run(plan().step(step("ok").as("a").when("${{ 'yes' }}")).build());

      assertThat(record.step("a").orElseThrow().message())
          .isEqualTo("step \"a\": if must evaluate to a boolean, but \"${{ 'yes' }}\" gave the string \"yes\"");
    }

    @Test
    void errorInIfMakesTheStepErroredWithoutRetry() {
      PromotionRecord record = run(plan()
          .step(step("ok").as("a").when("${{ vars.missing.field }}").retry(3, null))
          .build());

      StepRecord a = record.step("a").orElseThrow();
      assertThat(a.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(a.attempts()).isZero();
      assertThat(a.message()).startsWith("step \"a\": if: ");
    }

    @Test
    void ifFalseSkipsTheStepAndLeavesNoOutputEntry() {
      PromotionRecord record = run(plan()
          .step(step("ok").as("a").when("${{ false }}").config("x", 1))
          .build());

      assertThat(status(record, "a")).isEqualTo(StepStatus.SKIPPED);
      assertThat(record.outputs()).doesNotContainKey("a");
    }

    @Test
    void ifIsEvaluatedOnceAndNotOnLaterAttempts() {
      // True before the first attempt only: a failed attempt sets outputs['a'] to an empty map.
      PromotionRecord record = run(plan()
          .step(step("flaky").as("a").when("${{ outputs['a'] == nil }}").retry(3, null).config("failures", 2))
          .build());

      assertThat(status(record, "a")).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(record.step("a").orElseThrow().attempts()).isEqualTo(3);
    }

    @Test
    void unknownStepNameIsErroredWithTheClosestRegisteredNames() {
      PromotionRecord record = sequence(plan().step(step("okk").as("a")).build()).build().run();

      StepRecord a = record.step("a").orElseThrow();
      assertThat(a.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(a.message()).isEqualTo("step \"a\": unknown step \"okk\"; did you mean \"ok\"?");
    }

    @Test
    void configEvaluationErrorIsErroredWithoutRetryAndNamesTheConfigPath() {
      PromotionRecord record = run(plan()
          .step(step("ok").as("a").retry(3, null)
              .config("apps", List.of(Map.of("name", "${{ vars.nope.name }}"))))
          .build());

      StepRecord a = record.step("a").orElseThrow();
      assertThat(a.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(a.attempts()).isZero();
      assertThat(a.message()).startsWith("step \"a\": config.apps[0].name: ");
    }

    @Test
    void varsAndConfigAreEvaluatedAgainOnEveryAttempt() {
      PromotionRecord record = run(plan()
          .step(step("flaky").as("a").retry(3, null)
              .config("failures", 2)
              .config("seen", "${{ outputs['a'] }}"))
          .build());

      assertThat(status(record, "a")).isEqualTo(StepStatus.SUCCEEDED);
      // Attempt 1 sees no outputs yet (null); a failed attempt replaces outputs with an empty map.
      assertThat(steps.invocations.get("a")).extracting(c -> c.get("seen"))
          .containsExactly(null, Map.of(), Map.of());
    }

    @Test
    void failedIsFinalAndNeverPolledAgain() {
      PromotionRecord record = run(plan().step(step("fail").as("a").retry(5, null)).build());

      assertThat(record.step("a").orElseThrow().attempts()).isEqualTo(1);
      assertThat(status(record, "a")).isEqualTo(StepStatus.FAILED);
    }

    @Test
    void terminalErrorEndsTheStepAtOnce() {
      PromotionRecord record = run(plan().step(step("terminal").as("a").retry(5, null)).build());

      StepRecord a = record.step("a").orElseThrow();
      assertThat(a.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(a.attempts()).isEqualTo(1);
      assertThat(a.message()).isEqualTo("step \"a\": cannot go on");
    }

    @Test
    void retryableErrorsCountTowardTheThreshold() {
      PromotionRecord record = run(plan().step(step("boom").as("a").retry(3, null).config("message", "flaky api")).build());

      StepRecord a = record.step("a").orElseThrow();
      assertThat(a.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(a.attempts()).isEqualTo(3);
      assertThat(a.message()).isEqualTo("step \"a\" met error threshold of 3: flaky api");
    }

    @Test
    void errorThresholdDefaultsToOne() {
      PromotionRecord record = run(plan().step(step("boom").as("a")).build());

      assertThat(record.step("a").orElseThrow().attempts()).isEqualTo(1);
      assertThat(record.step("a").orElseThrow().message()).isEqualTo("step \"a\" met error threshold of 1: boom");
    }

    @Test
    void errorThresholdZeroMeansTheStepsDefault() {
      StepRegistry registry = StepRegistry.builder()
          .register("boom", ctx -> {
            throw new io.promokit.StepException("nope");
          }, StepOptions.builder().defaultErrorThreshold(4).build())
          .build();
      PromotionRecord record = sequence(plan().step(step("boom").as("a").retry(0, null)).build())
          .registry(registry).build().run();

      assertThat(record.step("a").orElseThrow().attempts()).isEqualTo(4);
    }

    @Test
    void runningResetsTheConsecutiveErrorCount() {
      // errors: 1, running, 2 (would reach a threshold of 2 if the count were not reset), running, succeed
      int[] calls = {0};
      StepRegistry registry = StepRegistry.builder().register("mixed", ctx -> {
        calls[0]++;
        return switch (calls[0]) {
          case 1, 3 -> throw new io.promokit.StepException("error " + calls[0]);
          case 2, 4 -> StepResult.running(Duration.ofMillis(1));
          default -> StepResult.succeeded();
        };
      }).build();
      PromotionRecord record = sequence(plan().step(step("mixed").as("a").retry(2, null)).build())
          .registry(registry).build().run();

      assertThat(status(record, "a")).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(record.step("a").orElseThrow().attempts()).isEqualTo(5);
    }

    @Test
    void runningIsInvokedAgainAfterItsDelay() {
      PromotionRecord record = run(plan().step(step("poll").as("a").config("polls", 3)).build());

      StepRecord a = record.step("a").orElseThrow();
      assertThat(a.status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(a.attempts()).isEqualTo(3);
      assertThat(a.outputs()).isEqualTo(Map.of("attempt", 3L));
    }

    @Test
    void outputsReplaceTheAliasEntryAfterEveryAttempt() {
      PromotionRecord record = run(plan()
          .step(step("ok").as("a").config("v", 1))
          .step(step("ok").as("b").config("fromA", "${{ outputs.a.v + 1 }}"))
          .build());

      assertThat(record.outputs()).containsEntry("a", Map.of("v", 1L)).containsEntry("b", Map.of("fromA", 2L));
      assertThat(record.step("b").orElseThrow().config()).isEqualTo(Map.of("fromA", 2L));
    }
  }

  @Nested
  class FinalPhase {

    @Test
    void thePhaseIsTheWorstStatusAndTheMessageIsTheFirstStepsWithIt() {
      PromotionRecord record = run(plan()
          .step(step("fail").as("a").config("message", "first"))
          .step(step("boom").as("b").when("${{ always() }}").config("message", "second"))
          .step(step("boom").as("c").when("${{ always() }}").config("message", "third"))
          .build());

      assertThat(record.phase()).isEqualTo(PromotionPhase.ERRORED);
      assertThat(record.message()).isEqualTo("step \"b\" met error threshold of 1: second");
    }

    @Test
    void continueOnErrorStepsDoNotChangeThePhase() {
      PromotionRecord record = run(plan()
          .step(step("boom").as("a").continueOnError())
          .step(step("ok").as("b"))
          .build());

      assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
      assertThat(record.message()).isEmpty();
    }

    @Test
    void skippedStepsStillSucceed() {
      PromotionRecord record = run(plan().step(step("ok").as("a").when("${{ false }}")).build());

      assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    }
  }

  @Nested
  class KargoConditionalExamples {

    @Test
    void allSucceed() {
      PromotionRecord record = run(plan()
          .step(step("ok").as("some-step"))
          .step(step("ok").as("some-other-step").when("${{ always() }}"))
          .step(step("ok").as("and-another-step").when("${{ failure() }}"))
          .step(step("ok").as("yet-another-step").when("${{ success() }}"))
          .build());

      assertThat(statuses(record)).containsExactly(
          StepStatus.SUCCEEDED, StepStatus.SUCCEEDED, StepStatus.SKIPPED, StepStatus.SUCCEEDED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    }

    @Test
    void firstFails() {
      PromotionRecord record = run(plan()
          .step(step("fail").as("some-step"))
          .step(step("ok").as("some-other-step").when("${{ always() }}"))
          .step(step("ok").as("and-another-step").when("${{ failure() }}"))
          .step(step("ok").as("yet-another-step").when("${{ success() }}"))
          .build());

      assertThat(statuses(record)).containsExactly(
          StepStatus.FAILED, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED, StepStatus.SKIPPED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.FAILED);
    }

    @Test
    void statusOfAnErroredStep() {
      PromotionRecord record = run(plan()
          .step(step("boom").as("my-step"))
          .step(step("ok").as("some-other-step").when("${{ always() }}"))
          .step(step("ok").as("and-another-step").when("${{ failure() }}"))
          .step(step("ok").as("yet-another-step").when("${{ status('my-step') == 'Errored' }}"))
          .build());

      assertThat(statuses(record)).containsExactly(
          StepStatus.ERRORED, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.ERRORED);
    }

    @Test
    void continueOnErrorHidesAFailure() {
      PromotionRecord record = run(plan()
          .step(step("fail").as("some-step").continueOnError())
          .step(step("ok").as("some-other-step").when("${{ always() }}"))
          .step(step("ok").as("and-another-step").when("${{ failure() }}"))
          .step(step("ok").as("yet-another-step").when("${{ success() }}"))
          .build());

      assertThat(statuses(record)).containsExactly(
          StepStatus.FAILED, StepStatus.SUCCEEDED, StepStatus.SKIPPED, StepStatus.SUCCEEDED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    }

    @Test
    void defaultIfRunsAfterAContinueOnErrorFailure() {
      PromotionRecord record = run(plan()
          .step(step("ok").as("some-step"))
          .step(step("fail").as("some-other-step").continueOnError())
          .step(step("ok").as("and-another-step"))
          .step(step("ok").as("yet-another-step"))
          .build());

      assertThat(statuses(record)).containsExactly(
          StepStatus.SUCCEEDED, StepStatus.FAILED, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    }
  }

  @Nested
  class Conditions {

    @Test
    void statusReportsTheRealStatusOfContinueOnErrorSteps() {
      PromotionRecord record = run(plan()
          .step(step("fail").as("a").continueOnError())
          .step(step("ok").as("b").config("s", "${{ status('a') }}"))
          .build());

      assertThat(record.step("b").orElseThrow().config()).isEqualTo(Map.of("s", "Failed"));
    }

    @Test
    void statusOfAnUnknownAliasIsEmpty() {
      PromotionRecord record = run(plan().step(step("ok").as("a").config("s", "${{ status('nope') == '' }}")).build());

      assertThat(record.step("a").orElseThrow().config()).isEqualTo(Map.of("s", true));
    }

    @Test
    void statusLooksInTheStepsOwnTaskNamespace() {
      PromotionRecord record = run(plan()
          .step(step("fail").as("check").continueOnError())
          .step(step("ok").as("check").inTask("t", "task-2"))
          .step(step("ok").as("read").inTask("t", "task-2").config("s", "${{ status('check') }}"))
          .step(step("ok").as("top").config("s", "${{ status('check') }}"))
          .build());

      assertThat(record.step("task-2::read").orElseThrow().config()).isEqualTo(Map.of("s", "Succeeded"));
      assertThat(record.step("top").orElseThrow().config()).isEqualTo(Map.of("s", "Failed"));
    }

    @Test
    void failureSeesFailuresAcrossTheWholePromotionIncludingTasks() {
      PromotionRecord record = run(plan()
          .step(step("fail").as("inner").inTask("t", "task-1"))
          .step(step("ok").as("after").when("${{ failure() }}"))
          .build());

      assertThat(status(record, "after")).isEqualTo(StepStatus.SUCCEEDED);
    }

    @Test
    void statusFunctionsAreNotAvailableInVars() {
      PromotionRecord record = run(plan().step(step("ok").as("a").var("f", "${{ failure() }}")).build());

      assertThat(status(record, "a")).isEqualTo(StepStatus.ERRORED);
      assertThat(record.step("a").orElseThrow().message()).startsWith("step \"a\": vars.f: ");
    }
  }

  @Nested
  class Variables {

    @Test
    void globalVarsAreEvaluatedInOrderAndAForwardReferenceIsNull() {
      PromotionRecord record = run(plan()
          .var("a", "${{ vars.b }}")
          .var("b", "two")
          .var("c", "${{ vars.b + '!' }}")
          .step(step("ok").as("s").config("a", "${{ vars.a }}").config("c", "${{ vars.c }}"))
          .build());

      assertThat(record.step("s").orElseThrow().config()).containsEntry("a", null).containsEntry("c", "two!");
      assertThat(record.vars()).containsEntry("b", "two").containsEntry("c", "two!");
    }

    @Test
    void stepVarsOverrideGlobalVarsAndSeeOutputs() {
      PromotionRecord record = run(plan()
          .var("env", "staging")
          .step(step("ok").as("a").config("tag", "v1"))
          .step(step("ok").as("b").var("env", "prod").var("tag", "${{ outputs.a.tag }}")
              .config("where", "${{ vars.env }}-${{ vars.tag }}"))
          .step(step("ok").as("c").config("where", "${{ vars.env }}"))
          .build());

      assertThat(record.step("b").orElseThrow().config()).isEqualTo(Map.of("where", "prod-v1"));
      assertThat(record.step("c").orElseThrow().config()).isEqualTo(Map.of("where", "staging"));
    }

    @Test
    void varsAreNotPassedToSteps() {
      run(plan().var("secret", "x").step(step("ok").as("a").var("own", "y").config("k", "v")).build());

      assertThat(steps.invocations.get("a")).containsExactly(Map.of("k", "v"));
    }

    @Test
    void valuesWithoutDelimitersStayStrings() {
      PromotionRecord record = run(plan().var("n", "42").step(step("ok").as("a").config("n", "${{ vars.n }}").config("raw", "42")).build());

      assertThat(record.vars()).containsEntry("n", "42");
      assertThat(record.step("a").orElseThrow().config()).containsEntry("n", 42L).containsEntry("raw", "42");
    }

    @Test
    void ctxHoldsThePromotionsContext() {
      PromotionRecord record = run(plan().step(step("ok").as("a")
          .config("where", "${{ ctx.project }}/${{ ctx.stage }}/${{ ctx.promotion }}")
          .config("who", "${{ ctx.meta.promotion.actor }}")
          .config("me", "${{ ctx.meta.step.alias }}")).build());

      assertThat(record.step("a").orElseThrow().config())
          .containsEntry("where", "shop/prod/promo-1").containsEntry("who", "alice").containsEntry("me", "a");
    }

    @Test
    void taskStepsReadTheirSiblingsThroughTaskOutputs() {
      PromotionRecord record = run(plan()
          .step(step("ok").as("first").inTask("t", "deploy").config("v", "x"))
          .step(step("ok").as("second").inTask("t", "deploy").config("read", "${{ task.outputs.first.v }}"))
          .build());

      assertThat(record.step("deploy::second").orElseThrow().config()).isEqualTo(Map.of("read", "x"));
    }
  }

  @Nested
  class Tasks {

    @Test
    void composeOutputInsideATaskMergesIntoTheTaskAlias() {
      PromotionRecord record = run(plan()
          .step(step("compose-output").as("out1").inTask("t", "my-task").config("commit", "abc"))
          .step(step("compose-output").as("out2").inTask("t", "my-task").config("branch", "main"))
          .step(step("ok").as("after").config("read", "${{ outputs['my-task'].commit }}@${{ outputs['my-task'].branch }}"))
          .build());

      assertThat(record.outputs().get("my-task")).isEqualTo(Map.of("commit", "abc", "branch", "main"));
      assertThat(record.step("after").orElseThrow().config()).isEqualTo(Map.of("read", "abc@main"));
      assertThat(record.step("my-task::out1").orElseThrow().task()).isEqualTo("t");
    }
  }

  @Nested
  class Abort {

    @Test
    void abortFromAnotherThreadStopsTheRunningStepAndSkipsTheRest() throws Exception {
      PromotionExecution execution = sequence(plan()
          .step(step("block").as("a"))
          .step(step("ok").as("b").when("${{ always() }}"))
          .build()).build().start();
      assertThat(steps.blocking.await(10, TimeUnit.SECONDS)).isTrue();

      execution.abort();
      PromotionRecord record = execution.await();

      assertThat(statuses(record)).containsExactly(StepStatus.ABORTED, StepStatus.SKIPPED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.ABORTED);
      assertThat(record.message()).isEqualTo("step \"a\" was aborted");
    }

    @Test
    void gracefulAbortStillRunsAlwaysAndFailureSteps() throws Exception {
      PromotionExecution execution = sequence(plan()
          .step(step("block").as("a"))
          .step(step("ok").as("next"))
          .step(step("ok").as("cleanup").when("${{ always() }}"))
          .step(step("ok").as("on-failure").when("${{ failure() }}"))
          .step(step("ok").as("on-success").when("${{ success() }}"))
          .build()).build().start();
      assertThat(steps.blocking.await(10, TimeUnit.SECONDS)).isTrue();

      execution.abortGracefully();
      PromotionRecord record = execution.await();

      assertThat(statuses(record)).containsExactly(
          StepStatus.ABORTED, StepStatus.SKIPPED, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED, StepStatus.SKIPPED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.ABORTED);
    }

    @Test
    void abortBeforeTheFirstStepSkipsEveryStepAndTheRunIsAborted() throws Exception {
      Pause pause = Pause.whenPromotionStarts();
      PromotionExecution execution = sequence(plan()
          .step(step("ok").as("a"))
          .step(step("ok").as("cleanup").when("${{ always() }}"))
          .build()).listener(pause).build().start();
      pause.reached();

      execution.abort();
      pause.release();
      PromotionRecord record = execution.await();

      assertThat(statuses(record)).containsExactly(StepStatus.SKIPPED, StepStatus.SKIPPED);
      assertThat(record.step("a").orElseThrow().message()).isEqualTo("not run: the promotion was aborted");
      assertThat(record.phase()).isEqualTo(PromotionPhase.ABORTED);
      assertThat(record.message()).isEqualTo("the promotion was aborted before step \"a\" started");
    }

    @Test
    void abortBetweenStepsSkipsTheRestAndTheRunIsAborted() throws Exception {
      Pause pause = Pause.whenStepFinishes("a");
      PromotionExecution execution = sequence(plan()
          .step(step("ok").as("a"))
          .step(step("ok").as("b"))
          .step(step("ok").as("cleanup").when("${{ always() }}"))
          .build()).listener(pause).build().start();
      pause.reached();

      execution.abort();
      pause.release();
      PromotionRecord record = execution.await();

      assertThat(statuses(record)).containsExactly(StepStatus.SUCCEEDED, StepStatus.SKIPPED, StepStatus.SKIPPED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.ABORTED);
      assertThat(record.message()).isEqualTo("the promotion was aborted before step \"b\" started");
    }

    @Test
    void gracefulAbortBetweenStepsStillRunsAlwaysAndFailureSteps() throws Exception {
      Pause pause = Pause.whenStepFinishes("a");
      PromotionExecution execution = sequence(plan()
          .step(step("ok").as("a"))
          .step(step("ok").as("next"))
          .step(step("ok").as("cleanup").when("${{ always() }}"))
          .step(step("ok").as("on-failure").when("${{ failure() }}"))
          .step(step("ok").as("on-success").when("${{ success() }}"))
          .build()).listener(pause).build().start();
      pause.reached();

      execution.abortGracefully();
      pause.release();
      PromotionRecord record = execution.await();

      assertThat(statuses(record)).containsExactly(StepStatus.SUCCEEDED, StepStatus.SKIPPED, StepStatus.SUCCEEDED,
          StepStatus.SUCCEEDED, StepStatus.SKIPPED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.ABORTED);
      assertThat(record.message()).isEqualTo("the promotion was aborted before step \"next\" started");
    }

    @Test
    void gracefulAbortBeforeOnlyCleanUpStepsStillMakesTheRunAborted() throws Exception {
      Pause pause = Pause.whenStepFinishes("a");
      PromotionExecution execution = sequence(plan()
          .step(step("ok").as("a"))
          .step(step("ok").as("cleanup").when("${{ always() }}"))
          .build()).listener(pause).build().start();
      pause.reached();

      execution.abortGracefully();
      pause.release();
      PromotionRecord record = execution.await();

      assertThat(statuses(record)).containsExactly(StepStatus.SUCCEEDED, StepStatus.SUCCEEDED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.ABORTED);
      assertThat(record.message()).isEqualTo("the promotion was aborted before step \"cleanup\" started");
    }

    @Test
    void anAbortAfterTheLastStepChangesNothing() throws Exception {
      Pause pause = Pause.whenStepFinishes("a");
      PromotionExecution execution = sequence(plan().step(step("ok").as("a")).build()).listener(pause).build().start();
      pause.reached();

      execution.abort();
      pause.release();
      PromotionRecord record = execution.await();

      assertThat(statuses(record)).containsExactly(StepStatus.SUCCEEDED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    }

    @Test
    void abortingAWaitingPromotionFromItsRecord() {
      PromotionSequence sequence = sequence(plan()
          .step(step("wait-later").as("a"))
          .step(step("ok").as("cleanup").when("${{ always() }}"))
          .build()).build();
      PromotionRecord waiting = sequence.runUntilWaiting();

      PromotionRecord record = sequence.abort(waiting, true);

      assertThat(statuses(record)).containsExactly(StepStatus.ABORTED, StepStatus.SUCCEEDED);
      assertThat(record.phase()).isEqualTo(PromotionPhase.ABORTED);
    }
  }

  @Nested
  class Workdir {

    @Test
    void oneWorkdirIsSharedByAllStepsAndRemovedAtTheEnd() {
      List<Path> seen = new CopyOnWriteArrayList<>();
      StepRegistry registry = StepRegistry.builder().register("touch", ctx -> {
        seen.add(ctx.workdir());
        Files.writeString(ctx.workdir().resolve(ctx.alias()), "x");
        return StepResult.succeeded(Map.of("files", Files.list(ctx.workdir()).count()));
      }).build();
      PromotionRecord record = sequence(plan().step(step("touch").as("a")).step(step("touch").as("b")).build())
          .registry(registry).build().run();

      assertThat(seen).hasSize(2).allMatch(p -> p.equals(seen.get(0)));
      assertThat(record.outputs().get("b")).isEqualTo(Map.of("files", 2L));
      assertThat(seen.get(0)).doesNotExist();
      assertThat(record.workdir()).isEqualTo(seen.get(0).toString());
    }

    @Test
    void theWorkdirIsKeptWhenAsked() {
      PromotionRecord record = sequence(plan().step(step("ok").as("a")).build()).keepWorkdir(true).build().run();

      assertThat(Path.of(record.workdir())).isDirectory();
    }

    @Test
    void aWorkdirGivenByTheHostIsUsedAndNeverRemoved(@TempDir Path dir) {
      Path given = dir.resolve("work");
      PromotionRecord record = sequence(plan().step(step("ok").as("a")).build()).workdir(given).build().run();

      assertThat(given).isDirectory();
      assertThat(record.workdir()).isEqualTo(given.toString());
    }
  }

  @Nested
  class Resume {

    @Test
    void aWaitingPromotionReturnsInNonBlockingModeAndResumesFromItsJsonRecord() {
      PromotionPlan plan = plan()
          .step(step("ok").as("a").config("v", 1))
          .step(step("wait-later").as("b"))
          .step(step("ok").as("c").config("fromA", "${{ outputs.a.v }}"))
          .build();
      PromotionRecord waiting = sequence(plan).build().runUntilWaiting();

      assertThat(waiting.phase()).isEqualTo(PromotionPhase.RUNNING);
      assertThat(statuses(waiting)).containsExactly(StepStatus.SUCCEEDED, StepStatus.RUNNING, StepStatus.PENDING);
      StepRecord b = waiting.step("b").orElseThrow();
      assertThat(b.nextAttemptAt()).isAfter(Instant.now().plus(Duration.ofMinutes(30)));
      assertThat(waiting.nextDueAt()).contains(b.nextAttemptAt());
      assertThat(Path.of(waiting.workdir())).isDirectory();

      String json = waiting.toJson();
      assertThat(json).contains("\"nextDueAt\" : \"" + b.nextAttemptAt() + "\"");
      assertThat(PromotionRecord.fromJson(json).nextDueAt()).contains(b.nextAttemptAt());
      TestSteps fresh = new TestSteps();
      PromotionSequence second = engines.promotion(plan).registry(fresh.registry())
          .context(PromotionContext.builder().promotion("promo-1").build()).build();

      // Not due yet: the record comes back unchanged.
      PromotionRecord notYet = second.resumeUntilWaiting(PromotionRecord.fromJson(json));
      assertThat(notYet.step("b").orElseThrow().attempts()).isEqualTo(1);
      assertThat(fresh.count("b")).isZero();

      // Due (the host's scheduler decides so by editing nothing but the time): resume runs b again.
      PromotionRecord due = withNextAttemptNow(PromotionRecord.fromJson(json), "b");
      PromotionRecord done = second.resume(due);

      assertThat(done.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
      assertThat(done.nextDueAt()).isEmpty();
      assertThat(done.toJson()).doesNotContain("nextDueAt");
      assertThat(fresh.count("a")).isZero();
      assertThat(done.step("b").orElseThrow().attempts()).isEqualTo(2);
      assertThat(done.step("b").orElseThrow().startedAt()).isEqualTo(b.startedAt());
      assertThat(done.step("b").orElseThrow().outputs()).isEqualTo(Map.of("startedAt", b.startedAt().toString()));
      assertThat(done.step("c").orElseThrow().config()).isEqualTo(Map.of("fromA", 1L));
    }

    @Test
    void aStepSeesItsOwnLastNonEmptyOutputsAcrossPollsAndErrors() {
      List<Map<String, Object>> seen = new CopyOnWriteArrayList<>();
      StepRegistry registry = StepRegistry.builder().register("open-pr", ctx -> {
        seen.add(ctx.previousOutputs());
        return switch (ctx.attempt()) {
          case 1 -> StepResult.running(Duration.ZERO, Map.of("pr", 1), "waiting");
          case 2 -> throw io.promokit.StepException.retryAfter("api down", Duration.ZERO);
          case 3 -> throw io.promokit.StepException.retryAfter("api down", Duration.ZERO).withOutputs(Map.of("pr", 3));
          default -> StepResult.succeeded(Map.of("pr", 4));
        };
      }).build();

      PromotionRecord record = engines.promotion(plan().step(step("open-pr").as("pr").retry(5, null)).build())
          .registry(registry).build().run();

      assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
      // An attempt that errors without outputs keeps the earlier ones; one that errors with outputs replaces them.
      assertThat(seen).containsExactly(Map.of(), Map.of("pr", 1), Map.of("pr", 1), Map.of("pr", 3));
      assertThat(record.step("pr").orElseThrow().previousOutputs()).isNull();
    }

    @Test
    void aStepsPreviousOutputsSurviveAResumeFromTheJsonRecordAfterAnError() {
      List<Map<String, Object>> seen = new CopyOnWriteArrayList<>();
      StepRegistry registry = StepRegistry.builder().register("open-pr", ctx -> {
        seen.add(ctx.previousOutputs());
        return switch (ctx.attempt()) {
          case 1 -> StepResult.running(Duration.ofHours(1), Map.of("pr", Map.of("id", 42)), "checks pending");
          case 2 -> throw io.promokit.StepException.retryAfter("provider down", Duration.ofHours(1));
          default -> StepResult.succeeded(ctx.previousOutputs());
        };
      }).build();
      PromotionPlan plan = plan().step(step("open-pr").as("pr").retry(5, null)).build();
      PromotionSequence sequence = engines.promotion(plan).registry(registry)
          .context(PromotionContext.builder().promotion("promo-pr").build()).build();

      PromotionRecord afterPoll = sequence.runUntilWaiting();
      PromotionRecord afterError = sequence.resumeUntilWaiting(
          PromotionRecord.fromJson(withNextAttemptNow(afterPoll, "pr").toJson()));
      StepRecord errored = afterError.step("pr").orElseThrow();
      assertThat(errored.outputs()).isEmpty();
      assertThat(errored.previousOutputs()).isEqualTo(Map.of("pr", Map.of("id", 42L)));
      assertThat(afterError.toJson()).contains("\"previousOutputs\" : {");

      PromotionRecord done = sequence.resume(PromotionRecord.fromJson(withNextAttemptNow(afterError, "pr").toJson()));

      assertThat(done.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
      assertThat(seen).containsExactly(Map.of(), Map.of("pr", Map.of("id", 42L)), Map.of("pr", Map.of("id", 42L)));
      assertThat(done.step("pr").orElseThrow().outputs()).isEqualTo(Map.of("pr", Map.of("id", 42L)));
    }

    @Test
    void aRecordOfAnotherTemplateIsRefused() {
      PromotionRecord waiting = sequence(plan().step(step("wait-later").as("b")).build()).build().runUntilWaiting();
      PromotionSequence other = sequence(plan().step(step("ok").as("x")).build()).build();

      assertThatThrownBy(() -> other.resume(waiting))
          .isInstanceOf(PromotionException.class)
          .hasMessage("the record does not match the template: it has steps [b], the template has [x]");
    }

    private PromotionRecord withNextAttemptNow(PromotionRecord r, String alias) {
      List<StepRecord> changed = new ArrayList<>();
      for (StepRecord s : r.steps()) {
        changed.add(!s.alias().equals(alias) ? s : s.toBuilder().nextAttemptAt(Instant.now()).build());
      }
      return r.toBuilder().steps(changed).build();
    }
  }

  @Nested
  class Listeners {

    @Test
    void listenersSeeEveryEventInOrder() {
      List<String> events = new CopyOnWriteArrayList<>();
      StepRegistry registry = StepRegistry.builder()
          .register("talk", ctx -> {
            ctx.log().line(LogStream.STDOUT, "hello from " + ctx.alias());
            return StepResult.succeeded();
          })
          .build();
      PromotionListener listener = new PromotionListener() {
        @Override
        public void promotionStarted(PromotionStarted e) {
          events.add("promotion started " + e.aliases());
        }

        @Override
        public void stepStarted(StepStarted e) {
          events.add("started " + e.alias() + " #" + e.attempt());
        }

        @Override
        public void logLine(LogLine e) {
          events.add("log " + e.alias() + " " + e.stream() + " " + e.text());
        }

        @Override
        public void stepFinished(StepFinished e) {
          events.add("finished " + e.alias() + " " + e.status() + " done=" + e.done());
        }

        @Override
        public void promotionFinished(PromotionFinished e) {
          events.add("promotion finished " + e.record().phase());
        }
      };
      sequence(plan().step(step("talk").as("a")).step(step("talk").as("b").when("${{ false }}")).build())
          .registry(registry).listener(listener).build().run();

      assertThat(events).containsExactly(
          "promotion started [a, b]",
          "started a #1",
          "log a STDOUT hello from a",
          "finished a Succeeded done=true",
          "finished b Skipped done=true",
          "promotion finished Succeeded");
    }

    @Test
    void aFailingListenerDoesNotStopThePromotion() {
      PromotionRecord record = sequence(plan().step(step("ok").as("a")).build())
          .listener(new PromotionListener() {
            @Override
            public void stepStarted(StepStarted e) {
              throw new IllegalStateException("listener bug");
            }
          }).build().run();

      assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    }
  }

  /** Holds the run's thread at one event until the test releases it, so an abort lands exactly there. */
  private static final class Pause implements PromotionListener {
    private final String afterStep;
    private final java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

    private Pause(String afterStep) {
      this.afterStep = afterStep;
    }

    static Pause whenPromotionStarts() {
      return new Pause(null);
    }

    static Pause whenStepFinishes(String alias) {
      return new Pause(alias);
    }

    @Override
    public void promotionStarted(PromotionStarted event) {
      if (afterStep == null) {
        hold();
      }
    }

    @Override
    public void stepFinished(StepFinished event) {
      if (event.alias().equals(afterStep)) {
        hold();
      }
    }

    private void hold() {
      reached.countDown();
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void reached() throws InterruptedException {
      assertThat(reached.await(10, TimeUnit.SECONDS)).as("the run reached the pause").isTrue();
    }

    void release() {
      released.countDown();
    }
  }
}
