package io.promokit.testkit.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * GitLab's REST API ({@code /api/v4}) in a {@link GitProviderFake}: merge requests of a project named by its
 * URL-encoded path ({@code acme%2Fapp}). {@code PRIVATE-TOKEN} (or {@code Authorization: Bearer}); 401
 * "401 Unauthorized"; lists paged with {@code per_page}/{@code page}, {@code X-Next-Page} and {@code Link};
 * {@code detailed_merge_status} {@code mergeable}, {@code conflict}, {@code ci_still_running},
 * {@code draft_status}, {@code not_open}; a merge refused with 405, 409 (SHA) or 422 (conflicts) as GitLab does.
 */
final class FakeGitLabApi implements FakeApi {

  private final FakeHosting hosting;
  private final int pageSize;

  FakeGitLabApi(FakeHosting hosting, int pageSize) {
    this.hosting = hosting;
    this.pageSize = pageSize;
  }

  @Override
  public boolean owns(String rawPath) {
    return rawPath.startsWith("/api/v4/");
  }

  @Override
  public boolean authorized(ApiCall call, String token) {
    return token.equals(call.header("PRIVATE-TOKEN")) || ("Bearer " + token).equals(call.header("Authorization"));
  }

  @Override
  public ApiReply unauthorized() {
    return ApiReply.json(401, FakeApi.object().put("message", "401 Unauthorized"));
  }

  @Override
  public ApiReply error(int status, String message) {
    return ApiReply.json(status, FakeApi.object().put("message", message));
  }

  @Override
  public boolean isMerge(ApiCall call) {
    return call.is("PUT", "projects", "*", "merge_requests", "*", "merge");
  }

  @Override
  public ApiReply handle(ApiCall call) {
    if (call.segments().size() < 3 || !call.segment(0).equals("projects")) {
      throw ApiError.of(404, "404 Not found");
    }
    FakeHosting.Repo repo = hosting.repo(call.segment(1)).orElseThrow(() -> ApiError.of(404, "404 Project Not Found"));
    if (call.is("GET", "projects", "*", "merge_requests")) {
      return list(call, repo);
    }
    if (call.is("POST", "projects", "*", "merge_requests")) {
      return create(call, repo);
    }
    if (call.is("GET", "projects", "*", "merge_requests", "*")) {
      return ApiReply.json(200, render(call, repo, pull(call, repo)));
    }
    if (isMerge(call)) {
      return merge(call, repo, pull(call, repo));
    }
    throw ApiError.of(404, "404 Not found");
  }

  private ApiReply list(ApiCall call, FakeHosting.Repo repo) {
    String state = call.param("state") == null ? "all" : call.param("state");
    List<FakeHosting.Pr> matching = new ArrayList<>();
    for (FakeHosting.Pr pr : repo.pulls) {
      boolean stateMatches = switch (state) {
        case "all" -> true;
        case "opened" -> pr.open();
        case "merged" -> pr.merged();
        case "closed" -> pr.state == FakePullRequest.State.CLOSED;
        case "locked" -> false;
        default -> throw ApiError.of(ApiReply.json(400, FakeApi.object().put("error", "state does not have a valid value")));
      };
      String source = call.param("source_branch");
      String target = call.param("target_branch");
      if (stateMatches && (source == null || source.equals(pr.head)) && (target == null || target.equals(pr.base))) {
        matching.add(pr);
      }
    }
    matching.sort(Comparator.comparing((FakeHosting.Pr pr) -> pr.createdAt).reversed());
    int perPage = Math.min(pageSize, Math.max(1, call.intParam("per_page", 20)));
    int page = Math.max(1, call.intParam("page", 1));
    Page<FakeHosting.Pr> slice = Page.of(matching, page, perPage);
    ArrayNode items = FakeApi.array();
    slice.items().forEach(pr -> items.add(render(call, repo, pr)));
    int pages = Math.max(1, (matching.size() + perPage - 1) / perPage);
    ApiReply reply = ApiReply.json(200, items)
        .withHeader("X-Page", String.valueOf(page))
        .withHeader("X-Per-Page", String.valueOf(perPage))
        .withHeader("X-Next-Page", slice.more() ? String.valueOf(page + 1) : "")
        .withHeader("X-Total", String.valueOf(matching.size()))
        .withHeader("X-Total-Pages", String.valueOf(pages));
    String first = "<" + call.withParam("page", "1") + ">; rel=\"first\", <" + call.withParam("page", String.valueOf(pages))
        + ">; rel=\"last\"";
    return reply.withHeader("Link", slice.more()
        ? "<" + call.withParam("page", String.valueOf(page + 1)) + ">; rel=\"next\", " + first : first);
  }

