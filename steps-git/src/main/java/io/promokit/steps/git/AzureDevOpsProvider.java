package io.promokit.steps.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promokit.StepContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Azure DevOps Services ({@code https://dev.azure.com/<org>}) and [ours] Azure DevOps Server (the server's own
 * address), with a personal access token (basic authentication, empty user name), API version 7.1. Pull
 * requests are {@code active}, {@code abandoned} or {@code completed}. Merging as Kargo: completed is done,
 * abandoned an error, a draft or a {@code mergeStatus} other than {@code succeeded} not ready; the merge is a
 * PATCH to {@code completed}, then up to 10 reads a second apart until Azure DevOps has completed it.
 */
final class AzureDevOpsProvider implements PullRequestProvider {

  static final String API_VERSION = "7.1";
  static final Set<String> MERGE_METHODS = Set.of("noFastForward", "rebase", "rebaseMerge", "squash");
  static final int COMPLETION_READS = 10;
  static final Duration COMPLETION_WAIT = Duration.ofSeconds(1);
  private static final int PAGE = 100;

  private final StepContext context;
  private final ProviderHttp http;
  private final ProviderRepository repository;
  private final String repoPath;

  AzureDevOpsProvider(StepContext context, ProviderHttp http, ProviderRepository repository) {
    this.context = context;
    this.http = http;
    this.repository = repository;
    List<String> names = repository.names();
    this.repoPath = "/" + ProviderHttp.segment(names.get(0)) + "/" + ProviderHttp.segment(names.get(1))
        + "/_apis/git/repositories/" + ProviderHttp.segment(names.get(2));
  }

  @Override
  public GitHost host() {
    return GitHost.AZURE;
  }

  @Override
  public List<PullRequest> list(String head, String base) throws InterruptedException {
    List<PullRequest> all = new ArrayList<>();
    // [ours] refs/heads/ names, which Azure DevOps matches (Kargo sends bare names); $top/$skip paging until a
    // page comes back empty, whatever page size the server chose.
    for (int skip = 0, pages = 0; ; pages++) {
      if (pages >= ProviderHttp.MAX_PAGES) {
        throw ProviderException.failure("Azure DevOps API: the pull request list still had more after "
            + ProviderHttp.MAX_PAGES + " pages");
      }
      URI uri = http.uri(repoPath + "/pullrequests" + ProviderHttp.query(
          "searchCriteria.status", "all",
          "searchCriteria.sourceRefName", "refs/heads/" + head,
          "searchCriteria.targetRefName", "refs/heads/" + base,
          "$top", String.valueOf(PAGE), "$skip", String.valueOf(skip),
          "api-version", API_VERSION));
      JsonNode page = http.get(uri).body().path("value");
      if (!page.isArray() || page.isEmpty()) {
        return all;
      }
      for (JsonNode pr : page) {
        if (JsonFields.text(pr, "sourceRefName").equals("refs/heads/" + head)
            && JsonFields.text(pr, "targetRefName").equals("refs/heads/" + base)) {
          all.add(convert(pr));
        }
      }
      skip += page.size();
    }
  }

  @Override
  public PullRequest create(NewPullRequest request) throws InterruptedException {
    JsonNode repo = http.get(http.uri(repoPath + ProviderHttp.query("api-version", API_VERSION))).body();
    String id = JsonFields.text(repo, "id");
    if (id.isEmpty()) {
      throw ProviderException.failure("error getting repository \"" + repository.names().get(2)
          + "\": Azure DevOps answered no id");
    }
    ObjectNode body = ProviderHttp.object()
        .put("sourceRefName", "refs/heads/" + request.head())
        .put("targetRefName", "refs/heads/" + request.base())
        .put("title", request.title())
        .put("description", request.description());
    ArrayNode labels = body.putArray("labels");
    request.labels().forEach(name -> labels.addObject().put("name", name));
    String path = "/" + ProviderHttp.segment(repository.names().get(0)) + "/"
        + ProviderHttp.segment(repository.names().get(1)) + "/_apis/git/repositories/" + ProviderHttp.segment(id)
        + "/pullrequests" + ProviderHttp.query("api-version", API_VERSION);
    return convert(http.send("POST", http.uri(path), body).body());
  }

  @Override
  public PullRequest get(long number) throws InterruptedException {
    return convert(getJson(number));
  }

  private JsonNode getJson(long number) throws InterruptedException {
    return http.get(pullRequestUri(number)).body();
  }

  private URI pullRequestUri(long number) {
    return http.uri(repoPath + "/pullrequests/" + number + ProviderHttp.query("api-version", API_VERSION));
  }

  @Override
  public MergeResult merge(long number, String method) throws InterruptedException {
    JsonNode pr = getJson(number);
    String status = JsonFields.text(pr, "status");
    switch (status) {
      case "completed" -> {
        return new MergeResult.Merged(convert(pr));
      }
      case "abandoned" -> throw ProviderException.failure("pull request " + number + " is abandoned");
      case "active" -> {
        if (JsonFields.bool(pr, "isDraft")) {
          return new MergeResult.NotReady("it is a draft");
        }
        String mergeStatus = JsonFields.text(pr, "mergeStatus");
        if (!mergeStatus.equals("succeeded")) {
          return new MergeResult.NotReady("its mergeStatus is " + (mergeStatus.isEmpty() ? "notSet" : mergeStatus));
        }
      }
      default -> {
        return new MergeResult.NotReady("its status is " + (status.isEmpty() ? "notSet" : status));
      }
    }
    ObjectNode body = ProviderHttp.object().put("status", "completed");
    body.set("lastMergeSourceCommit", pr.path("lastMergeSourceCommit"));
    if (!method.isEmpty()) {
      if (!MERGE_METHODS.contains(method)) {
        throw ProviderException.failure("unsupported merge method \"" + method + "\" (Azure DevOps takes "
            + String.join(", ", MERGE_METHODS.stream().sorted().toList()) + ")");
      }
      body.putObject("completionOptions").put("mergeStrategy", method);
    }
    http.send("PATCH", pullRequestUri(number), body);
    // Azure DevOps completes a pull request in the background.
    for (int read = 1; ; read++) {
      JsonNode after = getJson(number);
      if (JsonFields.text(after, "status").equals("completed")) {
        return new MergeResult.Merged(convert(after));
      }
      if (read >= COMPLETION_READS) {
        return new MergeResult.NotReady("Azure DevOps had not completed it " + COMPLETION_READS
            + " seconds after the request (status " + JsonFields.text(after, "status") + ", mergeStatus "
            + JsonFields.text(after, "mergeStatus") + ")");
      }
      context.sleep(COMPLETION_WAIT);
    }
  }

  private PullRequest convert(JsonNode pr) {
    long id = JsonFields.number(pr, "pullRequestId");
    String webUrl = JsonFields.text(pr, "repository", "webUrl");
    String status = JsonFields.text(pr, "status");
    boolean merged = status.equals("completed");
    return new PullRequest(id, (webUrl.isEmpty() ? repository.azureWebPage() : webUrl) + "/pullrequest/" + id,
        status.equals("active"), merged,
        // While active, lastMergeCommit is Azure DevOps' trial merge: a commit only once completed.
        merged ? JsonFields.text(pr, "lastMergeCommit", "commitId") : "",
        JsonFields.text(pr, "lastMergeSourceCommit", "commitId"), JsonFields.instant(pr, "creationDate"));
  }
}
