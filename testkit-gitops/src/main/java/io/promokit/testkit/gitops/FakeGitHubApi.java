package io.promokit.testkit.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GitHub's REST API (Enterprise Server layout, {@code /api/v3}) in a {@link GitProviderFake}: list, create, get
 * and merge pull requests, add labels. {@code Authorization: Bearer} (or {@code token}); 401 "Bad credentials";
 * 422 validation errors as GitHub words them; lists paged with {@code per_page}/{@code page} and a {@code Link}
 * header; {@code mergeable_state} {@code clean}, {@code dirty} (conflicts), {@code blocked} (checks running),
 * {@code draft}; a merge refused with 405 as GitHub does.
 */
final class FakeGitHubApi implements FakeApi {

  private static final String DOCS = "https://docs.github.com/rest";

  private final FakeHosting hosting;
  private final int pageSize;

  FakeGitHubApi(FakeHosting hosting, int pageSize) {
    this.hosting = hosting;
    this.pageSize = pageSize;
  }

  @Override
  public boolean owns(String rawPath) {
    return rawPath.startsWith("/api/v3/");
  }

  @Override
  public boolean authorized(ApiCall call, String token) {
    String auth = call.header("Authorization");
    return auth != null && (auth.equals("Bearer " + token) || auth.equals("token " + token));
  }

  @Override
  public ApiReply unauthorized() {
    return ApiReply.json(401, FakeApi.object().put("message", "Bad credentials").put("documentation_url", DOCS)
        .put("status", "401"));
  }

  @Override
  public ApiReply error(int status, String message) {
    return ApiReply.json(status, FakeApi.object().put("message", message).put("documentation_url", DOCS)
        .put("status", String.valueOf(status)));
  }

  @Override
  public boolean isMerge(ApiCall call) {
    return call.is("PUT", "repos", "*", "*", "pulls", "*", "merge");
  }

  @Override
  public ApiReply handle(ApiCall call) {
    if (call.segments().size() < 3 || !call.segment(0).equals("repos")) {
      throw ApiError.of(404, "Not Found");
    }
    FakeHosting.Repo repo = hosting.repo(call.segment(1) + "/" + call.segment(2))
        .orElseThrow(() -> ApiError.of(404, "Not Found"));
    if (call.is("GET", "repos", "*", "*", "pulls")) {
      return list(call, repo);
    }
    if (call.is("POST", "repos", "*", "*", "pulls")) {
      return create(call, repo);
    }
    if (call.is("GET", "repos", "*", "*", "pulls", "*")) {
      return ApiReply.json(200, render(call, repo, pull(call, repo), true));
    }
    if (isMerge(call)) {
      return merge(call, repo, pull(call, repo));
    }
    if (call.is("POST", "repos", "*", "*", "issues", "*", "labels")) {
      return addLabels(call, repo, pull(call, repo));
    }
    throw ApiError.of(404, "Not Found");
  }

  private ApiReply list(ApiCall call, FakeHosting.Repo repo) {
    String state = call.param("state") == null ? "open" : call.param("state");
    String head = call.param("head");
    String base = call.param("base");
    List<FakeHosting.Pr> matching = new ArrayList<>();
    for (FakeHosting.Pr pr : repo.pulls) {
      boolean stateMatches = switch (state) {
        case "all" -> true;
        case "closed" -> !pr.open();
        case "open" -> pr.open();
        default -> throw ApiError.of(422, "Validation Failed: state must be open, closed or all");
      };
      // GitHub filters by head only in its "user:ref-name" form.
      boolean headMatches = head == null || !head.contains(":")
          || head.equalsIgnoreCase(repo.name.split("/")[0] + ":" + pr.head);
      if (stateMatches && headMatches && (base == null || base.equals(pr.base))) {
        matching.add(pr);
      }
    }
    matching.sort(Comparator.comparing((FakeHosting.Pr pr) -> pr.createdAt).reversed());
    int perPage = Math.min(pageSize, Math.max(1, call.intParam("per_page", 30)));
    int page = Math.max(1, call.intParam("page", 1));
    Page<FakeHosting.Pr> slice = Page.of(matching, page, perPage);
    ArrayNode items = FakeApi.array();
    slice.items().forEach(pr -> items.add(render(call, repo, pr, false)));
    ApiReply reply = ApiReply.json(200, items);
    if (slice.more()) {
      int last = (matching.size() + perPage - 1) / perPage;
      reply = reply.withHeader("Link", "<" + call.withParam("page", String.valueOf(page + 1)) + ">; rel=\"next\", <"
          + call.withParam("page", String.valueOf(last)) + ">; rel=\"last\"");
    }
    return reply;
  }

