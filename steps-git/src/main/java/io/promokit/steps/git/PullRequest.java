package io.promokit.steps.git;

import java.time.Instant;

/**
 * A pull request (a GitLab merge request) as the PR steps see it, whatever the host.
 *
 * @param number its number in the repository (GitLab's {@code iid}, Azure DevOps' {@code pullRequestId})
 * @param url its web page
 * @param open whether it is open (GitLab: {@code opened} or {@code locked}; Azure DevOps: {@code active})
 * @param merged whether it was merged
 * @param mergeCommitSha the commit the merge made on the target branch, empty when none (yet)
 * @param headSha the source branch's commit the pull request shows, empty when the host does not say
 * @param createdAt when it was opened, or null when the host does not say
 */
record PullRequest(long number, String url, boolean open, boolean merged, String mergeCommitSha, String headSha,
    Instant createdAt) {

  PullRequest {
    url = url == null ? "" : url;
    mergeCommitSha = mergeCommitSha == null ? "" : mergeCommitSha;
    headSha = headSha == null ? "" : headSha;
  }

  /**
   * Whether the pull request shows this commit of the source branch: the same SHA, or a host's abbreviation of
   * it (Bitbucket Cloud answers with 12-character hashes).
   */
  boolean shows(String fullSha) {
    return !headSha.isEmpty() && (headSha.equals(fullSha) || headSha.length() >= 7 && fullSha.startsWith(headSha));
  }
}
