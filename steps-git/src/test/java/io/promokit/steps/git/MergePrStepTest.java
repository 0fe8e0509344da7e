package io.promokit.steps.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepStatus;
import io.promokit.testkit.gitops.CommitSpec;
import io.promokit.testkit.gitops.FakePullRequest;
import io.promokit.testkit.gitops.GitProviderFake.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** git-merge-pr against every provider's fake: merges that really merge, not ready, conflicts, refusals. */
class MergePrStepTest {

  @TempDir
  Path tmp;

  private static String squash(Kind kind) {
    return "squash";
  }

  private static String rebase(Kind kind) {
    return switch (kind) {
      case GITHUB, GITEA, AZURE -> "rebase";
      case BITBUCKET -> "rebase_fast_forward";
      case GITLAB -> throw new IllegalArgumentException("GitLab has no rebase method");
    };
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void mergesWithTheHostsDefaultAMergeCommit(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      String oldMain = f.repo.head("main").orElseThrow();
      String head = f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");

      GitFixture.Attempt merged = f.run(f.steps(), "git-merge-pr", f.prConfig(number));

      assertThat(merged.status()).as(merged.toString()).isEqualTo(StepStatus.SUCCEEDED);
      String commit = f.repo.head("main").orElseThrow();
      assertThat(merged.outputs()).isEqualTo(Map.of("commit", commit));
      assertThat(f.repo.parents(commit)).containsExactly(oldMain, head);
      assertThat(f.fake.pullRequest(f.repoName, number).state()).isEqualTo(FakePullRequest.State.MERGED);
      assertThat(f.fake.pullRequest(f.repoName, number).mergeCommitSha()).isEqualTo(commit);

      GitFixture.Attempt again = f.run(f.steps(), "git-merge-pr", f.prConfig(number));
      assertThat(again.status()).as("merging a merged pull request").isEqualTo(StepStatus.SUCCEEDED);
      assertThat(again.outputs()).isEqualTo(Map.of("commit", commit));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void squashesWithTheHostsSquashMethod(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      String oldMain = f.repo.head("main").orElseThrow();
      f.repo.commit(CommitSpec.on("kargo/promotion/prod-42").from("main").message("first").write("a.txt", "a\n"),
          CommitSpec.on("kargo/promotion/prod-42").message("second").write("b.txt", "b\n"));
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Two files");

      GitFixture.Attempt merged = f.run(f.steps(), "git-merge-pr", f.prConfig(number, "mergeMethod", squash(kind)));

      assertThat(merged.status()).as(merged.toString()).isEqualTo(StepStatus.SUCCEEDED);
      String commit = f.repo.head("main").orElseThrow();
      assertThat(merged.outputs()).isEqualTo(Map.of("commit", commit));
      assertThat(f.repo.files("main")).contains("a.txt", "b.txt");
      if (kind == Kind.GITLAB) {
        // GitLab squashes into one commit, then joins it with a merge commit.
        assertThat(f.repo.parents(commit)).hasSize(2).startsWith(oldMain);
        assertThat(f.repo.parents(f.repo.parents(commit).get(1))).hasSize(1);
      } else {
        assertThat(f.repo.parents(commit)).containsExactly(oldMain);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"GITHUB", "GITEA", "AZURE", "BITBUCKET"})
  void rebasesWithTheHostsRebaseMethod(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      String other = f.repo.commit("main", "unrelated change on main", Map.of("docs/notes.md", "notes\n"));
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");

      GitFixture.Attempt merged = f.run(f.steps(), "git-merge-pr", f.prConfig(number, "mergeMethod", rebase(kind)));

      assertThat(merged.status()).as(merged.toString()).isEqualTo(StepStatus.SUCCEEDED);
      String commit = f.repo.head("main").orElseThrow();
      assertThat(merged.outputs()).isEqualTo(Map.of("commit", commit));
      assertThat(f.repo.parents(commit)).containsExactly(other);
      assertThat(f.repo.messages("main").get(0)).isEqualTo("Promote shop to v2");
      assertThat(f.repo.readFile("main", "apps/shop/values.yaml")).contains("image:\n  tag: v2.0.0\n");
    }
  }

  @Test
  void gitLabTakesOnlyMergeAndSquash() throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(Kind.GITLAB, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");

      GitFixture.Attempt merged = f.run(f.steps(), "git-merge-pr", f.prConfig(number, "mergeMethod", "rebase"));

      assertThat(merged.status()).isEqualTo(StepStatus.FAILED);
      assertThat(merged.message()).isEqualTo(
          "error merging pull request 1: unsupported merge method \"rebase\" (GitLab takes merge or squash)");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aDraftIsNotReadyToMerge(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");
      f.fake.setDraft(f.repoName, number, true);
      GitSteps steps = f.steps();

      GitFixture.Attempt noWait = f.run(steps, "git-merge-pr", f.prConfig(number));
      GitFixture.Attempt waiting = f.run(steps, "git-merge-pr", f.prConfig(number, "wait", true));
      GitFixture.Attempt waitingLonger = f.run(steps, "git-merge-pr", f.prConfig(number, "wait", true,
          "pollInterval", "45s"));
      f.fake.setDraft(f.repoName, number, false);
      GitFixture.Attempt ready = f.run(steps, "git-merge-pr", f.prConfig(number, "wait", true));

      String why = kind == Kind.GITHUB ? "its mergeable_state is draft" : "it is a draft";
      assertThat(noWait.status()).isEqualTo(StepStatus.FAILED);
      assertThat(noWait.message()).isEqualTo("pull request 1 is not ready to merge and wait is disabled (" + why + ")");
      assertThat(waiting.status()).isEqualTo(StepStatus.RUNNING);
      assertThat(waiting.result().retryAfter()).contains(Duration.ofSeconds(10));
      assertThat(waiting.outputs()).isEmpty();
      assertThat(waiting.message()).isEqualTo("pull request 1 is not ready to merge (" + why + "); trying again in 10s");
      assertThat(waitingLonger.result().retryAfter()).contains(Duration.ofSeconds(45));
      assertThat(ready.status()).as(ready.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(ready.outputs()).isEqualTo(Map.of("commit", f.repo.head("main").orElseThrow()));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void runningChecksKeepAPullRequestFromMerging(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");
      f.fake.setChecksPending(f.repoName, number, true);
      GitSteps steps = f.steps();

      GitFixture.Attempt pending = f.run(steps, "git-merge-pr", f.prConfig(number, "wait", true));
      f.fake.setChecksPending(f.repoName, number, false);
      GitFixture.Attempt passed = f.run(steps, "git-merge-pr", f.prConfig(number, "wait", true));

      if (kind == Kind.BITBUCKET) {
        // Bitbucket has no merge eligibility to ask: the merge itself is refused, and Kargo fails on that.
        assertThat(pending.status()).isEqualTo(StepStatus.FAILED);
        assertThat(pending.message()).isEqualTo("error merging pull request 1: Bitbucket API: POST "
            + f.pullRequestPath(1) + "/merge answered 400 Bad Request: You can't merge until you have at least 1 "
            + "successful build.");
        return;
      }
      String why = switch (kind) {
        case GITHUB -> "GitHub answered 405: Required status check \"ci\" is expected.";
        case GITLAB -> "its detailed_merge_status is ci_still_running";
        case GITEA -> "Gitea says it is not mergeable (conflicts, or checks not done)";
        default -> "its mergeStatus is queued";
      };
      assertThat(pending.status()).as(pending.toString()).isEqualTo(StepStatus.RUNNING);
      assertThat(pending.message()).isEqualTo("pull request 1 is not ready to merge (" + why + "); trying again in 10s");
      assertThat(passed.status()).as(passed.toString()).isEqualTo(StepStatus.SUCCEEDED);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void conflictsFailOrWaitAsKargoReadsEachHost(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      f.repo.commit("main", "hotfix on main", Map.of("apps/shop/values.yaml", "image:\n  tag: v1.0.1\n"));
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");
      String main = f.repo.head("main").orElseThrow();

      GitFixture.Attempt merged = f.run(f.steps(), "git-merge-pr", f.prConfig(number));

      assertThat(merged.status()).isEqualTo(StepStatus.FAILED);
      assertThat(merged.message()).isEqualTo(switch (kind) {
        case GITHUB -> "error merging pull request 1: pull request 1 has conflicts and cannot be merged";
        case GITLAB -> "pull request 1 is not ready to merge and wait is disabled (its detailed_merge_status is conflict)";
        case GITEA -> "pull request 1 is not ready to merge and wait is disabled (Gitea says it is not mergeable "
            + "(conflicts, or checks not done))";
        case AZURE -> "pull request 1 is not ready to merge and wait is disabled (its mergeStatus is conflicts)";
        case BITBUCKET -> "error merging pull request 1: Bitbucket API: POST " + f.pullRequestPath(1)
            + "/merge answered 400 Bad Request: You can't merge until you resolve all merge conflicts.";
      });
      assertThat(f.repo.head("main")).contains(main);
      assertThat(f.fake.pullRequest(f.repoName, number).state()).isEqualTo(FakePullRequest.State.OPEN);
    }
  }

  @Test
  void gitHubs405WordingDecidesBetweenNotReadyAndAnError() throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(Kind.GITHUB, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");
      GitSteps steps = f.steps();
      String merge = "GitHub API: PUT " + f.pullRequestPath(1) + "/merge answered ";

      f.fake.rejectNextMerge(405, "Base branch was modified. Review and try the merge again.");
      GitFixture.Attempt modified = f.run(steps, "git-merge-pr", f.prConfig(number, "wait", true));
      f.fake.rejectNextMerge(405, "Pull Request is not mergeable");
      GitFixture.Attempt notMergeable = f.run(steps, "git-merge-pr", f.prConfig(number));
      f.fake.rejectNextMerge(405, "Merge commits are not allowed on this repository.");
      GitFixture.Attempt notAllowed = f.run(steps, "git-merge-pr", f.prConfig(number, "wait", true));
      f.fake.rejectNextMerge(409, "Head branch was modified. Review and try the merge again.");
      GitFixture.Attempt headModified = f.run(steps, "git-merge-pr", f.prConfig(number, "wait", true));

      assertThat(modified.status()).isEqualTo(StepStatus.RUNNING);
      assertThat(modified.message()).isEqualTo("pull request 1 is not ready to merge (GitHub answered 405: Base branch "
          + "was modified. Review and try the merge again.); trying again in 10s");
      assertThat(notMergeable.status()).isEqualTo(StepStatus.FAILED);
      assertThat(notMergeable.message()).isEqualTo("pull request 1 is not ready to merge and wait is disabled (GitHub "
          + "answered 405: Pull Request is not mergeable)");
      assertThat(notAllowed.status()).isEqualTo(StepStatus.FAILED);
      assertThat(notAllowed.message()).isEqualTo("error merging pull request 1: " + merge
          + "405 Method Not Allowed: Merge commits are not allowed on this repository.");
      assertThat(headModified.status()).isEqualTo(StepStatus.FAILED);
      assertThat(headModified.message()).isEqualTo("error merging pull request 1: " + merge
          + "409 Conflict: Head branch was modified. Review and try the merge again.");
      assertThat(f.fake.pullRequest(f.repoName, number).state()).isEqualTo(FakePullRequest.State.OPEN);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"GITLAB", "GITEA", "AZURE", "BITBUCKET"})
  void aRefused405Or409MergeIsAFailureNamingTheHostsWords(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");
      GitSteps steps = f.steps();
      String call = switch (kind) {
        case GITLAB -> "PUT " + f.pullRequestPath(1) + "/merge";
        case AZURE -> "PATCH " + f.pullRequestPath(1);
        default -> "POST " + f.pullRequestPath(1) + "/merge";
      };

      f.fake.rejectNextMerge(409, "SHA does not match HEAD of source branch");
      GitFixture.Attempt conflict = f.run(steps, "git-merge-pr", f.prConfig(number, "wait", true));
      f.fake.rejectNextMerge(405, "405 Method Not Allowed");
      GitFixture.Attempt notAllowed = f.run(steps, "git-merge-pr", f.prConfig(number, "wait", true));

      assertThat(conflict.status()).isEqualTo(StepStatus.FAILED);
      assertThat(conflict.message()).isEqualTo("error merging pull request 1: " + f.hostName() + " API: " + call
          + " answered 409 Conflict: SHA does not match HEAD of source branch");
      assertThat(notAllowed.status()).isEqualTo(StepStatus.FAILED);
      assertThat(notAllowed.message()).isEqualTo("error merging pull request 1: " + f.hostName() + " API: " + call
          + " answered 405 Method Not Allowed: 405 Method Not Allowed");
      assertThat(f.fake.pullRequest(f.repoName, number).state()).isEqualTo(FakePullRequest.State.OPEN);
    }
  }

  @Test
  void bitbucketsAsynchronousMergeIsAnErrorAsInKargo() throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(Kind.BITBUCKET, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");
      f.fake.rejectNextMerge(202, "merge queued");

      GitFixture.Attempt merged = f.run(f.steps(), "git-merge-pr", f.prConfig(number));

      assertThat(merged.status()).isEqualTo(StepStatus.FAILED);
      assertThat(merged.message()).isEqualTo("error merging pull request 1: pull request 1 merge was accepted "
          + "asynchronously and cannot be awaited");
    }
  }
}