  private ApiReply create(ApiCall call, FakeHosting.Repo repo) {
    JsonNode body = call.body();
    String title = FakeApi.requireText(body, "title");
    String head = FakeApi.requireText(body, "head");
    String base = FakeApi.requireText(body, "base");
    String owner = repo.name.split("/")[0];
    if (head.contains(":")) {
      head = head.substring(head.indexOf(':') + 1);
    }
    if (repo.git.head(head).isEmpty()) {
      throw ApiError.of(validation(FakeApi.object().put("resource", "PullRequest").put("field", "head").put("code", "invalid")));
    }
    if (repo.git.head(base).isEmpty()) {
      throw ApiError.of(validation(FakeApi.object().put("resource", "PullRequest").put("field", "base").put("code", "invalid")));
    }
    for (FakeHosting.Pr pr : repo.pulls) {
      if (pr.open() && pr.head.equals(head) && pr.base.equals(base)) {
        throw ApiError.of(validation(custom("A pull request already exists for " + owner + ":" + head + ".")));
      }
    }
    if (!FakeMerges.hasCommitsToMerge(repo.git, base, head)) {
      throw ApiError.of(validation(custom("No commits between " + base + " and " + head)));
    }
    FakeHosting.Pr pr = hosting.open(repo, head, base, title, body.path("body").asText(""), List.of(),
        body.path("draft").asBoolean(false));
    return ApiReply.json(201, render(call, repo, pr, true));
  }

  private ApiReply addLabels(ApiCall call, FakeHosting.Repo repo, FakeHosting.Pr pr) {
    JsonNode labels = call.body() == null ? null : call.body().isArray() ? call.body() : call.body().get("labels");
    if (labels == null || !labels.isArray()) {
      throw ApiError.of(422, "Invalid request.\n\n\"labels\" wasn't supplied.");
    }
    labels.forEach(label -> {
      String name = label.asText();
      repo.labels.putIfAbsent(name, 100L + repo.labels.size());
      if (!pr.labels.contains(name)) {
        pr.labels.add(name);
      }
    });
    return ApiReply.json(200, labels(repo, pr));
  }

  private ApiReply merge(ApiCall call, FakeHosting.Repo repo, FakeHosting.Pr pr) {
    if (!pr.open()) {
      throw ApiError.of(405, "Pull Request is not mergeable");
    }
    String method = call.body() == null ? "merge" : call.body().path("merge_method").asText("merge");
    FakeMerges.Style style = switch (method) {
      case "merge" -> FakeMerges.Style.MERGE_COMMIT;
      case "squash" -> FakeMerges.Style.SQUASH;
      case "rebase" -> FakeMerges.Style.REBASE;
      default -> throw ApiError.of(422, "Invalid request.\n\n" + method + " is not a member of [\"merge\", \"squash\", \"rebase\"].");
    };
    String sha = call.body() == null ? "" : call.body().path("sha").asText("");
    if (!sha.isEmpty() && !sha.equals(FakeHosting.headSha(repo, pr))) {
      throw ApiError.of(409, "Head branch was modified. Review and try the merge again.");
    }
    if (pr.draft) {
      throw ApiError.of(405, "Pull Request is still a draft");
    }
    if (pr.checksPending) {
      throw ApiError.of(405, "Required status check \"ci\" is expected.");
    }
    if (FakeHosting.conflicts(repo, pr)) {
      throw ApiError.of(405, "Pull Request is not mergeable");
    }
    String message = switch (style) {
      case SQUASH -> pr.title + " (#" + pr.number + ")";
      default -> "Merge pull request #" + pr.number + " from " + repo.name.split("/")[0] + "/" + pr.head;
    };
    try {
      hosting.merge(repo, pr, style, method, message);
    } catch (FakeMerges.Refused e) {
      throw ApiError.of(405, e.conflict() ? "Pull Request is not mergeable"
          : "Base branch was modified. Review and try the merge again.");
    }
    return ApiReply.json(200, FakeApi.object().put("sha", pr.mergeCommit).put("merged", true)
        .put("message", "Pull Request successfully merged"));
  }

