package io.promokit.steps.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * GitHub and GitHub Enterprise Server ({@code /api/v3}): Kargo's calls through go-github, with a bearer token.
 * Merging follows Kargo's reading of {@code mergeable_state}: {@code clean}, {@code unstable} and
 * {@code has_hooks} merge; {@code dirty} is an error; {@code blocked} and {@code behind} try the merge and take a
 * 405 as "not ready"; {@code draft} and {@code unknown} are not ready; anything else is not ready when the pull
 * request is a draft or not mergeable. A 405 saying "Base branch was modified" or "Pull Request is not mergeable"
 * is not ready, one saying "not allowed" an error.
 */
final class GitHubProvider implements PullRequestProvider {

  private final ProviderHttp http;
  private final String owner;
  private final String repo;

  GitHubProvider(ProviderHttp http, ProviderRepository repository) {
    this.http = http;
    this.owner = repository.names().get(0);
    this.repo = repository.names().get(1);
  }

  @Override
  public GitHost host() {
    return GitHost.GITHUB;
  }

  private String repoPath() {
    return "/repos/" + ProviderHttp.segment(owner) + "/" + ProviderHttp.segment(repo);
  }

  @Override
  public List<PullRequest> list(String head, String base) throws InterruptedException {
    // [ours] "owner:branch", the form GitHub filters by (Kargo's bare branch name is not), every state.
    List<JsonNode> items = http.pages(http.uri(repoPath() + "/pulls" + ProviderHttp.query(
            "state", "all", "head", owner + ":" + head, "base", base, "per_page", "100")),
        ProviderHttp.Reply::body, ProviderHttp::linkNext);
    return items.stream()
        .filter(pr -> JsonFields.text(pr, "head", "ref").equals(head) && JsonFields.text(pr, "base", "ref").equals(base))
        .map(GitHubProvider::convert)
        .toList();
  }

  @Override
  public PullRequest create(NewPullRequest request) throws InterruptedException {
    ObjectNode body = ProviderHttp.object()
        .put("title", request.title())
        .put("head", request.head())
        .put("base", request.base())
        .put("body", request.description())
        .put("maintainer_can_modify", false);
    return convert(http.send("POST", http.uri(repoPath() + "/pulls"), body).body());
  }

  @Override
  public boolean labelsAfterCreation() {
    return true;
  }

  @Override
  public void addLabels(long number, List<String> labels) throws InterruptedException {
    if (labels.isEmpty()) {
      return;
    }
    ObjectNode body = ProviderHttp.object();
    labels.forEach(body.putArray("labels")::add);
    http.send("POST", http.uri(repoPath() + "/issues/" + number + "/labels"), body);
  }

  @Override
  public PullRequest get(long number) throws InterruptedException {
    return convert(getJson(number));
  }

  private JsonNode getJson(long number) throws InterruptedException {
    return http.get(http.uri(repoPath() + "/pulls/" + number)).body();
  }

  @Override
  public MergeResult merge(long number, String method) throws InterruptedException {
    JsonNode pr = getJson(number);
    if (JsonFields.present(pr, "merged_at")) {
      return new MergeResult.Merged(convert(pr));
    }
    if (!JsonFields.text(pr, "state").equals("open")) {
      throw ProviderException.failure("pull request " + number + " is closed but not merged");
    }
    String state = JsonFields.text(pr, "mergeable_state");
    boolean policyBlocked = false;
    switch (state) {
      case "clean", "unstable", "has_hooks" -> { }
      case "dirty" -> throw ProviderException.failure("pull request " + number + " has conflicts and cannot be merged");
      case "blocked", "behind" -> policyBlocked = true;
      case "draft", "unknown" -> {
        return new MergeResult.NotReady("its mergeable_state is " + state);
      }
      default -> {
        if (JsonFields.bool(pr, "draft") || !JsonFields.bool(pr, "mergeable")) {
          return new MergeResult.NotReady(state.isEmpty() ? "GitHub has not decided whether it is mergeable"
              : "its mergeable_state is " + state);
        }
      }
    }
    ObjectNode body = ProviderHttp.object();
    if (!method.isEmpty()) {
      body.put("merge_method", method);
    }
    ProviderHttp.Reply reply = http.send("PUT", http.uri(repoPath() + "/pulls/" + number + "/merge"), body, 405);
    if (reply.status() == 405) {
      String message = JsonFields.text(reply.body(), "message");
      Optional<String> transientReason = transientMerge405(message, policyBlocked);
      if (transientReason.isPresent()) {
        return new MergeResult.NotReady(transientReason.get());
      }
      throw ProviderException.failure("GitHub API: PUT " + reply.uri().getRawPath() + " answered 405 Method Not Allowed"
          + (message.isEmpty() ? "" : ": " + message), 405);
    }
    if (!JsonFields.bool(reply.body(), "merged")) {
      throw ProviderException.failure("merge rejected for pull request " + number);
    }
    return new MergeResult.Merged(get(number));
  }

  /** Kargo's reading of a 405 to a merge: the reason it is not ready yet, or empty when it is an error. */
  static Optional<String> transientMerge405(String message, boolean policyBlocked) {
    if (message.contains("not allowed")) {
      return Optional.empty();
    }
    if (message.contains("Base branch was modified") || message.contains("Pull Request is not mergeable")
        || policyBlocked) {
      return Optional.of("GitHub answered 405: " + message);
    }
    return Optional.empty();
  }

  private static PullRequest convert(JsonNode pr) {
    boolean merged = JsonFields.present(pr, "merged_at");
    return new PullRequest(JsonFields.number(pr, "number"), JsonFields.text(pr, "html_url"),
        JsonFields.text(pr, "state").equals("open"), merged,
        // While open, merge_commit_sha names GitHub's trial merge: a commit only once merged.
        merged ? JsonFields.text(pr, "merge_commit_sha") : "",
        JsonFields.text(pr, "head", "sha"), JsonFields.instant(pr, "created_at"));
  }
}
