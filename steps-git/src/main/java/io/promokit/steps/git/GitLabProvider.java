package io.promokit.steps.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * GitLab ({@code /api/v4}, a {@code PRIVATE-TOKEN}): merge requests of the project the URL's path names. A merge
 * request in state {@code opened} or {@code locked} is open. Merging as Kargo: only when not a draft and
 * {@code detailed_merge_status} is {@code mergeable}; method {@code merge} (or none) or {@code squash}.
 */
final class GitLabProvider implements PullRequestProvider {

  private final ProviderHttp http;
  private final String project;

  GitLabProvider(ProviderHttp http, ProviderRepository repository) {
    this.http = http;
    this.project = repository.names().get(0);
  }

  @Override
  public GitHost host() {
    return GitHost.GITLAB;
  }

  private String requestsPath() {
    return "/projects/" + ProviderHttp.segment(project) + "/merge_requests";
  }

  @Override
  public List<PullRequest> list(String head, String base) throws InterruptedException {
    List<JsonNode> items = http.pages(listUri(head, base, null), ProviderHttp.Reply::body,
        reply -> nextPage(reply, page -> listUri(head, base, page)));
    return items.stream()
        .filter(mr -> JsonFields.text(mr, "source_branch").equals(head)
            && JsonFields.text(mr, "target_branch").equals(base))
        .map(GitLabProvider::convert)
        .toList();
  }

  private URI listUri(String head, String base, String page) {
    return http.uri(requestsPath() + ProviderHttp.query(
        "source_branch", head, "target_branch", base, "per_page", "100", "page", page));
  }

  /** GitLab links the next page ({@code Link}) and names it ({@code X-Next-Page}, empty on the last). */
  private static Optional<URI> nextPage(ProviderHttp.Reply reply, Function<String, URI> page) {
    Optional<URI> link = ProviderHttp.linkNext(reply);
    if (link.isPresent()) {
      return link;
    }
    String next = reply.header("X-Next-Page").orElse("").strip();
    return next.isEmpty() ? Optional.empty() : Optional.of(page.apply(next));
  }

  @Override
  public PullRequest create(NewPullRequest request) throws InterruptedException {
    ObjectNode body = ProviderHttp.object()
        .put("title", request.title())
        .put("description", request.description())
        .put("source_branch", request.head())
        .put("target_branch", request.base());
    if (!request.labels().isEmpty()) {
      body.put("labels", String.join(",", request.labels()));
    }
    return convert(http.send("POST", http.uri(requestsPath()), body).body());
  }

  @Override
  public PullRequest get(long number) throws InterruptedException {
    return convert(getJson(number));
  }

  private JsonNode getJson(long number) throws InterruptedException {
    return http.get(http.uri(requestsPath() + "/" + number)).body();
  }

  @Override
  public MergeResult merge(long number, String method) throws InterruptedException {
    JsonNode mr = getJson(number);
    String state = JsonFields.text(mr, "state");
    if (state.equals("merged")) {
      return new MergeResult.Merged(convert(mr));
    }
    if (!state.equals("opened")) {
      throw ProviderException.failure("pull request " + number + " is closed but not merged");
    }
    String status = JsonFields.text(mr, "detailed_merge_status");
    if (JsonFields.bool(mr, "draft")) {
      return new MergeResult.NotReady("it is a draft");
    }
    if (!status.equals("mergeable")) {
      return new MergeResult.NotReady("its detailed_merge_status is " + (status.isEmpty() ? "not given" : status));
    }
    ObjectNode body = ProviderHttp.object();
    switch (method) {
      case "", "merge" -> { }
      case "squash" -> body.put("squash", true);
      default -> throw ProviderException.failure("unsupported merge method \"" + method
          + "\" (GitLab takes merge or squash)");
    }
    return new MergeResult.Merged(convert(http.send("PUT", http.uri(requestsPath() + "/" + number + "/merge"), body)
        .body()));
  }

  private static PullRequest convert(JsonNode mr) {
    String state = JsonFields.text(mr, "state");
    boolean merged = state.equals("merged");
    String mergeCommit = JsonFields.text(mr, "merge_commit_sha");
    if (mergeCommit.isEmpty()) {
      // [ours] a squash merged by fast-forward leaves only squash_commit_sha.
      mergeCommit = JsonFields.text(mr, "squash_commit_sha");
    }
    return new PullRequest(JsonFields.number(mr, "iid"), JsonFields.text(mr, "web_url"),
        state.equals("opened") || state.equals("locked"), merged, merged ? mergeCommit : "",
        JsonFields.text(mr, "sha"), JsonFields.instant(mr, "created_at"));
  }
}
