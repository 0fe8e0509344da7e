package io.promokit.steps.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts: rejection patterns, hosts and commit URLs, backoff, builder settings. */
class SmallPartsTest {

  @Test
  void nonFastForwardRejectionsAsKargoRecognisesThem() {
    assertThat(NonFastForward.isRejection(" ! [rejected]        krancour/foo -> krancour/foo (non-fast-forward)")).isTrue();
    assertThat(NonFastForward.isRejection(" ! [rejected]        main -> main (fetch first)")).isTrue();
    assertThat(NonFastForward.isRejection(" ! [remote rejected] HEAD -> experiment (cannot lock ref "
        + "'refs/heads/experiment': is at 7dc98ee9c0b75be429e300bb59b3cf6d091ca9ed but expected "
        + "1bdf96c8c868981a0e24c43c98aef09a8970a1b8)")).isTrue();
    assertThat(NonFastForward.isRejection(" ! [rejected]        HEAD -> experiment (fetch first)")).isTrue();
    assertThat(NonFastForward.isRejection(" ! [remote rejected] HEAD -> main (incorrect old value provided)")).isTrue();
    // [ours] git 2.39's http-backend reports the same race on two lines
    assertThat(NonFastForward.isRejection("remote: error: cannot lock ref 'refs/heads/main': is at "
        + "f0c3d3b2b7f1382a4450797044759ba30c99fc5d but expected aae4b3434f62d25916ab44c1bbdd5aa9e5b160c2\n"
        + "To http://127.0.0.1:1/app.git\n ! [remote rejected] HEAD -> main (failed to update ref)\n")).isTrue();
    // not races
    assertThat(NonFastForward.isRejection(" ! [remote rejected] HEAD -> main (pre-receive hook declined)")).isFalse();
    assertThat(NonFastForward.isRejection(" ! [remote rejected] HEAD -> main (failed to update ref)")).isFalse();
    assertThat(NonFastForward.isRejection("fatal: Authentication failed")).isFalse();
    assertThat(NonFastForward.isRejection(null)).isFalse();
  }

  @Test
  void hostsAreRecognisedByKargosRules() {
    assertThat(GitHost.infer("https://github.com/example/repo.git")).contains(GitHost.GITHUB);
    assertThat(GitHost.infer("git@github.com:example/repo.git")).contains(GitHost.GITHUB);
    assertThat(GitHost.infer("https://acme.ghe.com/example/repo")).contains(GitHost.GITHUB);
    assertThat(GitHost.infer("https://gitlab.example.com/group/sub/repo")).contains(GitHost.GITLAB);
    assertThat(GitHost.infer("https://gitea.example.com/org/repo")).contains(GitHost.GITEA);
    assertThat(GitHost.infer("https://dev.azure.com/org/proj/_git/repo")).contains(GitHost.AZURE);
    assertThat(GitHost.infer("https://org.visualstudio.com/proj/_git/repo")).contains(GitHost.AZURE);
    assertThat(GitHost.infer("https://bitbucket.org/ws/repo.git")).contains(GitHost.BITBUCKET);
    assertThat(GitHost.infer("https://git.example.com/repo.git")).isEmpty();
    assertThat(GitHost.named("gitea")).contains(GitHost.GITEA);
    assertThat(GitHost.named("nope")).isEmpty();
  }

  @Test
  void commitUrlsAsKargoBuildsThemAndAzureToo() {
    String sha = "0123456789abcdef0123456789abcdef01234567";
    assertThat(GitHost.GITHUB.commitUrl("https://github.com/Example/Repo.git", sha))
        .contains("https://github.com/example/repo/commit/" + sha);
    assertThat(GitHost.GITHUB.commitUrl("git@github.com:example/repo.git", sha))
        .contains("https://github.com/example/repo/commit/" + sha);
    assertThat(GitHost.GITLAB.commitUrl("https://gitlab.com/group/sub/repo.git", sha))
        .contains("https://gitlab.com/group/sub/repo/-/commit/" + sha);
    assertThat(GitHost.GITEA.commitUrl("https://gitea.example.com:3000/org/repo.git", sha))
        .contains("https://gitea.example.com:3000/org/repo/commit/" + sha);
    assertThat(GitHost.BITBUCKET.commitUrl("https://bitbucket.org/ws/repo.git", sha))
        .contains("https://bitbucket.org/ws/repo/commits/" + sha);
    assertThat(GitHost.AZURE.commitUrl("https://org@dev.azure.com/org/proj/_git/repo", sha))
        .contains("https://dev.azure.com/org/proj/_git/repo/commit/" + sha);
    assertThat(GitHost.AZURE.commitUrl("git@ssh.dev.azure.com:v3/org/proj/repo", sha))
        .contains("https://dev.azure.com/org/proj/_git/repo/commit/" + sha);
    assertThat(GitHost.AZURE.commitUrl("https://org.visualstudio.com/proj/_git/repo", sha))
        .contains("https://org.visualstudio.com/proj/_git/repo/commit/" + sha);
    assertThat(GitHost.AZURE.commitUrl("org@vs-ssh.visualstudio.com:v3/org/proj/repo", sha))
        .contains("https://org.visualstudio.com/proj/_git/repo/commit/" + sha);
    assertThat(GitHost.AZURE.commitUrl("https://dev.azure.com/org", sha)).isEmpty();
  }

