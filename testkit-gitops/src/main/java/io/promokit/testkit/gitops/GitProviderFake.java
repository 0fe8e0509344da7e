package io.promokit.testkit.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stateful stand-in for a pull-request host (GitHub, GitLab, Gitea, Azure DevOps or Bitbucket Cloud) on
 * 127.0.0.1: one HTTP server on an ephemeral port that answers the provider's REST API (the subset Kargo's
 * pull-request steps call, with the provider's paths, token header, JSON shapes, status codes and pagination)
 * and serves its repositories over git's smart HTTP from real bare repositories on the same host. Pull requests
 * see pushes at once, and merging one really merges (merge commit, squash, rebase, fast-forward, as the method
 * says) with git. Lists come in small pages (2 items unless {@link Builder#pageSize(int)}) so clients must page.
 *
 * <pre>{@code
 * try (GitProviderFake github = GitProviderFake.builder(GitProviderFake.Kind.GITHUB, tempDir).start()) {
 *   BareRepository repo = github.createRepository("acme/app");
 *   repo.commit("main", "initial", Map.of("app.yaml", "v1\n"));
 *   String url = github.repoUrl("acme/app");        // http://127.0.0.1:<port>/acme/app.git
 *   String api = github.apiBase();                  // http://127.0.0.1:<port>/api/v3
 *   ... // clone and push with user "any", password github.token(); call the API with the token
 *   FakePullRequest pr = github.pullRequest("acme/app", 1);
 * }
 * }</pre>
 *
 * <p>The API and git both take {@link #token()}: git as the password of HTTP basic authentication (any user
 * name), the API as the provider reads it (GitHub and Bitbucket {@code Authorization: Bearer}, GitLab
 * {@code PRIVATE-TOKEN}, Gitea {@code Authorization: token}, Azure DevOps basic authentication with an empty
 * user). Repositories are named as on the host: {@code owner/repo} ({@code group/sub/repo} on GitLab,
 * {@code organization/project/repo} on Azure DevOps). Tests drive what people and CI would do on the host
 * ({@link #setChecksPending}, {@link #mergePullRequest}, ...) and inject faults ({@link #failNextRequests},
 * {@link #failAfterHandlingNext}, {@link #dropNextConnection}, {@link #rejectNextMerge}). Thread-safe.
 */
public final class GitProviderFake implements AutoCloseable {

  /** The provider a fake plays. */
  public enum Kind {
    /** GitHub (Enterprise Server's API layout: {@code /api/v3}). */
    GITHUB("github"),
    /** GitLab ({@code /api/v4}). */
    GITLAB("gitlab"),
    /** Gitea ({@code /api/v1}). */
    GITEA("gitea"),
    /** Azure DevOps ({@code /<organization>/<project>/_apis/...}). */
    AZURE("azure"),
    /** Bitbucket Cloud ({@code /2.0}). */
    BITBUCKET("bitbucket");

    private final String providerName;

    Kind(String providerName) {
      this.providerName = providerName;
    }

    /** The name Kargo's {@code provider} field and the CLI's {@code --git-provider-api} use. */
    public String providerName() {
      return providerName;
    }
  }

  /**
   * One API request the fake answered.
   *
   * @param method the HTTP method
   * @param path the raw path
   * @param query the raw query, empty when none
   * @param status the status answered (0 for a dropped connection)
   * @param authorized whether it carried the token
   */
  public record ApiRequest(String method, String path, String query, int status, boolean authorized) {}

  private sealed interface Fault permits Fail, FailAfter, Drop, RateLimit {}

  private record Fail(int status, Duration retryAfter) implements Fault {}

  private record FailAfter(String method, int status) implements Fault {}

  private record Drop() implements Fault {}

  private record RateLimit(Duration resetIn) implements Fault {}

  private record MergeRejection(int status, String message) {}

  private final Kind kind;
  private final String token;
  private final Path root;
  private final HttpServer server;
  private final ExecutorService executor;
  private final GitHttpBackend backend;
  private final FakeHosting hosting;
  private final FakeApi api;
  private final boolean anonymousGitReads;
  private final String scheme;
  private final List<ApiRequest> requests = Collections.synchronizedList(new ArrayList<>());
  private final Deque<Fault> faults = new ArrayDeque<>();
  private MergeRejection mergeRejection;

  private GitProviderFake(Builder b) throws IOException {
    this.kind = b.kind;
    this.token = b.token;
    this.root = Files.createDirectories(b.root.resolve("repositories")).toAbsolutePath();
    this.anonymousGitReads = b.anonymousGitReads;
    this.backend = new GitHttpBackend(root);
    this.hosting = new FakeHosting(root, new FakeMerges(b.root.resolve("merges"), displayName(kind) + " (fake)"));
    this.api = switch (kind) {
      case GITHUB -> new FakeGitHubApi(hosting, b.pageSize);
      case GITLAB -> new FakeGitLabApi(hosting, b.pageSize);
      case GITEA -> new FakeGiteaApi(hosting, b.pageSize);
      case AZURE -> new FakeAzureDevOpsApi(hosting, b.pageSize);
      case BITBUCKET -> new FakeBitbucketApi(hosting, b.pageSize);
    };
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "git-provider-fake-" + kind.providerName());
      t.setDaemon(true);
      return t;
    });
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (b.https) {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(SelfSignedTls.context(b.root.resolve("tls"))));
      this.server = https;
    } else {
      this.server = HttpServer.create(address, 64);
    }
    this.scheme = b.https ? "https" : "http";
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** A fake of {@code kind} keeping its repositories and scratch files under {@code root} (an existing folder). */
  public static Builder builder(Kind kind, Path root) {
    return new Builder(kind, root);
  }

  /** The provider it plays. */
  public Kind kind() {
    return kind;
  }

  /** The token the API and git accept. */
  public String token() {
    return token;
  }

  /** The port it listens on (127.0.0.1). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port>} ({@code https://} when TLS is on). */
  public String origin() {
    return scheme + "://127.0.0.1:" + port();
  }

  /**
   * The API base, as {@code GitSteps.Builder.providerApi} and the CLI's {@code --git-provider-api} take it:
   * GitHub {@code <origin>/api/v3}, GitLab {@code <origin>/api/v4}, Gitea {@code <origin>/api/v1}, Azure DevOps
   * {@code <origin>} (the organization follows), Bitbucket {@code <origin>/2.0}. For every kind but Bitbucket
   * this is also what a client derives from {@link #repoUrl(String)}.
   */
  public String apiBase() {
    return origin() + switch (kind) {
      case GITHUB -> "/api/v3";
      case GITLAB -> "/api/v4";
      case GITEA -> "/api/v1";
      case AZURE -> "";
      case BITBUCKET -> "/2.0";
    };
  }

  /**
   * Creates an empty repository (default branch {@code main}), served at {@link #repoUrl(String)}; fill it with
   * the returned {@link BareRepository}.
   *
   * @param name {@code owner/repo}; {@code group[/sub...]/repo} on GitLab; {@code organization/project/repo} on
   *     Azure DevOps
   */
  public synchronized BareRepository createRepository(String name) {
    return hosting.create(name, storage(name)).git;
  }

  /** The git URL of a repository: {@code <origin>/owner/repo.git}; {@code <origin>/org/project/_git/repo} on Azure. */
  public String repoUrl(String name) {
    return origin() + "/" + storage(name);
  }

  /** Every pull request of a repository, in the order they were opened. */
  public synchronized List<FakePullRequest> pullRequests(String repo) {
    FakeHosting.Repo r = repo(repo);
    return r.pulls.stream().map(pr -> FakeHosting.snapshot(r, pr)).toList();
  }

  /** One pull request. */
  public synchronized FakePullRequest pullRequest(String repo, long number) {
    FakeHosting.Repo r = repo(repo);
    return FakeHosting.snapshot(r, pull(r, number));
  }

  /** Opens a pull request as a person would in the host's UI; returns its number. */
  public synchronized long openPullRequest(String repo, String sourceBranch, String targetBranch, String title) {
    FakeHosting.Repo r = repo(repo);
    if (r.git.head(sourceBranch).isEmpty() || r.git.head(targetBranch).isEmpty()) {
      throw new IllegalArgumentException("branches " + sourceBranch + " and " + targetBranch + " must exist in " + repo);
    }
    return hosting.open(r, sourceBranch, targetBranch, title, "", List.of(), false).number;
  }

  /**
   * Marks a pull request's required checks as running (true) or passed (false). While they run it is not ready:
   * GitHub {@code mergeable_state: blocked} (its merge answers 405), GitLab {@code detailed_merge_status:
   * ci_still_running}, Gitea {@code mergeable: false}, Azure DevOps {@code mergeStatus: queued}; Bitbucket, which
   * has no such state, refuses the merge (400).
   */
  public synchronized void setChecksPending(String repo, long number, boolean pending) {
    pull(repo(repo), number).checksPending = pending;
  }

  /** Marks a pull request as a draft or ready for review. */
  public synchronized void setDraft(String repo, long number, boolean draft) {
    pull(repo(repo), number).draft = draft;
  }

  /** Closes an open pull request without merging it, as a person would. */
  public synchronized void closePullRequest(String repo, long number) {
    FakeHosting.Repo r = repo(repo);
    FakeHosting.Pr pr = pull(r, number);
    requireOpen(pr);
    hosting.close(r, pr);
  }

  /** Merges an open pull request with a merge commit, as a person would in the UI; returns the merge commit. */
  public synchronized String mergePullRequest(String repo, long number) {
    FakeHosting.Repo r = repo(repo);
    FakeHosting.Pr pr = pull(r, number);
    requireOpen(pr);
    hosting.merge(r, pr, FakeMerges.Style.MERGE_COMMIT, "merge", "Merge pull request #" + number);
    return pr.mergeCommit;
  }

  /** Creates a repository label (Gitea resolves label names to these; other providers accept any name). */
  public synchronized void createLabel(String repo, String label) {
    FakeHosting.Repo r = repo(repo);
    r.labels.putIfAbsent(label, 100L + r.labels.size());
  }

  /**
   * Answers the next {@code count} API requests with {@code status} in the provider's error shape, without
   * acting on them, with {@code Retry-After: <seconds>} when {@code retryAfter} is given (rate limits, outages).
   */
  public synchronized void failNextRequests(int count, int status, Duration retryAfter) {
    for (int i = 0; i < count; i++) {
      faults.add(new Fail(status, retryAfter));
    }
  }

  /**
   * Acts on the next API request with this HTTP method ({@code POST}, ...) but answers it with {@code status} (a
   * proxy that lost the answer: the pull request was opened, the client does not know).
   */
  public synchronized void failAfterHandlingNext(String method, int status) {
    faults.add(new FailAfter(Objects.requireNonNull(method, "method"), status));
  }

  /**
   * Answers the next API request as an exhausted rate limit, the way GitHub does: 403 "API rate limit exceeded",
   * {@code X-RateLimit-Remaining: 0} and {@code X-RateLimit-Reset} (epoch seconds) {@code resetIn} from now.
   */
  public synchronized void exhaustRateLimit(Duration resetIn) {
    faults.add(new RateLimit(Objects.requireNonNull(resetIn, "resetIn")));
  }

  /** Closes the connection of the next API request halfway through the answer (a network failure). */
  public synchronized void dropNextConnection() {
    faults.add(new Drop());
  }

  /**
   * Answers the next merge request with {@code status} and {@code message} in the provider's error shape (GitHub's
   * "Base branch was modified", a 409 of GitLab's, ...), without merging.
   */
  public synchronized void rejectNextMerge(int status, String message) {
    mergeRejection = new MergeRejection(status, Objects.requireNonNull(message, "message"));
  }

  /** Every API request answered so far, in order (git requests are not listed). */
  public List<ApiRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** What {@code git http-backend} printed on stderr, for diagnosing a failing test. */
  public List<String> backendErrors() {
    return backend.errors();
  }

  /** Stops the server and every git process it runs. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    backend.close();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String rawPath = exchange.getRequestURI().getRawPath();
      if (api.owns(rawPath)) {
        handleApi(exchange, rawPath);
      } else {
        handleGit(exchange, rawPath);
      }
    }
  }

  private void handleGit(HttpExchange exchange, String rawPath) throws IOException {
    String query = Objects.requireNonNullElse(exchange.getRequestURI().getRawQuery(), "");
    boolean push = GitHttpBackend.isPush(rawPath, query);
    boolean authenticated = token.equals(basicPassword(exchange.getRequestHeaders().getFirst("Authorization")));
    if (!authenticated && (push || !anonymousGitReads)) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + displayName(kind) + " (fake)\"");
      byte[] body = "authentication required\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(401, body.length);
      exchange.getResponseBody().write(body);
      return;
    }
    backend.serve(exchange, exchange.getRequestMethod(), rawPath, query, authenticated ? "git" : null);
  }

  private void handleApi(HttpExchange exchange, String rawPath) throws IOException {
    String rawQuery = Objects.requireNonNullElse(exchange.getRequestURI().getRawQuery(), "");
    byte[] requestBody = exchange.getRequestBody().readAllBytes();
    FakeApi.ApiReply reply;
    boolean authorized;
    synchronized (this) {
      FakeApi.ApiCall call;
      try {
        call = new FakeApi.ApiCall(exchange.getRequestMethod(), rawPath, segments(rawPath),
            FakeApi.ApiCall.parseQuery(rawQuery), exchange.getRequestHeaders(), json(requestBody), origin());
      } catch (IOException e) {
        reply = api.error(400, "Problems parsing JSON: " + e.getMessage());
        send(exchange, reply);
        requests.add(new ApiRequest(exchange.getRequestMethod(), rawPath, rawQuery, reply.status(), false));
        return;
      }
      authorized = api.authorized(call, token);
      Fault fault = nextFault(call.method());
      if (fault instanceof Drop) {
        requests.add(new ApiRequest(call.method(), rawPath, rawQuery, 0, authorized));
        // Half an answer, then the connection closes: the client sees the transfer break off.
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 1000);
        exchange.getResponseBody().write("{\"partial\":".getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
        return;
      }
      if (fault instanceof Fail fail) {
        reply = api.error(fail.status(), "fake " + kind.providerName() + " failure " + fail.status());
        if (fail.retryAfter() != null) {
          reply = reply.withHeader("Retry-After", String.valueOf(fail.retryAfter().toSeconds()));
        }
      } else if (fault instanceof RateLimit limit) {
        reply = api.error(403, "API rate limit exceeded for installation.")
            .withHeader("X-RateLimit-Limit", "5000").withHeader("X-RateLimit-Remaining", "0")
            .withHeader("X-RateLimit-Reset", String.valueOf(java.time.Instant.now().plus(limit.resetIn()).getEpochSecond()));
      } else if (!authorized) {
        reply = api.unauthorized();
      } else if (mergeRejection != null && api.isMerge(call)) {
        reply = api.error(mergeRejection.status(), mergeRejection.message());
        mergeRejection = null;
      } else {
        reply = answer(call);
        if (fault instanceof FailAfter after) {
          reply = api.error(after.status(), "fake " + kind.providerName() + " failure " + after.status()
              + " (the request was carried out)");
        }
      }
      requests.add(new ApiRequest(call.method(), rawPath, rawQuery, reply.status(), authorized));
    }
    send(exchange, reply);
  }

  /** The fault for this request: the first queued one, unless it waits for another method. */
  private Fault nextFault(String method) {
    Fault first = faults.peek();
    if (first instanceof FailAfter after && !after.method().equalsIgnoreCase(method)) {
      return null;
    }
    return faults.poll();
  }

  private FakeApi.ApiReply answer(FakeApi.ApiCall call) {
    try {
      return api.handle(call);
    } catch (FakeApi.ApiError e) {
      return e.reply != null ? e.reply : api.error(e.status, e.getMessage());
    } catch (FakeMerges.Refused e) {
      return api.error(409, e.getMessage());
    } catch (RuntimeException e) {
      return api.error(500, "fake " + kind.providerName() + " failed: " + e);
    }
  }

  private static void send(HttpExchange exchange, FakeApi.ApiReply reply) throws IOException {
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    if (reply.body() == null) {
      exchange.sendResponseHeaders(reply.status(), -1);
      return;
    }
    byte[] body = FakeApi.JSON.writeValueAsBytes(reply.body());
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(reply.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static JsonNode json(byte[] body) throws IOException {
    if (body.length == 0) {
      return null;
    }
    return FakeApi.JSON.readTree(body);
  }

  /** The path after the API's prefix, split at {@code /} and decoded per segment ({@code acme%2Fapp} stays one). */
  private List<String> segments(String rawPath) {
    String rest = switch (kind) {
      case GITHUB -> rawPath.substring("/api/v3".length());
      case GITLAB -> rawPath.substring("/api/v4".length());
      case GITEA -> rawPath.substring("/api/v1".length());
      case BITBUCKET -> rawPath.substring("/2.0".length());
      case AZURE -> rawPath;
    };
    return Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty())
        .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
  }

  private static String basicPassword(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.substring(colon + 1);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private String storage(String name) {
    List<String> parts = Arrays.asList(name.split("/"));
    boolean valid = parts.stream().noneMatch(p -> p.isEmpty() || p.equals("..") || p.equals(".") || p.equals("_git"))
        && switch (kind) {
          case GITHUB, GITEA, BITBUCKET -> parts.size() == 2;
          case GITLAB -> parts.size() >= 2;
          case AZURE -> parts.size() == 3;
        };
    if (!valid) {
      throw new IllegalArgumentException("repository name \"" + name + "\" does not fit " + displayName(kind) + " ("
          + (kind == Kind.AZURE ? "organization/project/repo" : kind == Kind.GITLAB ? "group[/sub...]/repo" : "owner/repo")
          + ")");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return kind == Kind.AZURE
        ? parts.get(0).toLowerCase(Locale.ROOT) + "/" + parts.get(1).toLowerCase(Locale.ROOT) + "/_git/"
            + parts.get(2).toLowerCase(Locale.ROOT)
        : lower + ".git";
  }

  private FakeHosting.Repo repo(String name) {
    return hosting.repo(name).orElseThrow(() -> new IllegalArgumentException("no repository " + name
        + " (create it with createRepository)"));
  }

  private static FakeHosting.Pr pull(FakeHosting.Repo repo, long number) {
    return repo.pull(number).orElseThrow(() -> new IllegalArgumentException("no pull request " + number + " in "
        + repo.name));
  }

  private static void requireOpen(FakeHosting.Pr pr) {
    if (!pr.open()) {
      throw new IllegalStateException("pull request " + pr.number + " is " + pr.state);
    }
  }

  static String displayName(Kind kind) {
    return switch (kind) {
      case GITHUB -> "GitHub";
      case GITLAB -> "GitLab";
      case GITEA -> "Gitea";
      case AZURE -> "Azure DevOps";
      case BITBUCKET -> "Bitbucket";
    };
  }

  /** Settings of a {@link GitProviderFake}. */
  public static final class Builder {
    private final Kind kind;
    private final Path root;
    private String token = "fake-token-" + UUID.randomUUID();
    private int pageSize = 2;
    private boolean anonymousGitReads;
    private boolean https;

    private Builder(Kind kind, Path root) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.root = Objects.requireNonNull(root, "root");
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("root must be an existing folder, but was " + root);
      }
    }

    /** The token the API and git accept (default: a random one, see {@link GitProviderFake#token()}). */
    public Builder token(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("token must not be blank");
      }
      this.token = token;
      return this;
    }

    /**
     * The most items one page of a list holds, whatever the client asks for (default 2, so that clients must
     * page; the real providers cap at 100, or 50).
     */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1) {
        throw new IllegalArgumentException("pageSize must be at least 1, but was " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /** Whether git clones and fetches work without the token (default false); pushes never do. */
    public Builder anonymousGitReads(boolean anonymous) {
      this.anonymousGitReads = anonymous;
      return this;
    }

    /**
     * Serves HTTPS with a self-signed certificate for 127.0.0.1 (made with the JDK's keytool under the root);
     * clients must skip verification ({@code insecureSkipTLSVerify}).
     */
    public Builder https(boolean https) {
      this.https = https;
      return this;
    }

    /** Starts the fake. */
    public GitProviderFake start() {
      try {
        return new GitProviderFake(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the " + displayName(kind) + " fake", e);
      }
    }
  }
}
