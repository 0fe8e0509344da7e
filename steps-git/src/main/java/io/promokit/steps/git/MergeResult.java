package io.promokit.steps.git;

/** How a merge request to a host ended when it did not fail: merged, or not ready to merge yet. */
sealed interface MergeResult {

  /** The pull request is merged (now or before). */
  record Merged(PullRequest pullRequest) implements MergeResult {}

  /** The host cannot merge it yet (checks pending, a draft, a branch that moved); {@code why} says what. */
  record NotReady(String why) implements MergeResult {}
}
