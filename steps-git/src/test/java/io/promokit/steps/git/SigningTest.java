package io.promokit.steps.git;

import static io.promokit.testkit.gitops.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepStatus;
import io.promokit.testkit.gitops.TestGpgKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPG signing of commits and tags, checked with git's own verify-commit / verify-tag and the public key. */
class SigningTest {

  @TempDir
  Path tmp;

  private GitFixture fx;
  private TestGpgKey key;

  @BeforeEach
  void setUp() {
    fx = new GitFixture(tmp);
    key = TestGpgKey.generate(tmp.resolve("k"), "Release Bot", "release@example.com");
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
    assertThat(fx.scratchLeftovers()).as("GnuPG homes are deleted").isEmpty();
    assertThat(ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(fx.scratch.toString())))
        .as("no gpg-agent of a step outlives it").isEmpty();
  }

  @Test
  void anAuthorBlockWithAKeySignsCommitsTagsAndTheCreatedBranch() throws Exception {
    GitSteps steps = fx.steps();
    GitFixture.Attempt clone = fx.run(steps, "git-clone", Map.of("repoURL", fx.url,
        "author", Map.of("name", "Release Bot", "email", "release@example.com", "signingKey", key.armoredPrivateKey()),
        "checkout", List.of(Map.of("branch", "main", "path", "src"), Map.of("branch", "stage/prod", "create", true, "path", "out"))));
    assertThat(clone.status()).as(clone.toString()).isEqualTo(StepStatus.SUCCEEDED);
    Path src = fx.workdir.resolve("src");
    Files.writeString(src.resolve("signed.txt"), "signed\n");

    GitFixture.Attempt commit = fx.run(steps, "git-commit", Map.of("path", "src", "message", "signed change"));
    GitFixture.Attempt tag = fx.run(steps, "git-tag", Map.of("path", "src", "tag", "v2", "message", "signed tag"));

    assertThat(commit.status()).as(commit.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(tag.status()).as(tag.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(key.verify(src, "commit", "HEAD").isGoodSignatureBy(key.fingerprint())).isTrue();
    assertThat(key.verify(src, "tag", "v2").isGoodSignatureBy(key.fingerprint())).isTrue();
    assertThat(key.verify(fx.repo.path(), "commit", "stage/prod").isGoodSignatureBy(key.fingerprint()))
        .as("the orphan branch's initial commit").isTrue();
    assertThat(git(src, "log", "-1", "--format=%an <%ae>").strip()).isEqualTo("Release Bot <release@example.com>");
    String everything = String.join("\n", clone.context().lines()) + String.join("\n", commit.context().lines());
    assertThat(everything).doesNotContain(secretLine(key));
  }

  @Test
  void theHostsKeySignsClonesWithoutAnAuthorBlockAndRebasesReSign() throws Exception {
    GitSteps steps = fx.stepsBuilder().author("Host Bot", "release@example.com").signingKey(key.armoredPrivateKey()).build();
    fx.cloneMain(steps, "src");
    Path src = fx.workdir.resolve("src");
    Files.writeString(src.resolve("mine.txt"), "mine\n");
    fx.run(steps, "git-commit", Map.of("path", "src", "message", "mine"));
    fx.repo.commit("main", "theirs", Map.of("theirs.txt", "t\n"));

    GitFixture.Attempt push = fx.run(steps, "git-push", Map.of("path", "src"));

    assertThat(push.status()).as(push.toString()).isEqualTo(StepStatus.SUCCEEDED);
    String pushed = fx.repo.head("main").orElseThrow();
    assertThat(key.verify(fx.repo.path(), "commit", pushed).isGoodSignatureBy(key.fingerprint()))
        .as("the rebased commit is signed again").isTrue();
  }

  @Test
  void rebaseOrFailRefusesToReplaySignedCommitsWhenTheCloneDoesNotSign() throws Exception {
    GitSteps unsigned = fx.stepsBuilder().pushIntegrationPolicy(GitSteps.PushIntegrationPolicy.REBASE_OR_FAIL).build();
    fx.cloneMain(unsigned, "src");
    Path src = fx.workdir.resolve("src");
    Files.writeString(src.resolve("mine.txt"), "mine\n");
    // a commit signed by some key this clone does not know
    fx.run(unsigned, "git-commit", Map.of("path", "src", "message", "signed elsewhere",
        "author", Map.of("name", "Other", "email", "other@example.com", "signingKey", key.armoredPrivateKey())));
    fx.repo.commit("main", "theirs", Map.of("theirs.txt", "t\n"));

    GitFixture.Attempt push = fx.run(unsigned, "git-push", Map.of("path", "src"));

    assertThat(push.status()).isEqualTo(StepStatus.FAILED);
    assertThat(push.message()).startsWith("error pushing commits to remote: rebase is unsafe");
  }

  @Test
  void aKeyGpgCannotUseIsInvalidConfig() throws Exception {
    GitFixture.Attempt clone = fx.run(fx.steps(), "git-clone", Map.of("repoURL", fx.url,
        "author", Map.of("name", "Bot", "email", "bot@example.com", "signingKey", "not a key at all"),
        "checkout", List.of(Map.of("branch", "main", "path", "src"))));

    assertThat(clone.status()).isEqualTo(StepStatus.FAILED);
    assertThat(clone.message()).startsWith("invalid config: config.author.signingKey: not a usable GPG "
        + "private key: gpg --import exited with code 2")
        .doesNotContain("not a key at all");
  }

  private static String secretLine(TestGpgKey key) {
    return key.armoredPrivateKey().lines().filter(l -> l.length() > 40).findFirst().orElseThrow();
  }
}
