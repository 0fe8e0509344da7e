package io.promokit.testkit.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Gitea's REST API ({@code /api/v1}) in a {@link GitProviderFake}: pull requests and labels. {@code Authorization:
 * token} (or {@code Bearer}); lists paged with {@code page}/{@code limit} (at most 50 on a real Gitea), a
 * {@code Link} header and {@code X-Total-Count}, and, as on a real Gitea, no branch filter; labels given by id;
 * {@code mergeable} false while the branches conflict or required checks run; merges refused with 405 ("Please try
 * again later") or 409 as Gitea does, answered 200 with no body.
 */
final class FakeGiteaApi implements FakeApi {

  private final FakeHosting hosting;
  private final int pageSize;

  FakeGiteaApi(FakeHosting hosting, int pageSize) {
    this.hosting = hosting;
    this.pageSize = pageSize;
  }

  @Override
  public boolean owns(String rawPath) {
    return rawPath.startsWith("/api/v1/");
  }

  @Override
  public boolean authorized(ApiCall call, String token) {
    String auth = call.header("Authorization");
    return auth != null && (auth.equals("token " + token) || auth.equals("Bearer " + token));
  }

  @Override
  public ApiReply unauthorized() {
    return ApiReply.json(401, FakeApi.object().put("message", "token is required").put("url", "/api/swagger"));
  }

  @Override
  public ApiReply error(int status, String message) {
    return ApiReply.json(status, FakeApi.object().put("message", message).put("url", "/api/swagger"));
  }

  @Override
  public boolean isMerge(ApiCall call) {
    return call.is("POST", "repos", "*", "*", "pulls", "*", "merge");
  }

  @Override
  public ApiReply handle(ApiCall call) {
    if (call.segments().size() < 4 || !call.segment(0).equals("repos")) {
      throw ApiError.of(404, "Not Found");
    }
    FakeHosting.Repo repo = hosting.repo(call.segment(1) + "/" + call.segment(2))
        .orElseThrow(() -> ApiError.of(404, "The target couldn't be found."));
    if (call.is("GET", "repos", "*", "*", "pulls")) {
      List<FakeHosting.Pr> matching = new ArrayList<>();
      String state = call.param("state") == null ? "open" : call.param("state");
      for (FakeHosting.Pr pr : repo.pulls) {
        if (state.equals("all") || state.equals("open") == pr.open()) {
          matching.add(pr);
        }
      }
      matching.sort(Comparator.comparing((FakeHosting.Pr pr) -> pr.createdAt).reversed());
      return paged(call, matching, pr -> render(call, repo, pr));
    }
    if (call.is("GET", "repos", "*", "*", "labels")) {
      List<Map.Entry<String, Long>> labels = new ArrayList<>(repo.labels.entrySet());
      return paged(call, labels, label -> FakeApi.object().put("id", label.getValue()).put("name", label.getKey())
          .put("color", "ededed"));
    }
    if (call.is("POST", "repos", "*", "*", "pulls")) {
      return create(call, repo);
    }
    if (call.is("GET", "repos", "*", "*", "pulls", "*")) {
      return ApiReply.json(200, render(call, repo, pull(call, repo)));
    }
    if (isMerge(call)) {
      return merge(call, repo, pull(call, repo));
    }
    throw ApiError.of(404, "Not Found");
  }

  private <T> ApiReply paged(ApiCall call, List<T> all, java.util.function.Function<T, ObjectNode> render) {
    int limit = Math.min(pageSize, Math.max(1, call.intParam("limit", 30)));
    int page = Math.max(1, call.intParam("page", 1));
    Page<T> slice = Page.of(all, page, limit);
    ArrayNode items = FakeApi.array();
    slice.items().forEach(item -> items.add(render.apply(item)));
    ApiReply reply = ApiReply.json(200, items).withHeader("X-Total-Count", String.valueOf(all.size()));
    if (slice.more()) {
      int last = (all.size() + limit - 1) / limit;
      reply = reply.withHeader("Link", "<" + call.withParam("page", String.valueOf(page + 1)) + ">; rel=\"next\",<"
          + call.withParam("page", String.valueOf(last)) + ">; rel=\"last\"");
    }
    return reply;
  }

  private ApiReply create(ApiCall call, FakeHosting.Repo repo) {
    JsonNode body = call.body();
    String title = FakeApi.requireText(body, "title");
    String head = FakeApi.requireText(body, "head");
    String base = FakeApi.requireText(body, "base");
    if (repo.git.head(head).isEmpty() || repo.git.head(base).isEmpty()) {
      throw ApiError.of(404, "The target couldn't be found.");
    }
    if (head.equals(base)) {
      throw ApiError.of(422, "Invalid PullRequest: There are no changes between the head and the base");
    }
    for (FakeHosting.Pr pr : repo.pulls) {
      if (pr.open() && pr.head.equals(head) && pr.base.equals(base)) {
        throw ApiError.of(409, "pull request already exists for these targets [id: " + pr.number + ", issue_id: "
            + pr.number + ", head_repo_id: " + repo.id + ", base_repo_id: " + repo.id + ", head_branch: " + head
            + ", base_branch: " + base + "]");
      }
    }
    List<String> labels = new ArrayList<>();
    for (JsonNode id : body.path("labels")) {
      String name = repo.labels.entrySet().stream().filter(e -> e.getValue() == id.asLong()).map(Map.Entry::getKey)
          .findFirst().orElseThrow(() -> ApiError.of(422, "label does not exist [id: " + id.asLong() + "]"));
      labels.add(name);
    }
    FakeHosting.Pr pr = hosting.open(repo, head, base, title, body.path("body").asText(""), labels, false);
    return ApiReply.json(201, render(call, repo, pr));
  }

  private ApiReply merge(ApiCall call, FakeHosting.Repo repo, FakeHosting.Pr pr) {
    if (pr.merged()) {
      throw ApiError.of(405, "The PR is already merged");
    }
    if (!pr.open()) {
      throw ApiError.of(405, "The PR is closed");
    }
    String method = call.body() == null ? "" : call.body().path("Do").asText("");
    FakeMerges.Style style = switch (method) {
      case "merge" -> FakeMerges.Style.MERGE_COMMIT;
      case "rebase" -> FakeMerges.Style.REBASE;
      case "rebase-merge" -> FakeMerges.Style.REBASE_MERGE;
      case "squash" -> FakeMerges.Style.SQUASH;
      case "fast-forward-only" -> FakeMerges.Style.FAST_FORWARD;
      case "manually-merged" -> null;
      default -> throw ApiError.of(422, "[Do]: must be one of merge, rebase, rebase-merge, squash, "
          + "fast-forward-only, manually-merged");
    };
    if (pr.draft) {
      throw ApiError.of(405, "The PR is marked as WIP");
    }
    if (pr.checksPending || FakeHosting.conflicts(repo, pr)) {
      throw ApiError.of(405, "Please try again later");
    }
    if (style == null) {
      throw ApiError.of(422, "manually-merged needs the MergeCommitID of the merge made outside");
    }
    try {
      hosting.merge(repo, pr, style, method, "Merge pull request '" + pr.title + "' (#" + pr.number + ") from "
          + pr.head + " into " + pr.base);
    } catch (FakeMerges.Refused e) {
      throw ApiError.of(409, e.getMessage());
    }
    return ApiReply.empty(200);
  }

  private static FakeHosting.Pr pull(ApiCall call, FakeHosting.Repo repo) {
    return repo.pull(call.number(4)).orElseThrow(() -> ApiError.of(404, "The target couldn't be found."));
  }

  private ObjectNode render(ApiCall call, FakeHosting.Repo repo, FakeHosting.Pr pr) {
    boolean mergeable = pr.open() && !pr.checksPending && !FakeHosting.conflicts(repo, pr);
    ObjectNode json = FakeApi.object()
        .put("id", repo.id * 100_000 + pr.number)
        .put("number", pr.number)
        .put("title", pr.title)
        .put("body", pr.description)
        .put("state", pr.open() ? "open" : "closed")
        .put("draft", pr.draft)
        .put("html_url", call.origin() + "/" + repo.name + "/pulls/" + pr.number)
        .put("mergeable", mergeable)
        .put("merged", pr.merged())
        .put("merged_at", pr.merged() ? pr.closedAt.toString() : null)
        .put("merge_commit_sha", pr.merged() ? pr.mergeCommit : null)
        .put("created_at", pr.createdAt.toString())
        .put("closed_at", pr.open() ? null : pr.closedAt.toString());
    json.putObject("head").put("label", pr.head).put("ref", pr.head).put("sha", FakeHosting.headSha(repo, pr))
        .put("repo_id", repo.id);
    json.putObject("base").put("label", pr.base).put("ref", pr.base).put("sha", FakeHosting.baseSha(repo, pr))
        .put("repo_id", repo.id);
    ArrayNode labels = json.putArray("labels");
    pr.labels.forEach(name -> labels.addObject().put("id", repo.labels.getOrDefault(name, 0L)).put("name", name));
    return json;
  }
}
