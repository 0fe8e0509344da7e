package io.promokit.steps.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepStatus;
import io.promokit.testkit.gitops.FakePullRequest;
import io.promokit.testkit.gitops.GitProviderFake;
import io.promokit.testkit.gitops.GitProviderFake.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * git-open-pr, git-wait-for-pr and git-merge-pr against a stateful fake of every provider: the pull request is
 * opened from a real branch of a real repository, the fake merges with real git, and the steps read what it did.
 */
class PullRequestStepsTest {

  @TempDir
  Path tmp;

  @ParameterizedTest
  @EnumSource(Kind.class)
  void opensAPullRequestThenWaitsUntilSomeoneMergesIt(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.fake.createLabel(f.repoName, "promotion");
      f.fake.createLabel(f.repoName, "prod");
      String head = f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2\n\nImage tag v2.0.0 for prod.", "v2.0.0");
      GitSteps steps = f.steps();

      GitFixture.Attempt open = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42",
          "labels", List.of("promotion", "prod")));

      assertThat(open.status()).as(open.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(open.outputs()).isEqualTo(Map.of("pr", Map.of("id", 1L, "url", f.pullRequestUrl(1))));
      FakePullRequest pr = f.fake.pullRequest(f.repoName, 1);
      assertThat(pr.title()).isEqualTo("Promote shop to v2");
      assertThat(pr.description()).isEqualTo("\nImage tag v2.0.0 for prod.");
      assertThat(pr.sourceBranch()).isEqualTo("kargo/promotion/prod-42");
      assertThat(pr.targetBranch()).isEqualTo("main");
      assertThat(pr.headSha()).isEqualTo(head);
      assertThat(pr.labels()).isEqualTo(kind == Kind.BITBUCKET ? List.of() : List.of("promotion", "prod"));
      if (kind == Kind.BITBUCKET) {
        assertThat(open.context().lines()).contains("INFO: Bitbucket Cloud pull requests have no labels; ignoring [promotion, prod]");
      }

      GitFixture.Attempt waiting = f.run(steps, "git-wait-for-pr", f.prConfig(1));

      assertThat(waiting.status()).as(waiting.toString()).isEqualTo(StepStatus.RUNNING);
      assertThat(waiting.result().retryAfter()).contains(Duration.ofSeconds(30));
      assertThat(waiting.outputs()).isEqualTo(Map.of("pr", Map.of("id", 1L, "url", f.pullRequestUrl(1), "open", true,
          "merged", false)));
      assertThat(f.run(steps, "git-wait-for-pr", f.prConfig(1, "pollInterval", "90s")).result().retryAfter())
          .contains(Duration.ofSeconds(90));

      String mergeCommit = f.fake.mergePullRequest(f.repoName, 1);
      GitFixture.Attempt merged = f.run(steps, "git-wait-for-pr", f.prConfig(1));

      assertThat(merged.status()).as(merged.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(merged.outputs()).isEqualTo(Map.of("pr", Map.of("id", 1L, "url", f.pullRequestUrl(1), "open", false,
          "merged", true), "commit", mergeCommit));
      assertThat(f.repo.head("main")).contains(mergeCommit);
      assertThat(f.repo.readFile("main", "apps/shop/values.yaml")).contains("image:\n  tag: v2.0.0\n");
      assertThat(f.scratchLeftovers()).as("the clone and askpass helper are gone").isEmpty();
    }
  }
}
