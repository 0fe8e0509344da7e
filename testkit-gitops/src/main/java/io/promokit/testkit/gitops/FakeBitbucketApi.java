package io.promokit.testkit.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Bitbucket Cloud's REST API ({@code /2.0}) in a {@link GitProviderFake}: pull requests and commits.
 * {@code Authorization: Bearer} (or basic {@code x-token-auth}); errors as {@code {"type": "error", "error":
 * {"message": ...}}}; lists paged with {@code pagelen}/{@code page} and a {@code next} link in the body, states
 * filtered by repeated {@code state} parameters (default {@code OPEN}); commits named by 12-character hashes in
 * pull requests, in full at {@code /commit/{hash}}. No merge eligibility: a merge Bitbucket cannot do answers 400.
 */
final class FakeBitbucketApi implements FakeApi {

  private static final Map<String, FakeMerges.Style> STRATEGIES = Map.of(
      "merge_commit", FakeMerges.Style.MERGE_COMMIT,
      "squash", FakeMerges.Style.SQUASH,
      "fast_forward", FakeMerges.Style.FAST_FORWARD,
      "squash_fast_forward", FakeMerges.Style.SQUASH_FAST_FORWARD,
      "rebase_fast_forward", FakeMerges.Style.REBASE,
      "rebase_merge", FakeMerges.Style.REBASE_MERGE);

  private final FakeHosting hosting;
  private final int pageSize;

  FakeBitbucketApi(FakeHosting hosting, int pageSize) {
    this.hosting = hosting;
    this.pageSize = pageSize;
  }

  @Override
  public boolean owns(String rawPath) {
    return rawPath.startsWith("/2.0/");
  }

