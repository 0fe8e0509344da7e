package io.promokit.steps.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepStatus;
import io.promokit.testkit.gitops.GitProviderFake.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the pull-request steps make of a host that refuses the token, limits the rate, fails or drops the
 * connection: a wrong token is an error naming the host's words (never the token); [ours] a 429, a 5xx or a
 * network failure is {@code Running}, after the host's {@code Retry-After} when it gives one.
 */
class PullRequestHostFailuresTest {

  @TempDir
  Path tmp;

  private static String unauthorized(Kind kind) {
    return switch (kind) {
      case GITHUB -> "Bad credentials";
      case GITLAB -> "401 Unauthorized";
      case GITEA -> "token is required";
      case AZURE -> "TF400813: The user '' is not authorized to access this resource.";
      case BITBUCKET -> "Token is invalid, expired, or not supported for this endpoint.";
    };
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aWrongTokenIsAnErrorThatNeverShowsTheToken(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");
      String wrong = "wrong-token-" + kind;
      GitSteps steps = f.stepsBuilder(wrong).build();

      GitFixture.Attempt waited = f.run(steps, "git-wait-for-pr", f.prConfig(number));
      GitFixture.Attempt merged = f.run(steps, "git-merge-pr", f.prConfig(number));
      GitFixture.Attempt opened = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42"));

      String answer = f.hostName() + " API: GET " + f.pullRequestPath(1) + " answered 401 Unauthorized: " + unauthorized(kind);
      assertThat(waited.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(waited.message()).isEqualTo("error getting pull request 1: " + answer);
      assertThat(waited.error().isTerminal()).isFalse();
      assertThat(merged.status()).as("Kargo fails a merge on any error").isEqualTo(StepStatus.FAILED);
      assertThat(merged.message()).isEqualTo("error merging pull request 1: " + answer);
      // git-open-pr clones first: git is refused the same token.
      assertThat(opened.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(opened.message()).startsWith("error cloning " + f.url + ": git clone exited with code 128: ")
          .contains("Authentication failed");
      for (GitFixture.Attempt attempt : new GitFixture.Attempt[] {waited, merged, opened}) {
        assertThat(attempt.message()).doesNotContain(wrong);
        assertThat(attempt.context().lines()).noneMatch(line -> line.contains(wrong));
      }
      assertThat(f.fake.requests()).filteredOn(r -> !r.authorized()).isNotEmpty();
      assertThat(f.scratchLeftovers()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void rateLimitsAreRunningForAsLongAsTheHostAsks(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      GitSteps steps = f.steps();

      f.fake.failNextRequests(1, 429, Duration.ofSeconds(7));
      GitFixture.Attempt limited = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42"));
      GitFixture.Attempt opened = f.run(steps, "git-open-pr", f.openConfig("kargo/promotion/prod-42"));
      f.fake.failNextRequests(1, 429, Duration.ofSeconds(3));
      GitFixture.Attempt waitLimited = f.run(steps, "git-wait-for-pr", f.prConfig(1));
      f.fake.failNextRequests(1, 429, Duration.ofSeconds(4));
      GitFixture.Attempt mergeLimited = f.run(steps, "git-merge-pr", f.prConfig(1));
      GitFixture.Attempt merged = f.run(steps, "git-merge-pr", f.prConfig(1));

      assertThat(limited.status()).as(limited.toString()).isEqualTo(StepStatus.RUNNING);
      assertThat(limited.result().retryAfter()).contains(Duration.ofSeconds(7));
      assertThat(limited.message()).startsWith("error listing pull requests: " + f.hostName() + " API: GET ")
          .contains(" answered 429 Too Many Requests: fake " + kind.providerName() + " failure 429")
          .endsWith("; trying again in 7s (as the host asked)");
      assertThat(opened.status()).as(opened.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(waitLimited.status()).isEqualTo(StepStatus.RUNNING);
      assertThat(waitLimited.result().retryAfter()).contains(Duration.ofSeconds(3));
      assertThat(waitLimited.message()).isEqualTo("error getting pull request 1: " + f.hostName() + " API: GET "
          + f.pullRequestPath(1) + " answered 429 Too Many Requests: fake " + kind.providerName()
          + " failure 429; trying again in 3s (as the host asked)");
      assertThat(mergeLimited.status()).as("not Kargo's terminal failure").isEqualTo(StepStatus.RUNNING);
      assertThat(mergeLimited.result().retryAfter()).contains(Duration.ofSeconds(4));
      assertThat(merged.status()).as(merged.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(f.fake.pullRequests(f.repoName)).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void outagesAndDroppedConnectionsAreRunningWithTheEnginesBackoff(Kind kind) throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(kind, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");
      GitSteps steps = f.steps();

      f.fake.failNextRequests(1, 503, null);
      GitFixture.Attempt unavailable = f.run(steps, "git-merge-pr", f.prConfig(number));
      f.fake.dropNextConnection();
      GitFixture.Attempt dropped = f.run(steps, "git-wait-for-pr", f.prConfig(number));
      GitFixture.Attempt waiting = f.run(steps, "git-wait-for-pr", f.prConfig(number));

      assertThat(unavailable.status()).isEqualTo(StepStatus.RUNNING);
      assertThat(unavailable.result().retryAfter()).isEmpty();
      assertThat(unavailable.message()).isEqualTo("error merging pull request 1: " + f.hostName() + " API: GET "
          + f.pullRequestPath(1) + " answered 503 Service Unavailable: fake " + kind.providerName()
          + " failure 503; trying again later");
      assertThat(dropped.status()).isEqualTo(StepStatus.RUNNING);
      assertThat(dropped.result().retryAfter()).isEmpty();
      assertThat(dropped.message()).startsWith("error getting pull request 1: " + f.hostName() + " API: GET "
          + f.pullRequestPath(1) + " failed: ").endsWith("; trying again later");
      assertThat(waiting.status()).isEqualTo(StepStatus.RUNNING);
      assertThat(waiting.outputs()).containsKey("pr");
      assertThat(f.fake.pullRequest(f.repoName, number).mergeCommitSha()).isNull();
    }
  }

  @Test
  void aHostThatIsDownIsRunningToo() throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(Kind.GITEA, tmp)) {
      GitSteps steps = f.steps();
      f.fake.close();

      GitFixture.Attempt waited = f.run(steps, "git-wait-for-pr", f.prConfig(1));

      assertThat(waited.status()).isEqualTo(StepStatus.RUNNING);
      assertThat(waited.message()).startsWith("error getting pull request 1: Gitea API: GET /api/v1/repos/acme/app/pulls/1 "
          + "failed: cannot connect to 127.0.0.1:" + f.fake.port());
    }
  }

  @Test
  void gitHubsExhaustedRateLimitWaitsUntilItResets() throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(Kind.GITHUB, tmp)) {
      f.fake.exhaustRateLimit(Duration.ofMinutes(2));

      GitFixture.Attempt waited = f.run(f.steps(), "git-wait-for-pr", f.prConfig(1));

      assertThat(waited.status()).isEqualTo(StepStatus.RUNNING);
      assertThat(waited.result().retryAfter()).hasValueSatisfying(delay ->
          assertThat(delay).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(120)));
      assertThat(waited.message()).contains(" answered 403 Forbidden: API rate limit exceeded for installation.");
    }
  }

  @Test
  void theApiTokenIsNotSentOverPlainHttpUnlessAllowed() throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(Kind.GITLAB, tmp)) {
      GitSteps steps = f.stepsBuilder().allowCredentialsOverHttp(false).build();

      GitFixture.Attempt waited = f.run(steps, "git-wait-for-pr", f.prConfig(1));

      assertThat(waited.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(waited.message()).endsWith("answered 401 Unauthorized: 401 Unauthorized");
      assertThat(waited.context().lines()).contains("INFO: not looking up credentials for " + f.url
          + ": it is plain http:// (set ALLOW_CREDENTIALS_OVER_HTTP=true to send them anyway)");
      assertThat(f.fake.requests()).allMatch(r -> !r.authorized());
    }
  }

  @Test
  void azureDevOpsNeedsAToken() throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(Kind.AZURE, tmp)) {
      GitSteps steps = f.stepsBuilder().credentials(io.promokit.spi.CredentialsProvider.NONE).build();

      GitFixture.Attempt waited = f.run(steps, "git-wait-for-pr", f.prConfig(1));

      assertThat(waited.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(waited.message()).isEqualTo("error creating git provider service: token is required for Azure DevOps "
          + "provider (the password of the git credentials for " + f.url + ")");
      assertThat(f.fake.requests()).isEmpty();
    }
  }

  @Test
  void theHostIsInferredFromTheUrlAndItsApiBaseOverridden() throws Exception {
    try (PullRequestFixture f = new PullRequestFixture(Kind.GITHUB, tmp)) {
      f.promotionBranch("kargo/promotion/prod-42", "Promote shop to v2", "v2.0.0");
      long number = f.fake.openPullRequest(f.repoName, "kargo/promotion/prod-42", "main", "Promote shop to v2");
      String github = "https://github.com/acme/app.git";
      GitSteps steps = f.stepsBuilder()
          .credentials(io.promokit.spi.CredentialsProvider.builder()
              .add(io.promokit.spi.CredentialType.GIT, github,
                  io.promokit.spi.Credentials.usernamePassword("bot", f.fake.token()))
              .build())
          .providerApi("github", f.fake.apiBase())
          .build();

      GitFixture.Attempt waited = f.run(steps, "git-wait-for-pr", Map.of("repoURL", github, "prNumber", number));

      assertThat(waited.status()).as(waited.toString()).isEqualTo(StepStatus.RUNNING);
      assertThat(waited.outputs()).isEqualTo(Map.of("pr", Map.of("id", 1L, "url", f.pullRequestUrl(1), "open", true,
          "merged", false)));
    }
  }
}
