package io.promokit.steps.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.BackoffPolicy;
import io.promokit.PromotionEngine;
import io.promokit.PromotionPhase;
import io.promokit.PromotionSequence;
import io.promokit.StepRegistry;
import io.promokit.StepStatus;
import io.promokit.documents.PromotionDocuments;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import io.promokit.testkit.gitops.GitProviderFake.ApiRequest;
import io.promokit.testkit.gitops.GitProviderFake.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pull-request steps in the real engine, stopped and resumed from the promotion record (as a host's
 * scheduler does, in another process): the host opened the pull request but its answer was lost (a 502 after
 * the work was done), so git-open-pr waited; the resumed promotion finds that pull request instead of opening a
 * second one, waits for it and ends with its merge commit.
 */
class PullRequestResumeTest {

  @TempDir
  Path tmp;

  private static final String TEMPLATE = """
      steps:
      - uses: git-open-pr
        as: open-pr
        config:
          repoURL: %1$s
          provider: %2$s
          sourceBranch: kargo/promotion/prod-42
          targetBranch: main
      - uses: git-wait-for-pr
        as: wait
        config:
          repoURL: %1$s
          provider: %2$s
          prNumber: ${{ outputs['open-pr'].pr.id }}
          pollInterval: 1s
      """;

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aResumedPromotionFindsThePullRequestWhoseAnswerWasLost(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp);
        PromotionEngine engine = PromotionEngine.builder()
            .registry(StepRegistry.builder().withBuiltins().register(f.steps().steps()).build())
            .backoff(BackoffPolicy.fixed(Duration.ofMillis(50)))
            .build()) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      PromotionSequence sequence = engine.sequence(PromotionDocuments.parse(
              TEMPLATE.formatted(f.url, kind.providerName()), "template.yaml").singleTemplate())
          .context(PullRequestFixture.PROMOTION)
          .workdir(f.workdir)
          .build();

      f.fake.failAfterHandlingNext("POST", 502);
      PromotionRecord stopped = sequence.runUntilWaiting();

      assertThat(stopped.phase()).as(stopped.toJson()).isEqualTo(PromotionPhase.RUNNING);
      StepRecord lost = stopped.step("open-pr").orElseThrow();
      assertThat(lost.status()).isEqualTo(StepStatus.RUNNING);
      assertThat(lost.message()).startsWith("error creating pull request: " + f.hostName() + " API: POST ")
          .contains(" answered 502 Bad Gateway: fake " + kind.providerName() + " failure 502 (the request was "
              + "carried out)").endsWith("; trying again later");
      assertThat(f.fake.pullRequests(f.repoName)).hasSize(1);

      // The host's scheduler resumes the promotion when the waiting step is due.
      sleepUntil(lost.nextAttemptAt());
      PromotionRecord resumed = sequence.resumeUntilWaiting(PromotionRecord.fromJson(stopped.toJson()));

      assertThat(resumed.phase()).as(resumed.toJson()).isEqualTo(PromotionPhase.RUNNING);
      StepRecord opened = resumed.step("open-pr").orElseThrow();
      assertThat(opened.status()).as(resumed.toJson()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(opened.attempts()).isEqualTo(2);
      assertThat(opened.outputs()).isEqualTo(Map.of("pr", Map.of("id", 1L, "url", f.pullRequestUrl(1))));
      assertThat(resumed.step("wait").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
      assertThat(f.fake.pullRequests(f.repoName)).hasSize(1);
      assertThat(f.fake.requests()).filteredOn(r -> r.method().equals("POST")).extracting(ApiRequest::status)
          .containsExactly(502);

      String merge = f.fake.mergePullRequest(f.repoName, 1);
      sleepUntil(resumed.step("wait").orElseThrow().nextAttemptAt());
      PromotionRecord done = sequence.resume(PromotionRecord.fromJson(resumed.toJson()));

      assertThat(done.phase()).as(done.toJson()).isEqualTo(PromotionPhase.SUCCEEDED);
      assertThat(done.step("wait").orElseThrow().outputs()).isEqualTo(Map.of("commit", merge,
          "pr", Map.of("id", 1L, "url", f.pullRequestUrl(1), "open", false, "merged", true)));
      assertThat(f.fake.pullRequests(f.repoName)).hasSize(1);
    }
  }

  private static void sleepUntil(Instant due) throws InterruptedException {
    Duration left = Duration.between(Instant.now(), due);
    if (!left.isNegative()) {
      Thread.sleep(left.toMillis() + 1);
    }
  }
}
