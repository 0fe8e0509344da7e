package io.promokit.steps.git;

import java.util.List;

/**
 * One repository at a pull-request host (GitHub, GitLab, Gitea, Azure DevOps, Bitbucket Cloud): the REST calls
 * the PR steps make, over {@link ProviderHttp}. Made for one attempt of a step ({@link PullRequestProviders});
 * not thread-safe.
 *
 * <p>Every method throws {@link ProviderException} when the host answers with an error, transient (network,
 * 429, 5xx, a rate limit: {@link ProviderException#isTransient()}) or not, and {@link InterruptedException}
 * when the step's attempt is cancelled.
 */
interface PullRequestProvider {

  /** The host kind. */
  GitHost host();

  /**
   * Every pull request from {@code head} to {@code base}, open or closed (merged or not), reading every page
   * of the host's list. Hosts whose list takes no branch filter are filtered here.
   */
  List<PullRequest> list(String head, String base) throws InterruptedException;

  /** Opens a pull request, with its labels where the host takes them in the same call. */
  PullRequest create(NewPullRequest request) throws InterruptedException;

  /**
   * Adds labels the host cannot set when it opens a pull request (GitHub: an idempotent call of its own); a
   * no-op elsewhere.
   */
  default void addLabels(long number, List<String> labels) throws InterruptedException {}

  /** Whether {@link #addLabels} makes a call of its own. */
  default boolean labelsAfterCreation() {
    return false;
  }

  /** One pull request by number. */
  PullRequest get(long number) throws InterruptedException;

  /**
   * Merges a pull request with the host's {@code method} (empty: the host's default), as Kargo decides per
   * host whether it is ready. A pull request closed without a merge is a {@link ProviderException}.
   */
  MergeResult merge(long number, String method) throws InterruptedException;
}
