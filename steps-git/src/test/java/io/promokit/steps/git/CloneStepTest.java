package io.promokit.steps.git;

import static io.promokit.testkit.gitops.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepStatus;
import io.promokit.testkit.gitops.BareRepository;
import io.promokit.testkit.gitops.CommitSpec;
import io.promokit.testkit.gitops.GitDaemon;
import io.promokit.testkit.gitops.GitSshServer;
import io.promokit.testkit.gitops.TestSshKey;
import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloneStepTest {

  @TempDir
  Path tmp;

  private GitFixture fx;

  @BeforeEach
  void setUp() {
    fx = new GitFixture(tmp);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
    assertThat(fx.scratchLeftovers()).as("private folders of the attempts are gone").isEmpty();
  }

  @Test
  void clonesABranchOverHttpWithCredentials() throws Exception {
    GitFixture.Attempt clone = fx.cloneMain(fx.steps(), "./src");

    Path src = fx.workdir.resolve("src");
    assertThat(src.resolve("README.md")).hasContent("hello");
    assertThat(clone.outputs()).isEqualTo(Map.of("commits", Map.of("./src", fx.firstCommit)));
    assertThat(git(src, "branch", "--show-current").strip()).isEqualTo("main");
    assertThat(fx.server.requests()).anySatisfy(r -> assertThat(r.user()).isEqualTo(GitFixture.USER));
    // one clone folder holding the bare repository and the clone's own config
    try (Stream<Path> entries = Files.list(fx.workdir)) {
      assertThat(entries.map(p -> p.getFileName().toString())).filteredOn(n -> n.startsWith("repo-")).hasSize(1);
    }
  }

  @Test
  void kargosRunCaseChecksOutACommitAndCreatesAnOrphanBranch() throws Exception {
    GitFixture.Attempt clone = fx.run(fx.steps(), "git-clone", Map.of(
        "repoURL", fx.url,
        "checkout", List.of(
            Map.of("commit", fx.firstCommit, "path", "src"),
            Map.of("branch", "stage/dev", "create", true, "path", "out"))));

    assertThat(clone.status()).as(clone.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(fx.workdir.resolve("src/README.md")).hasContent("hello");
    try (Stream<Path> out = Files.list(fx.workdir.resolve("out"))) {
      assertThat(out.map(p -> p.getFileName().toString())).containsExactly(".git");
    }
    String orphan = fx.repo.head("stage/dev").orElseThrow();
    assertThat(clone.outputs()).isEqualTo(Map.of("commits", Map.of("src", fx.firstCommit, "out", orphan)));
    assertThat(fx.repo.parents(orphan)).isEmpty();
    assertThat(fx.repo.messages("stage/dev")).containsExactly("Initial commit");
    assertThat(fx.repo.files("stage/dev")).isEmpty();
    assertThat(git(fx.workdir.resolve("src"), "status", "--porcelain", "--branch")).startsWith("## HEAD (no branch)");
  }

  @Test
  void checksOutATagDetachedAndTheRemotesDefaultBranchWhenNoneIsGiven() throws Exception {
    String second = fx.repo.commit("trunk", "on trunk", Map.of("trunk.txt", "t\n"));
    fx.repo.setDefaultBranch("trunk");
    fx.repo.tag("v1.0.0", fx.firstCommit);

    GitFixture.Attempt clone = fx.run(fx.steps(), "git-clone", Map.of(
        "repoURL", fx.url,
        "checkout", List.of(Map.of("tag", "v1.0.0", "path", "tagged", "as", "release"), Map.of("path", "default"))));

    assertThat(clone.status()).as(clone.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(clone.outputs()).isEqualTo(Map.of("commits", Map.of("release", fx.firstCommit, "default", second)));
    assertThat(git(fx.workdir.resolve("default"), "branch", "--show-current").strip()).isEqualTo("trunk");
    assertThat(git(fx.workdir.resolve("tagged"), "branch", "--show-current").strip()).isEmpty();
  }

  @Test
  void aMissingBranchWithoutCreateIsAnErrorAndLeavesNothingBehind() throws Exception {
    GitFixture.Attempt clone = fx.run(fx.steps(), "git-clone", Map.of(
        "repoURL", fx.url, "checkout", List.of(Map.of("branch", "stage/qa", "path", "out"))));

    assertThat(clone.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(clone.message()).isEqualTo("error ensuring existence of remote branch stage/qa: remote branch "
        + "\"stage/qa\" of repo " + fx.url + " does not exist; set create=true if you'd like a non-existent remote "
        + "branch to be automatically created at checkout");
    try (Stream<Path> entries = Files.list(fx.workdir)) {
      assertThat(entries).as("the attempt removed its clone").isEmpty();
    }
  }

  @Test
  void sparseCheckoutWritesOnlyTheCone() throws Exception {
    fx.repo.commit(CommitSpec.on("main").message("more dirs").write("apps/cart/values.yaml", "x\n")
        .write("docs/guide.md", "d\n"));

    GitFixture.Attempt clone = fx.run(fx.steps(), "git-clone", Map.of(
        "repoURL", fx.url, "blobless", true,
        "checkout", List.of(Map.of("branch", "main", "path", "src", "sparse", List.of("apps/shop")))));

    assertThat(clone.status()).as(clone.toString()).isEqualTo(StepStatus.SUCCEEDED);
    Path src = fx.workdir.resolve("src");
    assertThat(src.resolve("apps/shop/values.yaml")).exists();
    assertThat(src.resolve("README.md")).as("cone mode keeps top-level files").exists();
    assertThat(src.resolve("apps/cart")).doesNotExist();
    assertThat(src.resolve("docs")).doesNotExist();
    assertThat(git(src, "status", "--porcelain")).isEmpty();
    assertThat(git(src, "config", "remote.origin.partialclonefilter").strip()).isEqualTo("blob:none");
  }

  @Test
  void recursesIntoSubmodulesWithTheClonesCredentials() throws Exception {
    BareRepository sub = BareRepository.create(fx.served.resolve("promokit/sub.git"));
    String subCommit = sub.commit("main", "sub", Map.of("sub.txt", "in the submodule\n"));
    fx.repo.commit(CommitSpec.on("main").message("add submodule")
        .write(".gitmodules", "[submodule \"sub\"]\n\tpath = sub\n\turl = ../sub.git\n")
        .submodule("sub", subCommit));

    GitFixture.Attempt clone = fx.run(fx.steps(), "git-clone", Map.of(
        "repoURL", fx.url, "recurseSubmodules", true,
        "checkout", List.of(Map.of("branch", "main", "path", "src"))));

    assertThat(clone.status()).as(clone.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(fx.workdir.resolve("src/sub/sub.txt")).hasContent("in the submodule");
    assertThat(fx.server.requests()).filteredOn(r -> r.path().contains("sub.git"))
        .allSatisfy(r -> assertThat(r.status()).isIn(200, 401));
  }

  @Test
  void credentialsGoOnlyToTheHostTheyAreForNotToASubmoduleElsewhere() throws Exception {
    java.nio.file.Path otherRoot = Files.createDirectories(tmp.resolve("other"));
    BareRepository sub = BareRepository.create(otherRoot.resolve("sub.git"));
    String subCommit = sub.commit("main", "sub", Map.of("sub.txt", "x\n"));
    try (io.promokit.testkit.gitops.GitHttpServer other = io.promokit.testkit.gitops.GitHttpServer.builder(otherRoot)
        .user(GitFixture.USER, fx.password).start()) {
      fx.repo.commit(CommitSpec.on("main").message("add a submodule on another host")
          .write(".gitmodules", "[submodule \"sub\"]\n\tpath = sub\n\turl = " + other.url("sub.git") + "\n")
          .submodule("sub", subCommit));

      GitFixture.Attempt clone = fx.run(fx.steps(), "git-clone", Map.of(
          "repoURL", fx.url, "recurseSubmodules", true,
          "checkout", List.of(Map.of("branch", "main", "path", "src"))));

      assertThat(clone.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(clone.message()).startsWith("error updating submodules for worktree at src: git submodule exited")
          .contains("promokit: no credentials for this prompt (Username for '" + other.url("").replaceAll("/$", "")
              + "': ): they belong to http://127.0.0.1:" + fx.server.port());
      assertThat(other.requests()).isNotEmpty().noneMatch(r -> r.sentCredentials());
    }
  }

  @Test
  void wrongCredentialsAreAClearErrorWithoutTheSecret() throws Exception {
    String wrong = "wrong-" + fx.password;
    GitSteps steps = fx.stepsBuilder().credentials(CredentialsProvider.builder()
        .add(CredentialType.GIT, fx.url, Credentials.usernamePassword(GitFixture.USER, wrong)).build()).build();

    GitFixture.Attempt clone = fx.run(steps, "git-clone", Map.of(
        "repoURL", fx.url, "checkout", List.of(Map.of("branch", "main", "path", "src"))));

    assertThat(clone.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(clone.message()).startsWith("error cloning " + fx.url + ": git clone exited with code 128")
        .contains("Authentication failed for '" + fx.url + "/'")
        .doesNotContain(wrong);
    assertThat(String.join("\n", clone.context().lines())).doesNotContain(wrong);
    try (Stream<Path> entries = Files.list(fx.workdir)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void sendsNoCredentialsOverPlainHttpUnlessAllowed() throws Exception {
    GitSteps steps = fx.stepsBuilder().allowCredentialsOverHttp(false).build();

    GitFixture.Attempt clone = fx.run(steps, "git-clone", Map.of(
        "repoURL", fx.url, "checkout", List.of(Map.of("branch", "main", "path", "src"))));

    assertThat(clone.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(clone.message()).contains("could not read Username");
    assertThat(clone.context().lines()).contains("INFO: not looking up credentials for " + fx.url
        + ": it is plain http:// (set ALLOW_CREDENTIALS_OVER_HTTP=true to send them anyway)");
    assertThat(fx.server.requests()).isNotEmpty().noneMatch(r -> r.sentCredentials());
  }

  @Test
  void theEnvironmentVariableAllowsCredentialsOverHttp() throws Exception {
    GitSteps steps = GitSteps.builder().credentials(fx.credentials()).scratchDirectory(fx.scratch)
        .environment(Map.of("ALLOW_CREDENTIALS_OVER_HTTP", "true")).build();

    fx.cloneMain(steps, "src");

    assertThat(fx.workdir.resolve("src/README.md")).exists();
  }

  @Test
  void sendsCredentialsOverHttpsAndChecksTheCertificateUnlessToldNotTo() throws Exception {
    try (io.promokit.testkit.gitops.GitHttpServer https = io.promokit.testkit.gitops.GitHttpServer.builder(fx.served)
        .user(GitFixture.USER, fx.password).https(true).start()) {
      String url = https.url(GitFixture.REPO);
      GitSteps steps = fx.stepsBuilder().allowCredentialsOverHttp(false).credentials(CredentialsProvider.builder()
          .add(CredentialType.GIT, url, Credentials.usernamePassword(GitFixture.USER, fx.password)).build()).build();

      GitFixture.Attempt checked = fx.run(steps, "git-clone", Map.of("repoURL", url,
          "checkout", List.of(Map.of("branch", "main", "path", "checked"))));
      GitFixture.Attempt skipped = fx.run(steps, "git-clone", Map.of("repoURL", url, "insecureSkipTLSVerify", true,
          "checkout", List.of(Map.of("branch", "main", "path", "src"))));

      assertThat(checked.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(checked.message()).contains("server certificate verification failed");
      assertThat(skipped.status()).as(skipped.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(fx.workdir.resolve("src/README.md")).hasContent("hello");
      assertThat(https.requests()).anySatisfy(r -> assertThat(r.user()).isEqualTo(GitFixture.USER));
    }
  }

  @Test
  void clonesOverSshWithAKeyAndRefusesAnUnknownKey() throws Exception {
    TestSshKey key = TestSshKey.generate(tmp.resolve("keys"));
    TestSshKey other = TestSshKey.generate(tmp.resolve("other-keys"));
    try (GitSshServer ssh = GitSshServer.builder(fx.served).authorizedKey(key).stateDir(tmp.resolve("ssh")).start()) {
      String url = ssh.url(GitFixture.REPO);
      GitSteps good = fx.stepsBuilder().credentials(CredentialsProvider.builder()
          .add(CredentialType.GIT, url, Credentials.sshPrivateKey(key.privateKey())).build()).build();
      GitSteps bad = fx.stepsBuilder().credentials(CredentialsProvider.builder()
          .add(CredentialType.GIT, url, Credentials.sshPrivateKey(other.privateKey())).build()).build();

      GitFixture.Attempt cloned = fx.run(good, "git-clone", Map.of("repoURL", url,
          "checkout", List.of(Map.of("branch", "main", "path", "src"))));
      GitFixture.Attempt refused = fx.run(bad, "git-clone", Map.of("repoURL", url,
          "checkout", List.of(Map.of("branch", "main", "path", "other"))));

      assertThat(cloned.status()).as(cloned.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(fx.workdir.resolve("src/README.md")).hasContent("hello");
      assertThat(refused.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(refused.message()).contains("Permission denied (publickey)")
          .doesNotContain(other.privateKey().lines().skip(1).findFirst().orElseThrow());
    }
  }

  @Test
  void clonesAnonymouslyFromGitDaemon() throws Exception {
    try (GitDaemon daemon = GitDaemon.start(fx.served)) {
      GitFixture.Attempt clone = fx.run(GitSteps.builder().environment(Map.of()).scratchDirectory(fx.scratch).build(),
          "git-clone", Map.of("repoURL", daemon.url(GitFixture.REPO), "checkout", List.of(Map.of("path", "src"))));

      assertThat(clone.status()).as(clone.toString()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(fx.workdir.resolve("src/README.md")).hasContent("hello");
    }
  }

  @Test
  void aCheckoutPathThatHoldsFilesIsAnError() throws Exception {
    Files.createDirectories(fx.workdir.resolve("src"));
    Files.writeString(fx.workdir.resolve("src/mine.txt"), "mine");

    GitFixture.Attempt clone = fx.run(fx.steps(), "git-clone", Map.of(
        "repoURL", fx.url, "checkout", List.of(Map.of("branch", "main", "path", "src"))));

    assertThat(clone.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(clone.message()).isEqualTo("error adding work tree src to repo " + fx.url
        + ": working tree already exists at src");
    assertThat(fx.workdir.resolve("src/mine.txt")).hasContent("mine");
  }

  @Test
  void aMissingGitBinarySaysWhatToInstall() throws Exception {
    GitSteps steps = fx.stepsBuilder().gitBinary("git-that-is-not-installed").build();

    GitFixture.Attempt clone = fx.run(steps, "git-clone", Map.of(
        "repoURL", fx.url, "checkout", List.of(Map.of("branch", "main", "path", "src"))));

    assertThat(clone.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(clone.message()).isEqualTo("git-that-is-not-installed not found on PATH: "
        + "install git 2.39 or newer (Debian: apt-get install git)");
  }

  @Test
  void insecureSkipTlsVerifyAndTheIdentityGoIntoTheClonesOwnConfig() throws Exception {
    GitSteps steps = fx.stepsBuilder().author("Promo Bot", "bot@example.com").build();

    fx.run(steps, "git-clone", Map.of("repoURL", fx.url, "insecureSkipTLSVerify", true,
        "checkout", List.of(Map.of("branch", "main", "path", "src"))));

    Path home = Files.list(fx.workdir).filter(p -> p.getFileName().toString().startsWith("repo-")).findFirst().orElseThrow();
    String config = Files.readString(home.resolve(".gitconfig"));
    assertThat(config).contains("sslVerify = false").contains("name = Promo Bot").contains("email = bot@example.com");
  }
}
