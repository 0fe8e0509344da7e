package io.promokit.steps.git;

import java.util.List;

/**
 * What {@code git-open-pr} asks a host to open.
 *
 * @param head the source branch
 * @param base the target branch
 * @param title the title
 * @param description the body (may be empty)
 * @param labels label names (may be empty)
 */
record NewPullRequest(String head, String base, String title, String description, List<String> labels) {

  NewPullRequest {
    labels = List.copyOf(labels);
  }
}