  @Override
  public boolean authorized(ApiCall call, String token) {
    String auth = call.header("Authorization");
    if (auth == null) {
      return false;
    }
    if (auth.equals("Bearer " + token)) {
      return true;
    }
    if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        return new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8)
            .equals("x-token-auth:" + token);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return false;
  }

  @Override
  public ApiReply unauthorized() {
    return error(401, "Token is invalid, expired, or not supported for this endpoint.");
  }

  @Override
  public ApiReply error(int status, String message) {
    ObjectNode body = FakeApi.object().put("type", "error");
    body.putObject("error").put("message", message);
    return ApiReply.json(status, body);
  }

  @Override
  public boolean isMerge(ApiCall call) {
    return call.is("POST", "repositories", "*", "*", "pullrequests", "*", "merge");
  }

  @Override
  public ApiReply handle(ApiCall call) {
    if (call.segments().size() < 4 || !call.segment(0).equals("repositories")) {
      throw ApiError.of(404, "Resource not found");
    }
    FakeHosting.Repo repo = hosting.repo(call.segment(1) + "/" + call.segment(2))
        .orElseThrow(() -> ApiError.of(404, "Repository " + call.segment(1) + "/" + call.segment(2) + " not found"));
    if (call.is("GET", "repositories", "*", "*", "pullrequests")) {
      return list(call, repo);
    }
    if (call.is("POST", "repositories", "*", "*", "pullrequests")) {
      return create(call, repo);
    }
    if (call.is("GET", "repositories", "*", "*", "pullrequests", "*")) {
      return ApiReply.json(200, render(call, repo, pull(call, repo)));
    }
    if (isMerge(call)) {
      return merge(call, repo, pull(call, repo));
    }
    if (call.is("GET", "repositories", "*", "*", "commit", "*")) {
      String hash = call.segment(4);
      String full = repo.git.resolve(hash).filter(sha -> sha.startsWith(hash))
          .orElseThrow(() -> ApiError.of(404, "Commit not found"));
      return ApiReply.json(200, FakeApi.object().put("type", "commit").put("hash", full)
          .put("message", repo.git.git("log", "-1", "--format=%B", full)));
    }
    throw ApiError.of(404, "Resource not found");
  }

  private ApiReply list(ApiCall call, FakeHosting.Repo repo) {
    List<String> states = call.params("state").isEmpty() ? List.of("OPEN") : call.params("state");
    List<FakeHosting.Pr> matching = new ArrayList<>();
    for (FakeHosting.Pr pr : repo.pulls) {
      if (states.contains(state(pr))) {
        matching.add(pr);
      }
    }
    matching.sort(Comparator.comparing((FakeHosting.Pr pr) -> pr.createdAt).reversed());
    int pagelen = Math.min(pageSize, Math.max(1, call.intParam("pagelen", 10)));
    int page = Math.max(1, call.intParam("page", 1));
    Page<FakeHosting.Pr> slice = Page.of(matching, page, pagelen);
    ObjectNode body = FakeApi.object().put("size", matching.size()).put("page", page).put("pagelen", pagelen);
    ArrayNode values = body.putArray("values");
    slice.items().forEach(pr -> values.add(render(call, repo, pr)));
    if (slice.more()) {
      body.put("next", call.withParam("page", String.valueOf(page + 1)));
    }
    return ApiReply.json(200, body);
  }

  private ApiReply create(ApiCall call, FakeHosting.Repo repo) {
    JsonNode body = call.body();
    String title = FakeApi.requireText(body, "title");
    String source = body == null ? "" : body.path("source").path("branch").path("name").asText("");
    String destination = body.path("destination").path("branch").path("name").asText("main");
    if (source.isEmpty() || repo.git.head(source).isEmpty()) {
      throw ApiError.of(fieldError("source: Branch not found: " + source, "source"));
    }
    if (repo.git.head(destination).isEmpty()) {
      throw ApiError.of(fieldError("destination: Branch not found: " + destination, "destination"));
    }
    for (FakeHosting.Pr pr : repo.pulls) {
      if (pr.open() && pr.head.equals(source) && pr.base.equals(destination)) {
        throw ApiError.of(400, "Only one pull request may be open for a given source and target branch");
      }
    }
    if (!FakeMerges.hasCommitsToMerge(repo.git, destination, source)) {
      throw ApiError.of(400, "There are no changes to be pulled");
    }
    FakeHosting.Pr pr = hosting.open(repo, source, destination, title, body.path("description").asText(""), List.of(),
        body.path("draft").asBoolean(false));
    return ApiReply.json(201, render(call, repo, pr));
  }

  private ApiReply merge(ApiCall call, FakeHosting.Repo repo, FakeHosting.Pr pr) {
    if (!pr.open()) {
      throw ApiError.of(400, "This pull request is already closed.");
    }
    String strategy = call.body() == null ? "merge_commit" : call.body().path("merge_strategy").asText("merge_commit");
    FakeMerges.Style style = STRATEGIES.get(strategy);
    if (style == null) {
      throw ApiError.of(400, "merge_strategy: \"" + strategy + "\" is not a valid merge strategy");
    }
    if (pr.draft) {
      throw ApiError.of(400, "You can't merge a draft pull request.");
    }
    if (pr.checksPending) {
      throw ApiError.of(400, "You can't merge until you have at least 1 successful build.");
    }
    if (FakeHosting.conflicts(repo, pr)) {
      throw ApiError.of(400, "You can't merge until you resolve all merge conflicts.");
    }
    String message = call.body() == null ? "" : call.body().path("message").asText("");
    try {
      hosting.merge(repo, pr, style, strategy, message.isEmpty()
          ? "Merged in " + pr.head + " (pull request #" + pr.number + ")\n\n" + pr.title : message);
    } catch (FakeMerges.Refused e) {
      throw e.conflict() ? ApiError.of(400, "You can't merge until you resolve all merge conflicts.")
          : ApiError.of(409, "Unable to merge because one of the refs involved changed while attempting to merge");
    }
    return ApiReply.json(200, render(call, repo, pr));
  }

  private static FakeHosting.Pr pull(ApiCall call, FakeHosting.Repo repo) {
    return repo.pull(call.number(4)).orElseThrow(() -> ApiError.of(404, "Resource not found"));
  }

  private static String state(FakeHosting.Pr pr) {
    return switch (pr.state) {
      case OPEN -> "OPEN";
      case CLOSED -> "DECLINED";
      case MERGED -> "MERGED";
    };
  }

  private ObjectNode render(ApiCall call, FakeHosting.Repo repo, FakeHosting.Pr pr) {
    ObjectNode json = FakeApi.object()
        .put("type", "pullrequest")
        .put("id", pr.number)
        .put("title", pr.title)
        .put("description", pr.description)
        .put("state", state(pr))
        .put("draft", pr.draft)
        .put("created_on", pr.createdAt.toString())
        .put("close_source_branch", false)
        .put("comment_count", 0);
    json.putObject("author").put("display_name", "promokit");
    endpoint(json.putObject("source"), repo, pr.head, FakeHosting.headSha(repo, pr));
    endpoint(json.putObject("destination"), repo, pr.base, FakeHosting.baseSha(repo, pr));
    if (pr.merged()) {
      json.putObject("merge_commit").put("type", "commit").put("hash", shortHash(pr.mergeCommit));
    } else {
      json.putNull("merge_commit");
    }
    ObjectNode links = json.putObject("links");
    links.putObject("self").put("href", call.origin() + "/2.0/repositories/" + repo.name + "/pullrequests/" + pr.number);
    links.putObject("html").put("href", call.origin() + "/" + repo.name + "/pull-requests/" + pr.number);
    return json;
  }

  private static void endpoint(ObjectNode json, FakeHosting.Repo repo, String branch, String sha) {
    json.putObject("branch").put("name", branch);
    json.putObject("commit").put("type", "commit").put("hash", shortHash(sha));
    json.putObject("repository").put("type", "repository").put("full_name", repo.name);
  }

  /** Bitbucket names commits in pull requests by their first 12 characters. */
  private static String shortHash(String sha) {
    return sha == null || sha.length() < 12 ? sha : sha.substring(0, 12);
  }

  private static ApiReply fieldError(String message, String field) {
    ObjectNode body = FakeApi.object().put("type", "error");
    ObjectNode error = body.putObject("error").put("message", message);
    error.putObject("fields").putArray(field).add("Branch not found");
    return ApiReply.json(400, body);
  }
}
