package io.promokit.testkit.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Merges for a {@link GitProviderFake}, with the real {@code git} in a temporary linked worktree of the bare
 * repository: a merge commit, a squash, a rebase, a fast-forward, and the combinations the providers offer. The
 * target branch moves only if nobody moved it meanwhile ({@code update-ref} with the old value).
 */
final class FakeMerges {

  /** How a pull request is merged. */
  enum Style {
    /** A merge commit ({@code --no-ff}). */
    MERGE_COMMIT,
    /** One commit with the source's changes on top of the target. */
    SQUASH,
    /** The source's commits replayed on the target, which then fast-forwards. */
    REBASE,
    /** The source's commits replayed on the target, joined by a merge commit. */
    REBASE_MERGE,
    /** The target fast-forwards to the source (fails unless it can). */
    FAST_FORWARD,
    /** A squash, only when the target could fast-forward. */
    SQUASH_FAST_FORWARD,
    /** GitLab's squash: a squash commit, then a merge commit joining it. */
    SQUASH_THEN_MERGE_COMMIT
  }

  /** The merge did not happen; {@code getMessage()} says why in git's words. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean conflict;

    Refused(String message, boolean conflict) {
      super(message);
      this.conflict = conflict;
    }

    /** Whether the branches conflict (else: not a fast-forward, or the target moved). */
    boolean conflict() {
      return conflict;
    }
  }

  /** What a merge made. */
  record Outcome(String mergeCommit, String squashCommit) {}

  private final Path scratch;
  private final Map<String, String> identity;

  /**
   * @param scratch where the temporary worktrees go
   * @param committer the name commits are made as
   */
  FakeMerges(Path scratch, String committer) {
    this.scratch = scratch;
    this.identity = Map.of("GIT_AUTHOR_NAME", committer, "GIT_AUTHOR_EMAIL", "noreply@fake.promokit.test",
        "GIT_COMMITTER_NAME", committer, "GIT_COMMITTER_EMAIL", "noreply@fake.promokit.test");
  }

  /** Whether merging {@code head} into {@code base} conflicts ({@code git merge-tree --write-tree}). */
  static boolean conflicts(BareRepository repo, String base, String head) {
    TestGit.Result r = TestGit.run(repo.path(), Map.of(), "merge-tree", "--write-tree", "--no-messages", base, head);
    if (r.exitCode() > 1) {
      throw new IllegalStateException("git merge-tree " + base + " " + head + " in " + repo.path() + ": " + r.stderr());
    }
    return r.exitCode() == 1;
  }

  /** Whether {@code head} has commits {@code base} lacks. */
  static boolean hasCommitsToMerge(BareRepository repo, String base, String head) {
    return Integer.parseInt(repo.git("rev-list", "--count", base + ".." + head).strip()) > 0;
  }

  /**
   * Merges {@code headSha} into branch {@code base} and moves the branch.
   *
   * @throws Refused on a conflict, a fast-forward that cannot be, or a target that moved meanwhile
   */
  Outcome merge(BareRepository repo, String base, String headSha, Style style, String message) {
    String baseSha = repo.head(base).orElseThrow(() -> new Refused("target branch " + base + " does not exist", false));
    Path work;
    try {
      Files.createDirectories(scratch);
      work = Files.createTempDirectory(scratch, "merge-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(repo.path(), "worktree", "add", "--quiet", "--detach", work.toString(), baseSha);
    try {
      String squash = null;
      switch (style) {
        case MERGE_COMMIT -> mergeCommit(work, headSha, message);
        case SQUASH -> squash(work, headSha, message);
        case REBASE -> rebase(work, baseSha, headSha);
        case REBASE_MERGE -> {
          String rebased = rebase(work, baseSha, headSha);
          git(work, "checkout", "--quiet", "--detach", baseSha);
          mergeCommit(work, rebased, message);
        }
        case FAST_FORWARD -> {
          requireFastForward(repo, baseSha, headSha);
          git(work, "checkout", "--quiet", "--detach", headSha);
        }
        case SQUASH_FAST_FORWARD -> {
          requireFastForward(repo, baseSha, headSha);
          squash(work, headSha, message);
        }
        case SQUASH_THEN_MERGE_COMMIT -> {
          String mergeBase = git(work, "merge-base", baseSha, headSha).strip();
          squash = git(work, "commit-tree", "-p", mergeBase, "-m", message, headSha + "^{tree}").strip();
          mergeCommit(work, squash, message);
        }
      }
      String result = git(work, "rev-parse", "HEAD").strip();
      TestGit.Result moved = TestGit.run(repo.path(), identity, "update-ref", "refs/heads/" + base, result, baseSha);
      if (moved.exitCode() != 0) {
        throw new Refused("the target branch moved while merging: " + moved.stderr().strip(), false);
      }
      return new Outcome(result, squash);
    } finally {
      TestGit.run(repo.path(), Map.of(), "worktree", "remove", "--force", work.toString());
      TestGit.run(repo.path(), Map.of(), "worktree", "prune");
    }
  }

  private void mergeCommit(Path work, String commit, String message) {
    TestGit.Result merged = TestGit.run(work, identity, "merge", "--no-ff", "--no-edit", "-m", message, commit);
    if (merged.exitCode() != 0) {
      TestGit.run(work, identity, "merge", "--abort");
      throw new Refused("merge conflict: " + (merged.stdout() + merged.stderr()).strip(), true);
    }
  }

  private void squash(Path work, String commit, String message) {
    TestGit.Result merged = TestGit.run(work, identity, "merge", "--squash", commit);
    if (merged.exitCode() != 0) {
      TestGit.run(work, identity, "reset", "--hard", "--quiet");
      throw new Refused("merge conflict: " + (merged.stdout() + merged.stderr()).strip(), true);
    }
    git(work, "commit", "--quiet", "--allow-empty", "-m", message);
  }

  private String rebase(Path work, String baseSha, String headSha) {
    git(work, "checkout", "--quiet", "--detach", headSha);
    TestGit.Result rebased = TestGit.run(work, identity, "rebase", "--quiet", baseSha);
    if (rebased.exitCode() != 0) {
      TestGit.run(work, identity, "rebase", "--abort");
      throw new Refused("rebase conflict: " + (rebased.stdout() + rebased.stderr()).strip(), true);
    }
    return git(work, "rev-parse", "HEAD").strip();
  }

  private static void requireFastForward(BareRepository repo, String baseSha, String headSha) {
    if (TestGit.run(repo.path(), Map.of(), "merge-base", "--is-ancestor", baseSha, headSha).exitCode() != 0) {
      throw new Refused("the target branch cannot be fast-forwarded to the source branch", false);
    }
  }

  private String git(Path dir, String... args) {
    TestGit.Result r = TestGit.run(dir, identity, args);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " in " + dir + " exited with " + r.exitCode()
          + ": " + r.stderr().strip());
    }
    return r.stdout();
  }
}
