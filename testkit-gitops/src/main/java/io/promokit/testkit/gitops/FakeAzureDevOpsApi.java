package io.promokit.testkit.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Azure DevOps' Git REST API ({@code /<organization>/<project>/_apis/git/repositories/<repo>/...}, every request
 * with {@code api-version}) in a {@link GitProviderFake}: repositories and pull requests. A personal access token
 * in basic authentication (any user name); 401 "TF400813"; lists with {@code searchCriteria.*} matching full ref
 * names ({@code refs/heads/main}) and {@code $top}/{@code $skip}, capped at the page size; {@code mergeStatus}
 * {@code succeeded}, {@code conflicts}, {@code queued} (checks running). Completion is asynchronous as in Azure
 * DevOps: the PATCH to {@code completed} answers while the pull request is still {@code active}; the next read
 * finds it merged.
 */
final class FakeAzureDevOpsApi implements FakeApi {

  private final FakeHosting hosting;
  private final int pageSize;

  FakeAzureDevOpsApi(FakeHosting hosting, int pageSize) {
    this.hosting = hosting;
    this.pageSize = pageSize;
  }

  @Override
  public boolean owns(String rawPath) {
    return rawPath.contains("/_apis/");
  }

  @Override
  public boolean authorized(ApiCall call, String token) {
    String auth = call.header("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
      return decoded.substring(decoded.indexOf(':') + 1).equals(token);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public ApiReply unauthorized() {
    return error(401, "TF400813: The user '' is not authorized to access this resource.")
        .withHeader("WWW-Authenticate", "Basic realm=\"https://dev.azure.com/\"");
  }

  @Override
  public ApiReply error(int status, String message) {
    return ApiReply.json(status, FakeApi.object().put("$id", "1").putNull("innerException").put("message", message)
        .put("typeName", "Microsoft.TeamFoundation.Git.Server.GitServerException, Microsoft.TeamFoundation.Git.Server")
        .put("typeKey", "GitServerException").put("errorCode", 0).put("eventId", 3000));
  }

  @Override
  public boolean isMerge(ApiCall call) {
    return call.method().equals("PATCH") && call.segments().size() == 8 && call.body() != null
        && "completed".equals(call.body().path("status").asText());
  }

  @Override
  public ApiReply handle(ApiCall call) {
    List<String> s = call.segments();
    if (s.size() < 6 || !s.get(2).equals("_apis") || !s.get(3).equals("git") || !s.get(4).equals("repositories")) {
      throw ApiError.of(404, "The resource cannot be found.");
    }
    if (call.param("api-version") == null) {
      throw ApiError.of(400, "No api-version was supplied for the \"" + call.method() + "\" request. A version must "
          + "be supplied either as part of the Accept header (e.g. \"application/json; api-version=1.0\") or as query "
          + "parameter (e.g. \"?api-version=1.0\").");
    }
    FakeHosting.Repo repo = repo(s.get(0), s.get(1), s.get(5)).orElseThrow(() -> ApiError.of(404,
        "TF401019: The Git repository with name or identifier " + s.get(5)
            + " does not exist or you do not have permissions for the operation you are attempting."));
    if (call.is("GET", "*", "*", "_apis", "git", "repositories", "*")) {
      return ApiReply.json(200, repository(call, repo));
    }
    if (call.is("GET", "*", "*", "_apis", "git", "repositories", "*", "pullrequests")) {
      return list(call, repo);
    }
    if (call.is("POST", "*", "*", "_apis", "git", "repositories", "*", "pullrequests")) {
      return create(call, repo);
    }
    if (call.is("GET", "*", "*", "_apis", "git", "repositories", "*", "pullrequests", "*")) {
      FakeHosting.Pr pr = pull(call, repo);
      completeIfAsked(repo, pr);
      return ApiReply.json(200, render(call, repo, pr));
    }
    if (call.is("PATCH", "*", "*", "_apis", "git", "repositories", "*", "pullrequests", "*")) {
      return update(call, repo, pull(call, repo));
    }
    throw ApiError.of(404, "The resource cannot be found.");
  }

  private Optional<FakeHosting.Repo> repo(String org, String project, String nameOrId) {
    Optional<FakeHosting.Repo> byName = hosting.repo(org + "/" + project + "/" + nameOrId);
    if (byName.isPresent()) {
      return byName;
    }
    String prefix = (org + "/" + project + "/").toLowerCase(java.util.Locale.ROOT);
    return hosting.repos().stream()
        .filter(r -> r.uuid.equalsIgnoreCase(nameOrId) && r.name.toLowerCase(java.util.Locale.ROOT).startsWith(prefix))
        .findFirst();
  }

  private ApiReply list(ApiCall call, FakeHosting.Repo repo) {
    String status = call.param("searchCriteria.status") == null ? "active" : call.param("searchCriteria.status");
    String source = call.param("searchCriteria.sourceRefName");
    String target = call.param("searchCriteria.targetRefName");
    List<FakeHosting.Pr> matching = new ArrayList<>();
    for (FakeHosting.Pr pr : repo.pulls) {
      boolean statusMatches = switch (status) {
        case "all" -> true;
        case "active" -> pr.open();
        case "completed" -> pr.merged();
        case "abandoned" -> pr.state == FakePullRequest.State.CLOSED;
        default -> throw ApiError.of(400, "The value '" + status + "' is not valid for searchCriteria.status.");
      };
      if (statusMatches && (source == null || source.equals("refs/heads/" + pr.head))
          && (target == null || target.equals("refs/heads/" + pr.base))) {
        matching.add(pr);
      }
    }
    matching.sort(Comparator.comparing((FakeHosting.Pr pr) -> pr.createdAt).reversed());
    int top = Math.min(pageSize, Math.max(1, call.intParam("$top", 101)));
    int skip = Math.max(0, call.intParam("$skip", 0));
    ArrayNode values = FakeApi.array();
    matching.stream().skip(skip).limit(top).forEach(pr -> values.add(render(call, repo, pr)));
    ObjectNode body = FakeApi.object();
    body.set("value", values);
    body.put("count", values.size());
    return ApiReply.json(200, body);
  }

  private ApiReply create(ApiCall call, FakeHosting.Repo repo) {
    JsonNode body = call.body();
    String source = branch(FakeApi.requireText(body, "sourceRefName"));
    String target = branch(FakeApi.requireText(body, "targetRefName"));
    String title = FakeApi.requireText(body, "title");
    if (source == null || target == null || repo.git.head(source).isEmpty() || repo.git.head(target).isEmpty()) {
      throw ApiError.of(400, "TF401398: The pull request cannot be activated because the source and/or the target "
          + "branch no longer exists, or the requested refs are not branches");
    }
    for (FakeHosting.Pr pr : repo.pulls) {
      if (pr.open() && pr.head.equals(source) && pr.base.equals(target)) {
        throw ApiError.of(409, "TF401179: An active pull request for the source and target branch already exists.");
      }
    }
    List<String> labels = new ArrayList<>();
    body.path("labels").forEach(label -> labels.add(label.path("name").asText()));
    labels.forEach(l -> repo.labels.putIfAbsent(l, 100L + repo.labels.size()));
    FakeHosting.Pr pr = hosting.open(repo, source, target, title, body.path("description").asText(""), labels,
        body.path("isDraft").asBoolean(false));
    return ApiReply.json(201, render(call, repo, pr));
  }

  private ApiReply update(ApiCall call, FakeHosting.Repo repo, FakeHosting.Pr pr) {
    JsonNode body = call.body() == null ? FakeApi.object() : call.body();
    String status = body.path("status").asText("");
    if (status.equals("completed")) {
      if (!pr.open()) {
        throw ApiError.of(409, "TF401181: The pull request cannot be edited due to its state.");
      }
      String last = body.path("lastMergeSourceCommit").path("commitId").asText("");
      if (!last.equals(FakeHosting.headSha(repo, pr))) {
        throw ApiError.of(409, "TF401192: The source branch of the pull request was updated; the completion asked for "
            + (last.isEmpty() ? "no commit" : last) + ".");
      }
      String strategy = body.path("completionOptions").path("mergeStrategy").asText("noFastForward");
      if (!List.of("noFastForward", "squash", "rebase", "rebaseMerge").contains(strategy)) {
        throw ApiError.of(400, "The value '" + strategy + "' is not valid for completionOptions.mergeStrategy.");
      }
      pr.pendingCompletion = strategy;
    } else if (status.equals("abandoned")) {
      hosting.close(repo, pr);
    }
    if (body.hasNonNull("title")) {
      pr.title = body.get("title").asText();
    }
    ObjectNode json = render(call, repo, pr);
    if (pr.pendingCompletion != null) {
      json.put("completionQueueTime", pr.createdAt.plusSeconds(1).toString());
    }
    return ApiReply.json(200, json);
  }

  /** Completes a pull request whose completion was asked for, as Azure DevOps does in the background. */
  private void completeIfAsked(FakeHosting.Repo repo, FakeHosting.Pr pr) {
    if (pr.pendingCompletion == null || !pr.open()) {
      return;
    }
    String strategy = pr.pendingCompletion;
    pr.pendingCompletion = null;
    if (pr.checksPending || FakeHosting.conflicts(repo, pr)) {
      return; // completion blocked: it stays active
    }
    FakeMerges.Style style = switch (strategy) {
      case "squash" -> FakeMerges.Style.SQUASH;
      case "rebase" -> FakeMerges.Style.REBASE;
      case "rebaseMerge" -> FakeMerges.Style.REBASE_MERGE;
      default -> FakeMerges.Style.MERGE_COMMIT;
    };
    try {
      hosting.merge(repo, pr, style, strategy, "Merged PR " + pr.number + ": " + pr.title);
    } catch (FakeMerges.Refused e) {
      // the target moved or conflicts: it stays active, as a failed completion leaves it
    }
  }

  private static FakeHosting.Pr pull(ApiCall call, FakeHosting.Repo repo) {
    return repo.pull(call.number(7)).orElseThrow(() -> ApiError.of(404,
        "TF401180: The requested pull request was not found."));
  }

  private static String branch(String refName) {
    return refName.startsWith("refs/heads/") ? refName.substring("refs/heads/".length()) : null;
  }

  private ObjectNode repository(ApiCall call, FakeHosting.Repo repo) {
    String[] names = repo.name.split("/");
    ObjectNode json = FakeApi.object()
        .put("id", repo.uuid)
        .put("name", names[2])
        .put("url", call.origin() + "/" + names[0] + "/" + names[1] + "/_apis/git/repositories/" + repo.uuid)
        .put("webUrl", call.origin() + "/" + names[0] + "/" + names[1] + "/_git/" + names[2])
        .put("remoteUrl", call.origin() + "/" + names[0] + "/" + names[1] + "/_git/" + names[2])
        .put("defaultBranch", "refs/heads/main");
    json.putObject("project").put("id", new java.util.UUID(0xabcL, repo.id).toString()).put("name", names[1]);
    return json;
  }

  private ObjectNode render(ApiCall call, FakeHosting.Repo repo, FakeHosting.Pr pr) {
    String status = switch (pr.state) {
      case OPEN -> "active";
      case CLOSED -> "abandoned";
      case MERGED -> "completed";
    };
    boolean conflicts = pr.open() && FakeHosting.conflicts(repo, pr);
    String[] names = repo.name.split("/");
    ObjectNode json = FakeApi.object();
    json.set("repository", repository(call, repo));
    json.put("pullRequestId", pr.number)
        .put("codeReviewId", pr.number)
        .put("status", status)
        .put("creationDate", pr.createdAt.toString())
        .put("title", pr.title)
        .put("description", pr.description)
        .put("sourceRefName", "refs/heads/" + pr.head)
        .put("targetRefName", "refs/heads/" + pr.base)
        .put("mergeStatus", pr.open() ? (conflicts ? "conflicts" : pr.checksPending ? "queued" : "succeeded") : "succeeded")
        .put("isDraft", pr.draft)
        .put("url", call.origin() + "/" + names[0] + "/" + names[1] + "/_apis/git/repositories/" + repo.uuid
            + "/pullRequests/" + pr.number);
    json.putObject("createdBy").put("displayName", "promokit");
    if (!pr.open()) {
      json.put("closedDate", pr.closedAt.toString());
    }
    json.putObject("lastMergeSourceCommit").put("commitId", FakeHosting.headSha(repo, pr));
    json.putObject("lastMergeTargetCommit").put("commitId", FakeHosting.baseSha(repo, pr));
    if (pr.merged()) {
      json.putObject("lastMergeCommit").put("commitId", pr.mergeCommit);
      json.putObject("completionOptions").put("mergeStrategy", pr.mergeMethod);
    }
    ArrayNode labels = json.putArray("labels");
    pr.labels.forEach(name -> labels.addObject().put("id", new java.util.UUID(0x1abL, repo.labels.getOrDefault(name, 0L))
        .toString()).put("name", name).put("active", true));
    return json;
  }
}
