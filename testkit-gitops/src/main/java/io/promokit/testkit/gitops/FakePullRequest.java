package io.promokit.testkit.gitops;

import java.time.Instant;
import java.util.List;

/**
 * A pull request (a GitLab merge request) as a {@link GitProviderFake} holds it, at the moment it was read.
 *
 * @param number its number in the repository
 * @param title its title
 * @param description its description (body)
 * @param sourceBranch the branch it merges from
 * @param targetBranch the branch it merges into
 * @param labels its labels, in the order they were added
 * @param state open, closed without a merge, or merged
 * @param draft whether it is a draft
 * @param headSha the source branch's commit it shows (frozen once merged or closed)
 * @param mergeCommitSha the commit the merge left on the target branch, or null
 * @param mergeMethod the provider's name of the method it was merged with, or null
 * @param createdAt when it was opened
 */
public record FakePullRequest(long number, String title, String description, String sourceBranch,
    String targetBranch, List<String> labels, State state, boolean draft, String headSha, String mergeCommitSha,
    String mergeMethod, Instant createdAt) {

  /** Where a pull request stands. */
  public enum State {
    /** Open (GitLab {@code opened}, Azure DevOps {@code active}). */
    OPEN,
    /** Closed without a merge (GitLab {@code closed}, Azure DevOps {@code abandoned}, Bitbucket {@code DECLINED}). */
    CLOSED,
    /** Merged (Azure DevOps {@code completed}). */
    MERGED
  }

  public FakePullRequest {
    labels = List.copyOf(labels);
  }
}
