package io.promokit.steps.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promokit.StepContext;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Bitbucket Cloud ({@code https://api.bitbucket.org/2.0}, a bearer token). [ours] Every page of the pull request
 * list is read (Kargo reads the first only), filtered by branch here; Bitbucket names commits by 12-character
 * hashes, so a merge commit is read again in full ({@code /commit/{hash}}) and a head commit matched by prefix.
 * It has no labels (they are ignored, with a line in the step log) and no merge eligibility: only a draft is
 * "not ready". A merge Bitbucket accepts asynchronously (202) is an error, as in Kargo.
 */
final class BitbucketProvider implements PullRequestProvider {

  static final Set<String> MERGE_METHODS = Set.of("merge_commit", "squash", "fast_forward", "squash_fast_forward",
      "rebase_fast_forward", "rebase_merge");

  private final StepContext context;
  private final ProviderHttp http;
  private final String repoPath;

  BitbucketProvider(StepContext context, ProviderHttp http, ProviderRepository repository) {
    this.context = context;
    this.http = http;
    this.repoPath = "/repositories/" + ProviderHttp.segment(repository.names().get(0)) + "/"
        + ProviderHttp.segment(repository.names().get(1));
  }

  @Override
  public GitHost host() {
    return GitHost.BITBUCKET;
  }

  @Override
  public List<PullRequest> list(String head, String base) throws InterruptedException {
    List<JsonNode> items = http.pages(http.uri(repoPath + "/pullrequests"
            + ProviderHttp.query("state", "OPEN", "state", "MERGED", "pagelen", "50")),
        reply -> reply.body().path("values"), BitbucketProvider::nextPage);
    return items.stream()
        .filter(pr -> JsonFields.text(pr, "source", "branch", "name").equals(head)
            && JsonFields.text(pr, "destination", "branch", "name").equals(base))
        .map(pr -> convert(pr, JsonFields.text(pr, "merge_commit", "hash")))
        .toList();
  }

  private static Optional<URI> nextPage(ProviderHttp.Reply reply) {
    String next = JsonFields.text(reply.body(), "next");
    return next.isEmpty() ? Optional.empty() : Optional.of(reply.uri().resolve(next));
  }

  @Override
  public PullRequest create(NewPullRequest request) throws InterruptedException {
    if (!request.labels().isEmpty()) {
      context.log().info("Bitbucket Cloud pull requests have no labels; ignoring " + request.labels());
    }
    ObjectNode body = ProviderHttp.object().put("type", "pullrequest").put("title", request.title());
    if (!request.description().isEmpty()) {
      body.put("description", request.description());
    }
    body.putObject("source").putObject("branch").put("name", request.head());
    body.putObject("destination").putObject("branch").put("name", request.base());
    return resolved(http.send("POST", http.uri(repoPath + "/pullrequests"), body).body());
  }

  @Override
  public PullRequest get(long number) throws InterruptedException {
    return resolved(getJson(number));
  }

  private JsonNode getJson(long number) throws InterruptedException {
    return http.get(http.uri(repoPath + "/pullrequests/" + number)).body();
  }

  @Override
  public MergeResult merge(long number, String method) throws InterruptedException {
    JsonNode pr = getJson(number);
    String state = JsonFields.text(pr, "state");
    if (state.equals("MERGED")) {
      return new MergeResult.Merged(resolved(pr));
    }
    if (!state.equals("OPEN")) {
      throw ProviderException.failure("pull request " + number + " is closed but not merged (state: " + state + ")");
    }
    if (JsonFields.bool(pr, "draft")) {
      return new MergeResult.NotReady("it is a draft");
    }
    ObjectNode body = ProviderHttp.object().put("type", "pullrequestMergeParameters");
    if (!method.isEmpty()) {
      if (!MERGE_METHODS.contains(method)) {
        throw ProviderException.failure("unsupported merge strategy \"" + method + "\" (Bitbucket takes "
            + String.join(", ", MERGE_METHODS.stream().sorted().toList()) + ")");
      }
      body.put("merge_strategy", method);
    }
    ProviderHttp.Reply reply = http.send("POST", http.uri(repoPath + "/pullrequests/" + number + "/merge"), body);
    if (reply.status() == 202) {
      throw ProviderException.failure("pull request " + number
          + " merge was accepted asynchronously and cannot be awaited", 202);
    }
    String after = JsonFields.text(reply.body(), "state");
    if (!after.equals("MERGED")) {
      throw ProviderException.failure("unexpected state \"" + after + "\" after merging pull request " + number);
    }
    return new MergeResult.Merged(resolved(reply.body()));
  }

  /** The pull request with its merge commit's full hash (Bitbucket gives 12 characters). */
  private PullRequest resolved(JsonNode pr) throws InterruptedException {
    String hash = JsonFields.text(pr, "merge_commit", "hash");
    if (!hash.isEmpty()) {
      JsonNode commit = http.get(http.uri(repoPath + "/commit/" + ProviderHttp.segment(hash))).body();
      String full = JsonFields.text(commit, "hash");
      if (full.isEmpty()) {
        throw ProviderException.failure("Bitbucket API: commit " + hash + " answered no hash");
      }
      hash = full;
    }
    return convert(pr, hash);
  }

  private static PullRequest convert(JsonNode pr, String mergeCommit) {
    String state = JsonFields.text(pr, "state");
    boolean merged = state.equals("MERGED");
    return new PullRequest(JsonFields.number(pr, "id"), JsonFields.text(pr, "links", "html", "href"),
        state.equals("OPEN"), merged, merged ? mergeCommit : "", JsonFields.text(pr, "source", "commit", "hash"),
        JsonFields.instant(pr, "created_on"));
  }
}
