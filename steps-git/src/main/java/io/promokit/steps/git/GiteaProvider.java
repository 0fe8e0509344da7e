package io.promokit.steps.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gitea ({@code /api/v1}, {@code Authorization: token}). Its pull request list takes no branch filter: every page
 * is read and [ours] filtered by source and target branch here (Kargo keeps any branch's pull request showing the
 * same commit). Labels are given by id, resolved from the repository's labels (an unknown one is an error).
 * Merging as Kargo: not ready while a draft or not {@code mergeable}; methods {@code merge} (default),
 * {@code rebase}, {@code rebase-merge}, {@code squash}, {@code fast-forward-only}, {@code manually-merged}.
 */
final class GiteaProvider implements PullRequestProvider {

  static final Set<String> MERGE_METHODS =
      Set.of("merge", "rebase", "rebase-merge", "squash", "fast-forward-only", "manually-merged");

  private final ProviderHttp http;
  private final String owner;
  private final String repo;

  GiteaProvider(ProviderHttp http, ProviderRepository repository) {
    this.http = http;
    this.owner = repository.names().get(0);
    this.repo = repository.names().get(1);
  }

  @Override
  public GitHost host() {
    return GitHost.GITEA;
  }

  private String repoPath() {
    return "/repos/" + ProviderHttp.segment(owner) + "/" + ProviderHttp.segment(repo);
  }

  @Override
  public List<PullRequest> list(String head, String base) throws InterruptedException {
    List<JsonNode> items = http.pages(http.uri(repoPath() + "/pulls" + ProviderHttp.query("state", "all", "limit", "50")),
        ProviderHttp.Reply::body, ProviderHttp::linkNext);
    return items.stream()
        .filter(pr -> JsonFields.text(pr, "head", "ref").equals(head) && JsonFields.text(pr, "base", "ref").equals(base))
        .map(GiteaProvider::convert)
        .toList();
  }

  @Override
  public PullRequest create(NewPullRequest request) throws InterruptedException {
    ObjectNode body = ProviderHttp.object()
        .put("title", request.title())
        .put("head", request.head())
        .put("base", request.base())
        .put("body", request.description());
    if (!request.labels().isEmpty()) {
      ArrayNode ids = body.putArray("labels");
      labelIds(request.labels()).forEach(ids::add);
    }
    return convert(http.send("POST", http.uri(repoPath() + "/pulls"), body).body());
  }

  /** The ids of the repository's labels of these names, every page read; an unknown name is an error. */
  private List<Long> labelIds(List<String> names) throws InterruptedException {
    Map<String, Long> byName = new LinkedHashMap<>();
    for (JsonNode label : http.pages(http.uri(repoPath() + "/labels" + ProviderHttp.query("limit", "50")),
        ProviderHttp.Reply::body, ProviderHttp::linkNext)) {
      byName.putIfAbsent(JsonFields.text(label, "name"), JsonFields.number(label, "id"));
    }
    List<Long> ids = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : new LinkedHashSet<>(names)) {
      Long id = byName.get(name);
      if (id == null) {
        missing.add(name);
      } else {
        ids.add(id);
      }
    }
    if (!missing.isEmpty()) {
      throw ProviderException.failure("labels not found in repository " + owner + "/" + repo + ": "
          + String.join(", ", missing));
    }
    return ids;
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
    if (JsonFields.bool(pr, "merged")) {
      return new MergeResult.Merged(convert(pr));
    }
    if (!JsonFields.text(pr, "state").equals("open")) {
      throw ProviderException.failure("pull request " + number + " is closed but not merged");
    }
    if (JsonFields.bool(pr, "draft")) {
      return new MergeResult.NotReady("it is a draft");
    }
    if (!JsonFields.bool(pr, "mergeable")) {
      return new MergeResult.NotReady("Gitea says it is not mergeable (conflicts, or checks not done)");
    }
    String style = method.isEmpty() ? "merge" : method;
    if (!MERGE_METHODS.contains(style)) {
      throw ProviderException.failure("unsupported merge method \"" + style + "\" (Gitea takes "
          + String.join(", ", MERGE_METHODS.stream().sorted().toList()) + ")");
    }
    http.send("POST", http.uri(repoPath() + "/pulls/" + number + "/merge"), ProviderHttp.object().put("Do", style));
    return new MergeResult.Merged(get(number));
  }

  private static PullRequest convert(JsonNode pr) {
    boolean merged = JsonFields.bool(pr, "merged");
    return new PullRequest(JsonFields.number(pr, "number"), JsonFields.text(pr, "html_url"),
        JsonFields.text(pr, "state").equals("open"), merged, merged ? JsonFields.text(pr, "merge_commit_sha") : "",
        JsonFields.text(pr, "head", "sha"), JsonFields.instant(pr, "created_at"));
  }
}
