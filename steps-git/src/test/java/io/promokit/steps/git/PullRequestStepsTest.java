package io.promokit.steps.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepStatus;
import io.promokit.testkit.gitops.FakePullRequest;
import io.promokit.testkit.gitops.GitProviderFake.Kind;
import io.promokit.testkit.gitops.GitProviderFake;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
      for (GitFixture.Attempt attempt : List.of(open, waiting, merged)) {
        assertThat(attempt.context().lines()).as("the token is never logged")
            .noneMatch(line -> line.contains(f.fake.token()));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void neverOpensASecondPullRequest(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      GitSteps steps = f.steps();
      GitFixture.Attempt first = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42"));
      int requestsAfterFirst = f.fake.requests().size();

      // A retry that kept the first attempt's output: Kargo's shared state, no call to the host at all.
      GitFixture.Attempt retried = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42"),
          first.outputs());
      // A retry that lost it: the open pull request showing the branch's head is adopted.
      GitFixture.Attempt adopted = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42"));

      assertThat(first.status()).as(first.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(retried.status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(retried.outputs()).isEqualTo(first.outputs());
      assertThat(adopted.status()).as(adopted.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(adopted.outputs()).isEqualTo(first.outputs());
      assertThat(adopted.context().lines()).contains("INFO: pull request 1 (open) already shows kargo/promotion/prod-42 at "
          + f.repo.head("kargo/promotion/prod-42").orElseThrow() + ": " + f.pullRequestUrl(1));
      assertThat(f.fake.requests().subList(requestsAfterFirst, f.fake.requests().size()))
          .as("the retries opened nothing").noneMatch(r -> r.method().equals("POST"));
      assertThat(f.fake.pullRequests(f.repoName)).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void adoptsAPullRequestAlreadyMergedButNotOneClosedUnmerged(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "by hand");
      f.fake.mergePullRequest(f.repoName, number);
      f.promotionBranch("kargo/promotion/prod-43", "Promote shop to v3", "v3.0.0");
      long closed = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-43", "main", "closed by hand");
      f.fake.closePullRequest(f.repoName, closed);
      GitSteps steps = f.steps();

      GitFixture.Attempt merged = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42"));
      GitFixture.Attempt reopened = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-43"));

      assertThat(merged.status()).as(merged.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(merged.outputs()).isEqualTo(Map.of("pr", Map.of("id", number, "url", f.pullRequestUrl(number))));
      assertThat(reopened.status()).as(reopened.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(reopened.outputs()).isEqualTo(Map.of("pr", Map.of("id", 3L, "url", f.pullRequestUrl(3))));
      assertThat(f.fake.pullRequests(f.repoName)).extracting(FakePullRequest::state).containsExactly(
          FakePullRequest.State.MERGED, FakePullRequest.State.CLOSED, FakePullRequest.State.OPEN);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void skipsWhenThereIsNothingToMergeAndErrsWithoutTheTargetBranch(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.repo.createBranch("kargo/promotion/same", "main");
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      GitSteps steps = f.steps();

      GitFixture.Attempt same = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/same"));
      GitFixture.Attempt noTarget = f.run(steps, "git-open-pr", PullRequestFixture.with(
          f.openConfig("kargo/promotion/prod-42"), "targetBranch", "stage/prod"));

      assertThat(same.status()).as(same.toString()).isEqualTo(StepStatus.SKIPPED);
      assertThat(same.outputs()).isEmpty();
      assertThat(same.message()).isEqualTo("nothing to merge: kargo/promotion/same and main have the same files");
      assertThat(noTarget.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(noTarget.message()).isEqualTo("target branch \"stage/prod\" does not exist");
      assertThat(noTarget.error().isTerminal()).isFalse();
      assertThat(f.fake.pullRequests(f.repoName)).isEmpty();
      assertThat(f.scratchLeftovers()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void waitingFailsWhenThePullRequestIsClosedWithoutAMerge(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "by hand");
      f.fake.closePullRequest(f.repoName, number);

      GitFixture.Attempt waited = f.run(f.steps(), "git-wait-for-pr", f.prConfig(number));

      assertThat(waited.status()).isEqualTo(StepStatus.FAILED);
      assertThat(waited.message()).isEqualTo("pull request 1 was closed without being merged");
      assertThat(waited.outputs()).isEqualTo(Map.of("pr", Map.of("id", 1L, "url", f.pullRequestUrl(1), "open", false,
          "merged", false)));
    }
  }

  @Test
  void insecureSkipTlsVerifyReachesEveryGitCallAndTheApiOfAHostWithASelfSignedCertificate() throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(Kind.GITEA, tmp, b -> b.https(true))) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      GitSteps steps = f.steps();

      GitFixture.Attempt verified = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42"));
      GitFixture.Attempt skipped = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42",
          "insecureSkipTLSVerify", true));
      GitFixture.Attempt merged = f.run(steps, "git-merge-pr", f.prConfig(1, "insecureSkipTLSVerify", true));

      assertThat(verified.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(verified.message()).startsWith("error cloning " + f.url + ": git clone exited with code 128: ")
          .contains("server certificate verification failed");
      assertThat(skipped.status()).as(skipped.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(skipped.outputs()).isEqualTo(Map.of("pr", Map.of("id", 1L, "url", f.pullRequestUrl(1))));
      assertThat(merged.status()).as(merged.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(f.fake.pullRequest(f.repoName, 1).state()).isEqualTo(FakePullRequest.State.MERGED);
      assertThat(f.scratchLeftovers()).isEmpty();
    }
  }

  /**
   * [ours] Every page of every list is read (the fake answers 2 items a page), and only the source branch's pull
   * requests count: another branch's pull request showing the same commit is never adopted (Gitea and Bitbucket
   * filter no branch on the host, and Kargo keeps any branch's there).
   */
  @ParameterizedTest
  @EnumSource(Kind.class)
  void readsEveryPageAndAdoptsOnlyTheSourceBranchsPullRequest(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      String head = f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      for (int i = 1; i <= 3; i++) {
        f.repo.git("branch", "kargo/promotion/prod-3" + i, head);
        f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-3" + i, "main", "other branch " + i);
      }
      for (int i = 1; i <= 3; i++) {
        f.fake.closePullRequest(f.repoName, f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main",
            "closed " + i));
      }
      long open = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "the open one");
      for (int i = 1; i <= 5; i++) {
        f.fake.createLabel(f.repoName, "label-" + i);
      }
      GitSteps steps = f.steps();

      GitFixture.Attempt adopted = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42"));

      assertThat(adopted.status()).as(adopted.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(adopted.outputs()).isEqualTo(Map.of("pr", Map.of("id", open, "url", f.pullRequestUrl(open))));
      assertThat(f.fake.requests()).as("the list was read page by page")
          .filteredOn(r -> r.method().equals("GET") && r.path().matches(".*/(pulls|merge_requests|pullrequests)"))
          .hasSizeGreaterThanOrEqualTo(2);

      f.fake.closePullRequest(f.repoName, open);
      GitFixture.Attempt opened = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42",
          "labels", List.of("label-5")));

      assertThat(opened.status()).as(opened.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(opened.outputs()).isEqualTo(Map.of("pr", Map.of("id", open + 1, "url", f.pullRequestUrl(open + 1))));
      FakePullRequest pr = f.fake.pullRequest(f.repoName, open + 1);
      assertThat(pr.sourceBranch()).isEqualTo("kargo/promotion/prod-42");
      assertThat(pr.labels()).isEqualTo(kind == Kind.BITBUCKET ? List.of() : List.of("label-5"));
      assertThat(f.fake.pullRequests(f.repoName)).hasSize(8);
    }
  }
}
