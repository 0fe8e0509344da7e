package io.promokit.steps.git;

import static io.promokit.testkit.gitops.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** git-clear, git-commit and git-tag on worktrees made by git-clone (Kargo's run cases and more). */
class WorktreeStepsTest {

  @TempDir
  Path tmp;

  private GitFixture fx;
  private GitSteps steps;

  @BeforeEach
  void setUp() {
    fx = new GitFixture(tmp);
    steps = fx.steps();
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
    assertThat(fx.scratchLeftovers()).isEmpty();
  }

  private Path orphanWorktree() throws Exception {
    GitFixture.Attempt clone = fx.run(steps, "git-clone", Map.of("repoURL", fx.url,
        "checkout", List.of(Map.of("branch", "orphan", "create", true, "path", "out"))));
    assertThat(clone.status()).as(clone.toString()).isEqualTo(StepStatus.SUCCEEDED);
    return fx.workdir.resolve("out");
  }

  @Test
  void clearEmptiesTheWorktreeButKeepsGitAndIgnoredFiles() throws Exception {
    Path out = orphanWorktree();
    Files.writeString(out.resolve("original.txt"), "original");
    Files.writeString(out.resolve(".gitignore"), "*.log\n");
    git(out, "add", ".");
    git(out, "commit", "-q", "-m", "files");
    Files.writeString(out.resolve("untracked.txt"), "new");
    Files.writeString(out.resolve("build.log"), "ignored");

    GitFixture.Attempt clear = fx.run(steps, "git-clear", Map.of("path", "out"));

    assertThat(clear.status()).as(clear.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(clear.outputs()).isEmpty();
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".git", "build.log");
    }
  }

  @Test
  void commitThenNothingToCommitKeepsTheSameHead() throws Exception {
    Path out = orphanWorktree();
    Files.writeString(out.resolve("file.txt"), "content");

    GitFixture.Attempt first = fx.run(steps, "git-commit", Map.of("path", "out", "message", "Initial commit"));
    GitFixture.Attempt second = fx.run(steps, "git-commit", Map.of("path", "out", "message", "again"));

    assertThat(first.status()).as(first.toString()).isEqualTo(StepStatus.SUCCEEDED);
    String head = git(out, "rev-parse", "HEAD").strip();
    assertThat(first.outputs()).isEqualTo(Map.of("commit", head));
    assertThat(git(out, "log", "-1", "--format=%B")).isEqualTo("Initial commit\n\n");
    assertThat(git(out, "log", "-1", "--format=%an <%ae>").strip()).isEqualTo("promokit <no-reply@promokit.io>");
    // Kargo's test: the second run is Skipped and its output still names HEAD.
    assertThat(second.status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(second.outputs()).isEqualTo(Map.of("commit", head));
    assertThat(second.message()).isEqualTo("nothing to commit in out; HEAD stays at " + head);
  }

  @Test
  void theDeprecatedAuthorBlockCommitsAsSomeoneElseUnsigned() throws Exception {
    fx.cloneMain(steps, "src");
    Files.writeString(fx.workdir.resolve("src/new.txt"), "x");

    GitFixture.Attempt commit = fx.run(steps, "git-commit", Map.of("path", "src", "message", "by someone",
        "author", Map.of("name", "Someone", "email", "someone@example.com")));

    assertThat(commit.status()).as(commit.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(git(fx.workdir.resolve("src"), "log", "-1", "--format=%an <%ae>|%cn|%G?").strip())
        .isEqualTo("Someone <someone@example.com>|Someone|N");
  }

  @Test
  void tagPointsAtHeadAndMovesOnlyWithForce() throws Exception {
    Path out = orphanWorktree();
    String first = git(out, "rev-parse", "HEAD").strip();

    GitFixture.Attempt tagged = fx.run(steps, "git-tag", Map.of("path", "out", "tag", "v1.0.0", "message", "release 1"));
    Files.writeString(out.resolve("more.txt"), "more");
    fx.run(steps, "git-commit", Map.of("path", "out", "message", "more"));
    String second = git(out, "rev-parse", "HEAD").strip();
    GitFixture.Attempt again = fx.run(steps, "git-tag", Map.of("path", "out", "tag", "v1.0.0", "message", "again"));
    GitFixture.Attempt forced = fx.run(steps, "git-tag",
        Map.of("path", "out", "tag", "v1.0.0", "message", "moved", "force", true, "unknownField", "tolerated"));

    assertThat(tagged.status()).as(tagged.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(tagged.outputs()).isEqualTo(Map.of("commit", first));
    assertThat(again.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(again.message()).isEqualTo("error creating tag v1.0.0: git tag exited with code 128: "
        + "fatal: tag 'v1.0.0' already exists");
    assertThat(forced.status()).as(forced.toString()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(forced.outputs()).isEqualTo(Map.of("commit", second));
    assertThat(git(out, "rev-parse", "v1.0.0^{commit}").strip()).isEqualTo(second);
    assertThat(git(out, "cat-file", "-t", "v1.0.0").strip()).as("annotated").isEqualTo("tag");
    assertThat(git(out, "tag", "-l", "--format=%(contents)", "v1.0.0").strip()).isEqualTo("moved");
  }

  @Test
  void aPathThatIsNoCheckoutIsAnError() throws Exception {
    Files.createDirectories(fx.workdir.resolve("plain"));

    GitFixture.Attempt commit = fx.run(steps, "git-commit", Map.of("path", "plain", "message", "m"));
    GitFixture.Attempt outside = fx.run(steps, "git-commit", Map.of("path", "../escape", "message", "m"));

    assertThat(commit.status()).isEqualTo(StepStatus.ERRORED);
    assertThat(commit.message()).isEqualTo("error loading working tree from plain: not a checkout made by "
        + "git-clone (it has no .git file)");
    assertThat(outside.status()).isEqualTo(StepStatus.FAILED);
    assertThat(outside.message()).startsWith("invalid config: config.path: \"../escape\"");
  }
}