  private ApiReply create(ApiCall call, FakeHosting.Repo repo) {
    JsonNode body = call.body();
    String title = required(body, "title");
    String source = required(body, "source_branch");
    String target = required(body, "target_branch");
    if (repo.git.head(source).isEmpty()) {
      throw ApiError.of(ApiReply.json(422, messages("Source branch \"" + source + "\" does not exist")));
    }
    if (repo.git.head(target).isEmpty()) {
      throw ApiError.of(ApiReply.json(422, messages("Target branch \"" + target + "\" does not exist")));
    }
    for (FakeHosting.Pr pr : repo.pulls) {
      if (pr.open() && pr.head.equals(source) && pr.base.equals(target)) {
        throw ApiError.of(ApiReply.json(409, messages(
            "Another open merge request already exists for this source branch: !" + pr.number)));
      }
    }
    List<String> labels = new ArrayList<>();
    JsonNode given = body.path("labels");
    if (given.isTextual()) {
      Arrays.stream(given.asText().split(",")).map(String::strip).filter(l -> !l.isEmpty()).forEach(labels::add);
    } else if (given.isArray()) {
      given.forEach(l -> labels.add(l.asText()));
    }
    labels.forEach(l -> repo.labels.putIfAbsent(l, 100L + repo.labels.size()));
    FakeHosting.Pr pr = hosting.open(repo, source, target, title, body.path("description").asText(""), labels,
        title.startsWith("Draft:"));
    return ApiReply.json(201, render(call, repo, pr));
  }

  private ApiReply merge(ApiCall call, FakeHosting.Repo repo, FakeHosting.Pr pr) {
    if (!pr.open() || pr.draft || pr.checksPending) {
      throw ApiError.of(405, "405 Method Not Allowed");
    }
    String sha = call.body() == null ? "" : call.body().path("sha").asText("");
    if (!sha.isEmpty() && !sha.equals(FakeHosting.headSha(repo, pr))) {
      throw ApiError.of(409, "SHA does not match HEAD of source branch: " + FakeHosting.headSha(repo, pr));
    }
    if (FakeHosting.conflicts(repo, pr)) {
      throw ApiError.of(422, "Branch cannot be merged");
    }
    boolean squash = call.body() != null && call.body().path("squash").asBoolean(false);
    try {
      hosting.merge(repo, pr, squash ? FakeMerges.Style.SQUASH_THEN_MERGE_COMMIT : FakeMerges.Style.MERGE_COMMIT,
          squash ? "squash" : "merge", "Merge branch '" + pr.head + "' into '" + pr.base + "'");
    } catch (FakeMerges.Refused e) {
      throw ApiError.of(422, "Branch cannot be merged");
    }
    return ApiReply.json(200, render(call, repo, pr));
  }

  private static FakeHosting.Pr pull(ApiCall call, FakeHosting.Repo repo) {
    return repo.pull(call.number(3)).orElseThrow(() -> ApiError.of(404, "404 Not found"));
  }

  private ObjectNode render(ApiCall call, FakeHosting.Repo repo, FakeHosting.Pr pr) {
    String state = switch (pr.state) {
      case OPEN -> "opened";
      case CLOSED -> "closed";
      case MERGED -> "merged";
    };
    boolean conflicts = pr.open() && FakeHosting.conflicts(repo, pr);
    String detailed = !pr.open() ? "not_open" : pr.draft ? "draft_status" : conflicts ? "conflict"
        : pr.checksPending ? "ci_still_running" : "mergeable";
    ObjectNode json = FakeApi.object()
        .put("id", repo.id * 100_000 + pr.number)
        .put("iid", pr.number)
        .put("project_id", repo.id)
        .put("title", pr.title)
        .put("description", pr.description)
        .put("state", state)
        .put("created_at", pr.createdAt.toString())
        .put("source_branch", pr.head)
        .put("target_branch", pr.base)
        .put("draft", pr.draft)
        .put("work_in_progress", pr.draft)
        .put("merge_status", conflicts ? "cannot_be_merged" : "can_be_merged")
        .put("detailed_merge_status", detailed)
        .put("has_conflicts", conflicts)
        .put("sha", FakeHosting.headSha(repo, pr))
        .put("merge_commit_sha", pr.merged() ? pr.mergeCommit : null)
        .put("squash_commit_sha", pr.squashCommit)
        .put("squash", "squash".equals(pr.mergeMethod))
        .put("web_url", call.origin() + "/" + repo.name + "/-/merge_requests/" + pr.number);
    json.put("merged_at", pr.merged() ? pr.closedAt.toString() : null);
    json.put("closed_at", pr.state == FakePullRequest.State.CLOSED ? pr.closedAt.toString() : null);
    ArrayNode labels = json.putArray("labels");
    pr.labels.forEach(labels::add);
    json.putObject("references").put("short", "!" + pr.number);
    return json;
  }

  private static String required(JsonNode body, String field) {
    JsonNode node = body == null ? null : body.get(field);
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      throw ApiError.of(ApiReply.json(400, FakeApi.object().put("error", field + " is missing")));
    }
    return node.asText();
  }

  private static ObjectNode messages(String message) {
    ObjectNode body = FakeApi.object();
    body.putArray("message").add(message);
    return body;
  }
}
