package io.promokit.steps.git;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.steps.kit.WorkdirPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A checkout made by {@code git-clone}, found again from its path: its clone (through the worktree's
 * {@code .git} file), the remote's URL and how the clone signs.
 *
 * @param dir the worktree
 * @param repository the clone it belongs to
 * @param url the remote's URL ({@code remote.origin.url}), as given to git-clone
 * @param signingSource {@code host}, {@code clone}, or null when the clone does not sign
 */
record Worktree(Path dir, Clone repository, String url, String signingSource) {

  /**
   * Loads the worktree at a config path.
   *
   * @throws io.promokit.steps.kit.WorkdirPaths.RejectedPathException when the path leaves the working
   *     directory (the step fails)
   * @throws StepException (retryable, as Kargo's "error loading working tree") when it is no git-clone
   *     checkout
   */
  static Worktree load(StepContext context, GitSettings settings, String path, String field)
      throws InterruptedException {
    Path dir = WorkdirPaths.resolve(context.workdir(), path, WorkdirPaths.Access.READ, field);
    Clone clone = cloneOf(dir, path);
    Map<String, String> config = readConfig(context, settings, clone);
    String url = config.get("remote.origin.url");
    if (url == null) {
      throw notACheckout(path, "its repository has no remote \"origin\"");
    }
    boolean signs = "true".equalsIgnoreCase(config.get("commit.gpgsign"));
    return new Worktree(dir, clone, url, signs ? config.getOrDefault(Clone.SIGNING_SOURCE_KEY.toLowerCase(), "host") : null);
  }

  /** Whether commits and tags of this clone are signed. */
  boolean signs() {
    return signingSource != null;
  }

  private static Clone cloneOf(Path dir, String path) {
    Path dotGit = dir.resolve(".git");
    if (!Files.isRegularFile(dotGit)) {
      throw notACheckout(path, Files.isDirectory(dotGit) ? "it is a plain clone, not a worktree" : "it has no .git file");
    }
    String content;
    try {
      content = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new StepException("error loading working tree from " + path + ": cannot read its .git file: " + e.getMessage(), e);
    }
    if (!content.startsWith("gitdir:")) {
      throw notACheckout(path, "its .git file does not name a git directory");
    }
    Path gitdir = dir.resolve(content.substring("gitdir:".length()).strip()).normalize();
    Path worktrees = gitdir.getParent();
    if (worktrees == null || !worktrees.getFileName().toString().equals("worktrees") || worktrees.getParent() == null) {
      throw notACheckout(path, "its .git file does not point into a repository's worktrees");
    }
    Path bare = worktrees.getParent();
    Clone clone = new Clone(bare.getParent(), bare);
    if (!Files.isRegularFile(bare.resolve("HEAD")) || !Files.isRegularFile(clone.gitconfig())) {
      throw notACheckout(path, "its repository " + bare + " is not a git-clone repository");
    }
    return clone;
  }

  /** The clone's global and repository config, one {@code git config --list} for every later read. */
  private static Map<String, String> readConfig(StepContext context, GitSettings settings, Clone clone)
      throws InterruptedException {
    String listing = Git.forClone(context, settings, clone.home())
        .okQuiet("error reading the configuration of " + clone.bare(), clone.bare(), "config", "--list", "-z");
    Map<String, String> config = new HashMap<>();
    for (String entry : listing.split("\0")) {
      int newline = entry.indexOf('\n');
      if (newline > 0) {
        config.put(entry.substring(0, newline).toLowerCase(), entry.substring(newline + 1));
      } else if (!entry.isEmpty()) {
        config.put(entry.toLowerCase(), "true");
      }
    }
    return config;
  }

  private static StepException notACheckout(String path, String why) {
    return new StepException("error loading working tree from " + path + ": not a checkout made by git-clone ("
        + why + ")");
  }
}
