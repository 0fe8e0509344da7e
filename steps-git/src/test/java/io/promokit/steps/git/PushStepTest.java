package io.promokit.steps.git;

import static io.promokit.testkit.gitops.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepStatus;
import io.promokit.testkit.gitops.BareRepository;
import io.promokit.testkit.gitops.GitDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushStepTest {

  @TempDir
  Path tmp;

  private GitFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
      assertThat(fx.scratchLeftovers()).isEmpty();
      assertThat(ProcessHandle.current().descendants()
          .filter(p -> p.isAlive() && p.info().command().orElse("").endsWith("git-http-backend")))
          .as("the server stopped its backends").isEmpty();
    }
  }

  private GitFixture fixture() {
    fx = new GitFixture(tmp);
    return fx;
  }

  /** Clones main into {@code path}, writes a file and commits it. */
  private Path cloneAndCommit(GitSteps steps, String path, String file, String content) throws Exception {
    fx.cloneMain(steps, path);
    Path dir = fx.workdir.resolve(path);
    Files.writeString(dir.resolve(file), content);
    GitFixture.Attempt commit = fx.run(steps, "git-commit", Map.of("path", path, "message", "change " + file));
    assertThat(commit.status()).as(commit.toString()).isEqualTo(StepStatus.SUCCEEDED);
    return dir;
  }

  @Test
  void pushesToTheGeneratedBranchWithTheCommitUrlOfTheNamedProvider() throws Exception {
    fixture();
    GitSteps steps = fx.steps();
    Path src = cloneAndCommit(steps, "src", "new.txt", "new\n");

    GitFixture.Attempt push = fx.run(steps, "git-push",
        Map.of("path", "src", "generateTargetBranch", true, "provider", "github"));

    assertThat(push.status()).as(push.toString()).isEqualTo(StepStatus.SUCCEEDED);
    String head = git(src, "rev-parse", "HEAD").strip();
    assertThat(push.outputs()).isEqualTo(Map.of(
        "commit", head,
        "branch", "kargo/promotion/fake-promotion",
        "commitURL", "https://127.0.0.1:" + fx.server.port() + "/promokit/app/commit/" + head));
    assertThat(fx.repo.head("kargo/promotion/fake-promotion")).contains(head);
    assertThat(fx.repo.head("main")).contains(fx.firstCommit);
  }

  @Test
  void pushesATagOnly() throws Exception {
    fixture();
    GitSteps steps = fx.steps();
    Path src = cloneAndCommit(steps, "src", "new.txt", "new\n");
    fx.run(steps, "git-tag", Map.of("path", "src", "tag", "v1.0.0", "message", "release"));

    GitFixture.Attempt push = fx.run(steps, "git-push", Map.of("path", "src", "tag", "v1.0.0", "provider", "gitlab"));

    assertThat(push.status()).as(push.toString()).isEqualTo(StepStatus.SUCCEEDED);
    String head = git(src, "rev-parse", "HEAD").strip();
    assertThat(push.outputs()).isEqualTo(Map.of("commit", head, "branch", "main",
        "commitURL", "https://127.0.0.1:" + fx.server.port() + "/promokit/app/-/commit/" + head));
    assertThat(fx.repo.resolve("v1.0.0")).contains(head);
    assertThat(fx.repo.head("main")).as("the branch is not pushed").contains(fx.firstCommit);
  }

  @Test
  void alwaysRebaseReplaysLocalCommitsOnTheMovedRemoteBranch() throws Exception {
    fixture();
    GitSteps steps = fx.steps();
    Path src = cloneAndCommit(steps, "src", "mine.txt", "mine\n");
    String theirs = fx.repo.commit("main", "theirs", Map.of("theirs.txt", "theirs\n"));

    GitFixture.Attempt push = fx.run(steps, "git-push", Map.of("path", "src"));

    assertThat(push.status()).as(push.toString()).isEqualTo(StepStatus.SUCCEEDED);
    String pushed = fx.repo.head("main").orElseThrow();
    assertThat(push.outputs()).isEqualTo(Map.of("commit", pushed, "branch", "main"));
    assertThat(fx.repo.parents(pushed)).containsExactly(theirs);
    assertThat(fx.repo.files("main")).contains("mine.txt", "theirs.txt");
    assertThat(git(src, "rev-parse", "HEAD").strip()).isEqualTo(pushed);
  }

  @Test
  void alwaysMergeJoinsBothHistories() throws Exception {
    fixture();
    GitSteps steps = fx.stepsBuilder().pushIntegrationPolicy(GitSteps.PushIntegrationPolicy.ALWAYS_MERGE).build();
    cloneAndCommit(steps, "src", "mine.txt", "mine\n");
    String theirs = fx.repo.commit("main", "theirs", Map.of("theirs.txt", "theirs\n"));

    GitFixture.Attempt push = fx.run(steps, "git-push", Map.of("path", "src"));

    assertThat(push.status()).as(push.toString()).isEqualTo(StepStatus.SUCCEEDED);
    String pushed = fx.repo.head("main").orElseThrow();
    assertThat(fx.repo.parents(pushed)).hasSize(2).contains(theirs);
  }

  @Test
  void theEnvironmentChoosesThePolicyAndRebaseOrMergeRebasesUnsignedCommits() throws Exception {
    fixture();
    GitSteps steps = fx.stepsBuilder()
        .environment(Map.of("GIT_PUSH_INTEGRATION_POLICY", "RebaseOrMerge")).build();
    assertThat(steps.pushIntegrationPolicy()).isEqualTo(GitSteps.PushIntegrationPolicy.REBASE_OR_MERGE);
    cloneAndCommit(steps, "src", "mine.txt", "mine\n");
    String theirs = fx.repo.commit("main", "theirs", Map.of("theirs.txt", "theirs\n"));

    GitFixture.Attempt push = fx.run(steps, "git-push", Map.of("path", "src"));

    assertThat(push.status()).as(push.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(fx.repo.parents(fx.repo.head("main").orElseThrow())).containsExactly(theirs);
  }

  @Test
  void aMergeConflictFailsTheStepAndLeavesTheWorktreeAsItWas() throws Exception {
    fixture();
    GitSteps steps = fx.steps();
    Path src = cloneAndCommit(steps, "src", "README.md", "mine\n");
    String mine = git(src, "rev-parse", "HEAD").strip();
    String theirs = fx.repo.commit("main", "theirs", Map.of("README.md", "theirs\n"));

    GitFixture.Attempt push = fx.run(steps, "git-push", Map.of("path", "src"));

    assertThat(push.status()).isEqualTo(StepStatus.FAILED);
    assertThat(push.message()).isEqualTo("error pushing commits to remote: merge conflict while rebasing "
        + "onto origin/main (conflicting files: README.md); the rebase was aborted and the worktree left as it was");
    assertThat(git(src, "rev-parse", "HEAD").strip()).isEqualTo(mine);
    assertThat(git(src, "status", "--porcelain")).isEmpty();
    assertThat(fx.repo.head("main")).contains(theirs);
  }

  @Test
  void aPushThatLosesARaceIsRetriedAfterIntegratingAgain() throws Exception {
    AtomicInteger races = new AtomicInteger();
    fx = new GitFixture(tmp, server -> server.beforeReceivePack(name -> {
      // Another promotion pushes first, twice: the step's pushes lose until the third.
      if (races.getAndIncrement() < 2) {
        BareRepository.open(tmp.resolve("served").resolve(GitFixture.REPO))
            .commit("main", "concurrent " + races.get(), Map.of("concurrent-" + races.get() + ".txt", "x\n"));
      }
    }));
    GitSteps steps = fx.steps();
    cloneAndCommit(steps, "src", "mine.txt", "mine\n");

    GitFixture.Attempt push = fx.run(steps, "git-push", Map.of("path", "src"));

    assertThat(push.status()).as(push.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(races.get()).isEqualTo(3);
    assertThat(fx.repo.messages("main")).containsExactly("change mine.txt", "concurrent 2", "concurrent 1", "initial");
    assertThat(push.context().lines()).filteredOn(l -> l.contains("lost a race")).hasSize(2);
  }

  @Test
  void givesUpAfterMaxAttempts() throws Exception {
    fx = new GitFixture(tmp, server -> server.beforeReceivePack(name ->
        BareRepository.open(tmp.resolve("served").resolve(GitFixture.REPO))
            .commit("main", "always first", Map.of("x-" + System.nanoTime(), "x\n"))));
    GitSteps steps = fx.steps();
    cloneAndCommit(steps, "src", "mine.txt", "mine\n");

    GitFixture.Attempt push = fx.run(steps, "git-push", Map.of("path", "src", "maxAttempts", 2));

    assertThat(push.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(push.message()).startsWith("error pushing commits to remote: the push to main was rejected 2 "
        + "times because the remote branch moved (maxAttempts 2): ")
        .contains("! [remote rejected] HEAD -> main (failed to update ref)");
  }

  @Test
  void concurrentPushesFromTwoPromotionsBothLand() throws Exception {
    fixture();
    GitSteps steps = fx.steps();
    cloneAndCommit(steps, "a", "a.txt", "a\n");
    cloneAndCommit(steps, "b", "b.txt", "b\n");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<GitFixture.Attempt> pushA = () -> fx.run(steps, "git-push", Map.of("path", "a"));
      Callable<GitFixture.Attempt> pushB = () -> fx.run(steps, "git-push", Map.of("path", "b"));
      List<Future<GitFixture.Attempt>> both = pool.invokeAll(List.of(pushA, pushB));
      for (Future<GitFixture.Attempt> f : both) {
        assertThat(f.get().status()).as(f.get().message()).isEqualTo(StepStatus.SUCCEEDED);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(fx.repo.files("main")).contains("a.txt", "b.txt");
    assertThat(fx.repo.messages("main")).hasSize(3);
  }

  @Test
  void forceReplacesTheRemoteHistory() throws Exception {
    fixture();
    GitSteps steps = fx.steps();
    Path src = cloneAndCommit(steps, "src", "mine.txt", "mine\n");
    fx.repo.commit("main", "theirs", Map.of("theirs.txt", "t\n"));

    GitFixture.Attempt push = fx.run(steps, "git-push", Map.of("path", "src", "force", true));

    assertThat(push.status()).as(push.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(fx.repo.head("main")).contains(git(src, "rev-parse", "HEAD").strip());
    assertThat(fx.repo.files("main")).doesNotContain("theirs.txt");
  }

  @Test
  void aDetachedHeadNeedsATargetBranch() throws Exception {
    fixture();
    GitSteps steps = fx.steps();
    fx.run(steps, "git-clone", Map.of("repoURL", fx.url,
        "checkout", List.of(Map.of("commit", fx.firstCommit, "path", "src"))));

    GitFixture.Attempt noTarget = fx.run(steps, "git-push", Map.of("path", "src"));
    GitFixture.Attempt target = fx.run(steps, "git-push", Map.of("path", "src", "targetBranch", "stage/prod"));

    assertThat(noTarget.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(noTarget.message()).isEqualTo("error pushing commits to remote: src is on no branch "
        + "(detached HEAD); give targetBranch");
    assertThat(target.status()).as(target.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(fx.repo.head("stage/prod")).contains(fx.firstCommit);
  }

  @Test
  void aPushTheRemoteRefusesIsAnErrorWithoutRetries() throws Exception {
    fixture();
    try (GitDaemon daemon = GitDaemon.start(fx.served)) {
      GitSteps steps = GitSteps.builder().environment(Map.of()).scratchDirectory(fx.scratch).build();
      fx.run(steps, "git-clone", Map.of("repoURL", daemon.url(GitFixture.REPO),
          "checkout", List.of(Map.of("branch", "main", "path", "src"))));
      Files.writeString(fx.workdir.resolve("src/x.txt"), "x");
      fx.run(steps, "git-commit", Map.of("path", "src", "message", "x"));

      GitFixture.Attempt push = fx.run(steps, "git-push", Map.of("path", "src"));

      assertThat(push.status()).isEqualTo(StepStatus.ERRORED);
      assertThat(push.message()).startsWith("error pushing commits to remote: git push exited with code 128")
          .endsWith("fatal: remote error: service not enabled: /promokit/app.git");
      assertThat(push.context().lines()).noneMatch(l -> l.contains("lost a race"));
    }
  }

  @Test
  void anAbortStopsGitAndLeavesNoPrivateFilesBehind() throws Exception {
    java.util.concurrent.CountDownLatch pushing = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    fx = new GitFixture(tmp, server -> server.beforeReceivePack(name -> {
      pushing.countDown();
      try {
        release.await(60, java.util.concurrent.TimeUnit.SECONDS); // a remote that hangs
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    GitSteps steps = fx.steps();
    cloneAndCommit(steps, "src", "mine.txt", "mine\n");
    io.promokit.RegisteredStep push = steps.steps().stream().filter(s -> s.name().equals("git-push")).findFirst().orElseThrow();
    io.promokit.testkit.TestStepContext context = io.promokit.testkit.TestStepContext.builder(fx.workdir)
        .alias("push").stepName("git-push").config(Map.of("path", "src")).build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<io.promokit.StepResult> attempt = pool.submit(() -> context.run(push));
      assertThat(pushing.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(fx.scratchLeftovers()).as("the askpass helper exists while git runs").hasSize(1);

      context.cancel();

      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> attempt.get(30, java.util.concurrent.TimeUnit.SECONDS)))
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(fx.scratchLeftovers()).as("the askpass helper is deleted").isEmpty();
      assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("")
          .matches(".*(git push|remote-http|send-pack).*")))
          .as("no git process of the step is left").isEmpty();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}
