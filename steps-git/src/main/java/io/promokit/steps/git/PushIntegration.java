package io.promokit.steps.git;

import io.promokit.steps.kit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Brings the remote branch's new commits into the worktree before a push, by the integration policy
 * (Kargo's {@code integrateBeforePush}): fetch the branch, then rebase onto it or merge it. A conflict
 * aborts the rebase or merge (the worktree is left as it was) and fails the step.
 */
final class PushIntegration {

  /** A conflict or a refused rebase: the step fails, retries cannot help. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private final Git git;
  private final Worktree worktree;
  private final String branch;
  private final String remoteRef;

  PushIntegration(Git git, Worktree worktree, String branch) {
    this.git = git;
    this.worktree = worktree;
    this.branch = branch;
    this.remoteRef = "refs/remotes/origin/" + branch;
  }

  /**
   * Integrates by the policy; does nothing when the remote branch does not exist yet.
   *
   * @throws Refused on a conflict, or when {@code RebaseOrFail} finds a rebase unsafe
   */
  void integrate(GitSteps.PushIntegrationPolicy policy) throws Refused, InterruptedException {
    ProcessResult fetched = git.run(worktree.dir(), "fetch", "--quiet", "--no-tags", "origin",
        "+refs/heads/" + branch + ":" + remoteRef);
    if (!fetched.succeeded()) {
      if (fetched.stderrTail().contains("couldn't find remote ref")) {
        return; // a new branch: nothing to integrate
      }
      throw Git.failure("error fetching remote branch " + branch, fetched);
    }
    if (git.read(worktree.dir(), "merge-base", "--is-ancestor", remoteRef, "HEAD").succeeded()) {
      return; // the remote has nothing the worktree lacks
    }
    switch (policy) {
      case ALWAYS_REBASE -> rebase();
      case ALWAYS_MERGE -> merge();
      case REBASE_OR_MERGE, REBASE_OR_FAIL -> {
        if (rebaseKeepsSignaturesHonest()) {
          rebase();
        } else if (policy == GitSteps.PushIntegrationPolicy.REBASE_OR_FAIL) {
          throw new Refused("error pushing commits to remote: rebase is unsafe: the commits to replay onto "
              + "origin/" + branch + " are signed differently than this clone would sign them, and the "
              + "RebaseOrFail policy does not merge instead");
        } else {
          merge();
        }
      }
    }
  }

  private void rebase() throws Refused, InterruptedException {
    ProcessResult rebased = git.run(worktree.dir(), "rebase", "--quiet", remoteRef);
    if (rebased.succeeded()) {
      return;
    }
    if (exists("rebase-merge") || exists("rebase-apply")) {
      List<String> files = conflictedFiles();
      git.run(worktree.dir(), "rebase", "--abort");
      throw new Refused("error pushing commits to remote: merge conflict while rebasing onto origin/" + branch
          + describe(files) + "; the rebase was aborted and the worktree left as it was");
    }
    throw Git.failure("error rebasing onto origin/" + branch, rebased);
  }

  private void merge() throws Refused, InterruptedException {
    ProcessResult merged = git.run(worktree.dir(), "merge", "--quiet", "--no-edit", remoteRef);
    if (merged.succeeded()) {
      return;
    }
    if (git.read(worktree.dir(), "rev-parse", "--verify", "--quiet", "MERGE_HEAD").succeeded()) {
      List<String> files = conflictedFiles();
      git.run(worktree.dir(), "merge", "--abort");
      throw new Refused("error pushing commits to remote: merge conflict while merging origin/" + branch
          + describe(files) + "; the merge was aborted and the worktree left as it was");
    }
    throw Git.failure("error merging origin/" + branch, merged);
  }

  /**
   * Kargo's rule: a rebase re-creates the local commits, so it is safe only when every one of them is
   * signed by a trusted key while this clone signs (it signs them again), or every one is unsigned while
   * it does not.
   */
  private boolean rebaseKeepsSignaturesHonest() throws InterruptedException {
    String log = git.okQuiet("error listing commits to replay", worktree.dir(), "log", "--format=%G?",
        remoteRef + "..HEAD");
    boolean signing = worktree.signs();
    for (String status : log.split("\n")) {
      String s = status.strip();
      if (s.isEmpty()) {
        continue;
      }
      boolean trusted = s.equals("G");
      boolean unsigned = s.equals("N");
      if (!(signing ? trusted : unsigned)) {
        return false;
      }
    }
    return true;
  }

  private List<String> conflictedFiles() throws InterruptedException {
    ProcessResult diff = git.read(worktree.dir(), "diff", "--name-only", "--diff-filter=U");
    return diff.stdout().lines().filter(l -> !l.isBlank()).toList();
  }

  private static String describe(List<String> files) {
    return files.isEmpty() ? "" : " (conflicting files: " + String.join(", ", files) + ")";
  }

  private boolean exists(String gitPath) throws InterruptedException {
    ProcessResult path = git.read(worktree.dir(), "rev-parse", "--git-path", gitPath);
    if (!path.succeeded()) {
      return false;
    }
    Path p = worktree.dir().resolve(path.stdout().strip());
    return Files.exists(p);
  }
}
