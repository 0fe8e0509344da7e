package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.testkit.gitops.BareRepository;
import io.promokit.testkit.gitops.GitSshServer;
import io.promokit.testkit.gitops.TestSshKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code promokit run} with the git steps: --credentials, --git-author, --git-push-policy. */
class GitOptionsTest {

  @TempDir
  Path tmp;

  private static final String TEMPLATE = """
      vars:
        - name: repoURL
      steps:
        - uses: git-clone
          config:
            repoURL: ${{ vars.repoURL }}
            checkout:
              - branch: main
                path: ./repo
        - uses: file-write
          config:
            path: ./repo/version.txt
            contents: v2
            overwrite: true
        - uses: git-commit
          config:
            path: ./repo
            message: set version v2
        - uses: git-push
          as: push
          config:
            path: ./repo
      """;

  private Path write(String name, String text) throws Exception {
    return Files.writeString(tmp.resolve(name), text);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void runsAGitPromotionWithCredentialsFromAKargoSecretAndTheGivenAuthor() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served"));
    BareRepository repo = BareRepository.create(served.resolve("app.git"));
    repo.commit("main", "initial", Map.of("version.txt", "v1"));
    TestSshKey key = TestSshKey.generate(tmp.resolve("keys"));
    try (GitSshServer ssh = GitSshServer.builder(served).authorizedKey(key).stateDir(tmp.resolve("ssh")).start()) {
      Path credentials = write("creds.yaml", """
          apiVersion: v1
          kind: Secret
          metadata:
            name: app-repo
            labels:
              kargo.akuity.io/cred-type: git
          data:
            repoURL: %s
            sshPrivateKey: %s
          """.formatted(b64(ssh.url("app.git")), b64(key.privateKey())));
      Path template = write("promote.yaml", TEMPLATE);
      Path record = tmp.resolve("record.json");

      Cli cli = Cli.run("run", template.toString(), "--var", "repoURL=" + ssh.url("app.git"),
          "--credentials", credentials.toString(), "--git-author", "Release Bot <release@example.com>",
          "--git-push-policy", "RebaseOrMerge", "--record", record.toString(), "--ctx", "promotion=p-1");

      assertThat(cli.exitCode).as(cli.toString()).isZero();
      assertThat(repo.readFile("main", "version.txt")).contains("v2");
      assertThat(repo.git("log", "-1", "--format=%an <%ae>", "main").strip()).isEqualTo("Release Bot <release@example.com>");
      String keyLine = key.privateKey().lines().skip(1).findFirst().orElseThrow();
      assertThat(Files.readString(record)).contains("\"branch\" : \"main\"").doesNotContain(keyLine);
      assertThat(cli.err).doesNotContain(keyLine);
    }
  }

  @Test
  void badGitOptionsAndCredentialFilesExitWithTwo() throws Exception {
    Path template = write("promote.yaml", TEMPLATE);
    Path badCreds = write("bad.yaml", """
        kind: Secret
        metadata:
          name: repo
          labels:
            kargo.akuity.io/cred-type: git
        stringData:
          repoURL: https://example.com/repo.git
          password: hunter2-secret
        """);

    Cli author = Cli.run("run", template.toString(), "--var", "repoURL=x", "--git-author", "just a name");
    Cli policy = Cli.run("run", template.toString(), "--var", "repoURL=x", "--git-push-policy", "Sometimes");
    Cli creds = Cli.run("run", template.toString(), "--var", "repoURL=x", "--credentials", badCreds.toString());

    assertThat(author.exitCode).isEqualTo(2);
    assertThat(author.err).contains("promokit run: --git-author: expected \"Name <email>\", but was \"just a name\"");
    assertThat(policy.exitCode).isEqualTo(2);
    assertThat(policy.err).contains("promokit run: --git-push-policy: unknown push integration policy \"Sometimes\" "
        + "(expected AlwaysRebase, AlwaysMerge, RebaseOrMerge or RebaseOrFail)");
    assertThat(creds.exitCode).isEqualTo(2);
    assertThat(creds.err).contains("promokit run: " + badCreds + ":8: Secret \"repo\": username and password go "
        + "together (Kargo ignores a Secret with only one of them); username is missing or empty")
        .doesNotContain("hunter2-secret");
  }

  @Test
  void validateAndStepsKnowTheGitSteps() throws Exception {
    Path template = write("bad.yaml", """
        steps:
          - uses: git-push
            config:
              path: ./repo
              maxAttempts: 0
        """);

    Cli validate = Cli.run("validate", template.toString());
    Cli steps = Cli.run("steps");

    assertThat(validate.exitCode).as(validate.toString()).isEqualTo(2);
    assertThat(validate.err).contains("config.maxAttempts: must be at least 1, but was 0");
    assertThat(steps.exitCode).isZero();
    assertThat(steps.out).contains("git-clone", "git-clear", "git-commit", "git-push", "git-tag", "git-open-pr",
        "git-wait-for-pr", "git-merge-pr");
  }
}