  @Test
  void kargosBackoffGrowsByHalfAndStopsAtThirtySeconds() {
    KargoBackoff backoff = new KargoBackoff();
    for (int i = 0; i < 50; i++) {
      assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1500));
      assertThat(backoff.delay(2)).isBetween(Duration.ofMillis(1500), Duration.ofMillis(2250));
      assertThat(backoff.delay(3)).isBetween(Duration.ofMillis(2250), Duration.ofMillis(3375));
      assertThat(backoff.delay(20)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(45));
    }
  }

  @Test
  void settingsFromTheBuilderAndTheEnvironment() {
    assertThat(GitSteps.builder().environment(Map.of()).build().pushIntegrationPolicy())
        .isEqualTo(GitSteps.PushIntegrationPolicy.ALWAYS_REBASE);
    assertThat(GitSteps.builder().environment(Map.of("GIT_PUSH_INTEGRATION_POLICY", "AlwaysMerge")).build()
        .pushIntegrationPolicy()).isEqualTo(GitSteps.PushIntegrationPolicy.ALWAYS_MERGE);
    assertThat(GitSteps.builder().environment(Map.of("GIT_PUSH_INTEGRATION_POLICY", "AlwaysMerge"))
        .pushIntegrationPolicy(GitSteps.PushIntegrationPolicy.REBASE_OR_FAIL).build().pushIntegrationPolicy())
        .as("the builder wins").isEqualTo(GitSteps.PushIntegrationPolicy.REBASE_OR_FAIL);
    assertThatThrownBy(() -> GitSteps.builder().environment(Map.of("GIT_PUSH_INTEGRATION_POLICY", "Sometimes")).build())
        .hasMessage("GIT_PUSH_INTEGRATION_POLICY: unknown push integration policy \"Sometimes\" (expected "
            + "AlwaysRebase, AlwaysMerge, RebaseOrMerge or RebaseOrFail)");
    assertThatThrownBy(() -> GitSteps.builder().environment(Map.of("ALLOW_CREDENTIALS_OVER_HTTP", "yes")).build())
        .hasMessage("ALLOW_CREDENTIALS_OVER_HTTP: \"yes\" is not a boolean (expected true or false)");
    assertThatThrownBy(() -> GitSteps.builder().author("", "a@b"))
        .hasMessage("author name must not be blank, but was \"\"");
    assertThatThrownBy(() -> GitSteps.builder().signingKey("secret text"))
        .hasMessage("signingKey must be an ASCII-armored GPG private key (-----BEGIN PGP PRIVATE KEY BLOCK-----)");
    assertThat(GitSteps.create().steps()).extracting(s -> s.name())
        .containsExactly("git-clone", "git-clear", "git-commit", "git-push", "git-tag",
        "git-open-pr", "git-wait-for-pr", "git-merge-pr");
  }

  @Test
  void kargosGitClientVariablesGiveTheIdentityUnlessTheBuilderDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path key = java.nio.file.Files.writeString(tmp.resolve("key.asc"),
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nxyz\n");
    Map<String, String> env = Map.of("GITCLIENT_NAME", "Kargo Bot", "GITCLIENT_EMAIL", "bot@example.com",
        "GITCLIENT_SIGNING_KEY_PATH", key.toString());

    assertThat(GitSteps.builder().environment(env).build().toString())
        .contains("identity=Kargo Bot <bot@example.com> (signing)");
    assertThat(GitSteps.builder().environment(env).author("Host", "host@example.com").build().toString())
        .contains("identity=Host <host@example.com> (signing)");
    assertThat(GitSteps.builder().environment(Map.of()).build().toString())
        .contains("identity=promokit <no-reply@promokit.io>,");
    assertThatThrownBy(() -> GitSteps.builder().environment(Map.of("GITCLIENT_SIGNING_KEY_PATH", key.toString(),
        "GITCLIENT_SIGNING_KEY_TYPE", "ssh")).build())
        .hasMessage("GITCLIENT_SIGNING_KEY_TYPE: \"ssh\" is not supported (only gpg)");
  }

  @Test
  void sshUrlsAreToldFromHttpOnes() {
    assertThat(RemoteAccess.isSsh("ssh://git@host/repo")).isTrue();
    assertThat(RemoteAccess.isSsh("git@github.com:example/repo.git")).isTrue();
    assertThat(RemoteAccess.isSsh("https://github.com/example/repo.git")).isFalse();
    assertThat(RemoteAccess.isSsh("/local/path/repo.git")).isFalse();
    assertThat(RemoteAccess.isSsh("file:///local/path/repo.git")).isFalse();
    assertThat(RemoteAccess.isPlainHttp("HTTP://host/repo")).isTrue();
    assertThat(RemoteAccess.isPlainHttp("https://host/repo")).isFalse();
    assertThat(RemoteAccess.isHttp("https://host/repo")).isTrue();
    assertThat(RemoteAccess.isHttp("file:///srv/repo.git")).isFalse();
  }
}
