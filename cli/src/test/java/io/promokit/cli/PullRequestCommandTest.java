package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionPhase;
import io.promokit.StepStatus;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import io.promokit.testkit.gitops.BareRepository;
import io.promokit.testkit.gitops.FakePullRequest;
import io.promokit.testkit.gitops.GitProviderFake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promokit run} with the pull-request steps against the Bitbucket Cloud fake (whose API host Kargo fixes
 * at api.bitbucket.org, so only {@code --git-provider-api} reaches the fake): push a promotion branch, open a
 * pull request, merge it, wait for it; the token comes from {@code --credentials} and never shows.
 */
class PullRequestCommandTest {

  @TempDir
  Path tmp;

  private static final String TEMPLATE = """
      vars:
        - name: repoURL
      steps:
        - uses: git-clone
          config:
            repoURL: ${{ vars.repoURL }}
            insecureSkipTLSVerify: true
            checkout:
              - branch: main
                path: ./out
        - uses: file-write
          config:
            path: ./out/version.txt
            contents: v2
            overwrite: true
        - uses: git-commit
          config:
            path: ./out
            message: Promote to v2
        - uses: git-push
          as: push
          config:
            path: ./out
            generateTargetBranch: true
        - uses: git-open-pr
          as: open-pr
          config:
            repoURL: ${{ vars.repoURL }}
            provider: bitbucket
            insecureSkipTLSVerify: true
            sourceBranch: ${{ outputs.push.branch }}
            targetBranch: main
        - uses: git-merge-pr
          as: merge
          config:
            repoURL: ${{ vars.repoURL }}
            provider: bitbucket
            insecureSkipTLSVerify: true
            prNumber: ${{ outputs['open-pr'].pr.id }}
        - uses: git-wait-for-pr
          as: wait
          config:
            repoURL: ${{ vars.repoURL }}
            provider: bitbucket
            insecureSkipTLSVerify: true
            prNumber: ${{ outputs['open-pr'].pr.id }}
      """;

  private Path credentials(String repoUrl, String token) throws Exception {
    return Files.writeString(tmp.resolve("creds.yaml"), """
        apiVersion: v1
        kind: Secret
        metadata:
          name: app-repo
          labels:
            kargo.akuity.io/cred-type: git
        stringData:
          repoURL: %s
          username: x-token-auth
          password: %s
        """.formatted(repoUrl, token));
  }

  @Test
  void opensMergesAndWaitsForAPullRequestAtTheHostGivenByGitProviderApi() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host"));
    try (GitProviderFake bitbucket = GitProviderFake.builder(GitProviderFake.Kind.BITBUCKET, host).https(true)
        .token("bitbucket-token-4f1c9e2a77").start()) {
      BareRepository repo = bitbucket.createRepository("acme/app");
      repo.commit("main", "initial", Map.of("version.txt", "v1"));
      String url = bitbucket.repoUrl("acme/app");
      Path template = Files.writeString(tmp.resolve("promote.yaml"), TEMPLATE);
      Path record = tmp.resolve("record.json");

      Cli cli = Cli.run("run", template.toString(), "--var", "repoURL=" + url,
          "--credentials", credentials(url, bitbucket.token()).toString(),
          "--git-provider-api", "bitbucket=" + bitbucket.apiBase(),
          "--ctx", "project=shop", "--ctx", "stage=prod", "--ctx", "promotion=prod-7", "--record", record.toString());

      assertThat(cli.exitCode).as(cli.toString()).isZero();
      FakePullRequest pr = bitbucket.pullRequest("acme/app", 1);
      assertThat(bitbucket.pullRequests("acme/app")).hasSize(1);
      assertThat(pr.state()).isEqualTo(FakePullRequest.State.MERGED);
      assertThat(pr.sourceBranch()).isEqualTo("kargo/promotion/prod-7");
      assertThat(pr.title()).isEqualTo("Promote to v2");
      assertThat(repo.readFile("main", "version.txt")).contains("v2");
      String mergeCommit = repo.git("rev-parse", "main").strip();
      assertThat(pr.mergeCommitSha()).isEqualTo(mergeCommit);

      PromotionRecord promotion = PromotionRecord.fromJson(Files.readString(record));
      assertThat(promotion.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
      assertThat(promotion.steps()).extracting(StepRecord::status).containsOnly(StepStatus.SUCCEEDED);
      String prUrl = bitbucket.origin() + "/acme/app/pull-requests/1";
      assertThat(promotion.step("open-pr").orElseThrow().outputs()).isEqualTo(Map.of("pr", Map.of("id", 1L,
          "url", prUrl)));
      assertThat(promotion.step("merge").orElseThrow().outputs()).isEqualTo(Map.of("commit", mergeCommit));
      assertThat(promotion.step("wait").orElseThrow().outputs()).isEqualTo(Map.of("commit", mergeCommit,
          "pr", Map.of("id", 1L, "url", prUrl, "open", false, "merged", true)));
      assertThat(bitbucket.requests()).isNotEmpty().allMatch(GitProviderFake.ApiRequest::authorized);

      assertThat(cli.err).doesNotContain(bitbucket.token());
      assertThat(cli.out).doesNotContain(bitbucket.token());
      assertThat(Files.readString(record)).doesNotContain(bitbucket.token());
    }
  }

  @Test
  void aWrongGitProviderApiExitsWithTwo() throws Exception {
    Path template = Files.writeString(tmp.resolve("promote.yaml"), TEMPLATE);

    Cli name = Cli.run("run", template.toString(), "--var", "repoURL=x", "--git-provider-api", "gitbucket=https://x");
    Cli url = Cli.run("run", template.toString(), "--var", "repoURL=x", "--git-provider-api", "gitea=ftp://x");
    Cli shape = Cli.run("run", template.toString(), "--var", "repoURL=x", "--git-provider-api", "https://x");

    assertThat(name.exitCode).as(name.toString()).isEqualTo(2);
    assertThat(name.err).contains("promokit run: --git-provider-api gitbucket=https://x: unknown pull request "
        + "provider \"gitbucket\" (expected azure, bitbucket, gitea, github or gitlab)");
    assertThat(url.exitCode).as(url.toString()).isEqualTo(2);
    assertThat(url.err).contains("promokit run: --git-provider-api gitea=ftp://x: the API base of gitea must be an "
        + "http:// or https:// URL with a host and without query or fragment, but was \"ftp://x\"");
    assertThat(shape.exitCode).as(shape.toString()).isEqualTo(2);
    assertThat(shape.err).contains("promokit run: --git-provider-api: expected NAME=URL, but was \"https://x\"");
  }
}