  private static FakeHosting.Pr pull(ApiCall call, FakeHosting.Repo repo) {
    return repo.pull(call.number(4)).orElseThrow(() -> ApiError.of(404, "Not Found"));
  }

  private ObjectNode render(ApiCall call, FakeHosting.Repo repo, FakeHosting.Pr pr, boolean detailed) {
    String owner = repo.name.split("/")[0];
    String api = call.origin() + "/api/v3/repos/" + repo.name;
    ObjectNode json = FakeApi.object()
        .put("url", api + "/pulls/" + pr.number)
        .put("id", repo.id * 100_000 + pr.number)
        .put("number", pr.number)
        .put("state", pr.open() ? "open" : "closed")
        .put("title", pr.title)
        .put("body", pr.description)
        .put("draft", pr.draft)
        .put("html_url", call.origin() + "/" + repo.name + "/pull/" + pr.number)
        .put("created_at", pr.createdAt.toString());
    json.putObject("user").put("login", "promokit");
    putTime(json, "closed_at", pr.open() ? null : pr.closedAt);
    putTime(json, "merged_at", pr.merged() ? pr.closedAt : null);
    json.put("merge_commit_sha", pr.merged() ? pr.mergeCommit : null);
    ObjectNode head = json.putObject("head").put("label", owner + ":" + pr.head).put("ref", pr.head)
        .put("sha", FakeHosting.headSha(repo, pr));
    head.putObject("repo").put("full_name", repo.name);
    json.putObject("base").put("label", owner + ":" + pr.base).put("ref", pr.base)
        .put("sha", FakeHosting.baseSha(repo, pr));
    json.set("labels", labels(repo, pr));
    if (detailed) {
      json.put("merged", pr.merged());
      if (pr.open()) {
        boolean conflicts = FakeHosting.conflicts(repo, pr);
        json.put("mergeable", !conflicts);
        json.put("mergeable_state", pr.draft ? "draft" : conflicts ? "dirty" : pr.checksPending ? "blocked" : "clean");
      } else {
        json.putNull("mergeable");
        json.put("mergeable_state", "unknown");
      }
    }
    return json;
  }

  private static ArrayNode labels(FakeHosting.Repo repo, FakeHosting.Pr pr) {
    ArrayNode labels = FakeApi.array();
    pr.labels.forEach(name -> labels.addObject().put("id", repo.labels.getOrDefault(name, 0L)).put("name", name)
        .put("color", "ededed"));
    return labels;
  }

  private static void putTime(ObjectNode json, String field, Instant time) {
    if (time == null) {
      json.putNull(field);
    } else {
      json.put(field, time.toString());
    }
  }

  private static ApiReply validation(ObjectNode error) {
    ObjectNode body = FakeApi.object().put("message", "Validation Failed").put("documentation_url", DOCS).put("status", "422");
    body.putArray("errors").add(error);
    return ApiReply.json(422, body);
  }

  private static ObjectNode custom(String message) {
    return FakeApi.object().put("resource", "PullRequest").put("code", "custom").put("message", message);
  }
}
