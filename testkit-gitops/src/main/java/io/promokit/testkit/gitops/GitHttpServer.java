package io.promokit.testkit.gitops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real smart-HTTP git server on 127.0.0.1 (an ephemeral port): git's own {@code git http-backend} run as a
 * CGI program for each request, behind HTTP basic authentication. Serves every bare repository under its
 * root folder at {@code http://127.0.0.1:<port>/<folder name>}.
 *
 * <pre>{@code
 * try (GitHttpServer server = GitHttpServer.builder(root).user("alice", "s3cret").start()) {
 *   String url = server.url("app.git");
 *   ...
 * }
 * }</pre>
 *
 * <p>Reads and pushes need a known user unless {@link Builder#anonymousReads(boolean)}; pushes always do.
 * Every request is remembered ({@link #requests()}) with the user it authenticated as and whether it
 * carried credentials at all, so tests can prove what a client sent.
 */
public final class GitHttpServer implements AutoCloseable {

  /** One request the server received. */
  public record Request(String method, String path, String query, String user, boolean sentCredentials,
      int status) {

    /** Whether this request was a push ({@code git-receive-pack}). */
    public boolean isPush() {
      return GitHttpBackend.isPush(path, query);
    }
  }

  private final Path root;
  private final Map<String, String> users;
  private final boolean anonymousReads;
  private final Consumer<String> beforeReceivePack;
  private final HttpServer server;
  private final String scheme;
  private final ExecutorService executor;
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final GitHttpBackend backend;

  private GitHttpServer(Builder b) throws IOException {
    this.root = b.root.toAbsolutePath();
    this.users = Map.copyOf(b.users);
    this.anonymousReads = b.anonymousReads;
    this.beforeReceivePack = b.beforeReceivePack;
    this.backend = new GitHttpBackend(root);
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "git-http-server");
      t.setDaemon(true);
      return t;
    });
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (b.https) {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(SelfSignedTls.context(root.resolve(".https-server"))));
      this.server = https;
    } else {
      this.server = HttpServer.create(address, 64);
    }
    this.scheme = b.https ? "https" : "http";
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** A server for the bare repositories under {@code root}. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** The URL of a repository: {@code http://127.0.0.1:<port>/<name>} ({@code https://} when TLS is on). */
  public String url(String repositoryName) {
    return scheme + "://127.0.0.1:" + port() + "/" + repositoryName;
  }

  /** The URL of a repository. */
  public String url(BareRepository repository) {
    return url(repository.name());
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Every request received so far, in order. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** What {@code git http-backend} printed on stderr, for diagnosing a failing test. */
  public List<String> backendErrors() {
    return backend.errors();
  }

  /** Stops the server and every {@code git http-backend} still running for it (none outlives the server). */
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
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String query = Objects.requireNonNullElse(exchange.getRequestURI().getRawQuery(), "");
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String user = authenticate(authorization);
      boolean push = GitHttpBackend.isPush(path, query);
      if (user == null && (push || !anonymousReads)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"promokit test git\"");
        byte[] body = "authentication required\n".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(401, body.length);
        exchange.getResponseBody().write(body);
        requests.add(new Request(method, path, query, null, authorization != null, 401));
        return;
      }
      if (push && "POST".equals(method) && beforeReceivePack != null) {
        beforeReceivePack.accept(repositoryName(path));
      }
      int status = backend.serve(exchange, method, path, query, user);
      requests.add(new Request(method, path, query, user, authorization != null, status));
    }
  }

  private String authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String name = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    return password.equals(users.get(name)) ? name : null;
  }

  private static String repositoryName(String rawPath) {
    String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    int slash = trimmed.indexOf('/');
    return slash < 0 ? trimmed : trimmed.substring(0, slash);
  }

  /** Settings of a {@link GitHttpServer}. */
  public static final class Builder {
    private final Path root;
    private final Map<String, String> users = new LinkedHashMap<>();
    private boolean anonymousReads;
    private boolean https;
    private Consumer<String> beforeReceivePack;

    private Builder(Path root) {
      this.root = Objects.requireNonNull(root, "root");
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("root must be an existing folder, but was " + root);
      }
    }

    /** A user that may read and push (basic auth). */
    public Builder user(String name, String password) {
      if (name == null || name.isEmpty() || name.contains(":")) {
        throw new IllegalArgumentException("user name must be non-empty without ':', but was " + name);
      }
      users.put(name, Objects.requireNonNull(password, "password"));
      return this;
    }

    /** Whether fetches and clones work without credentials (default false); pushes never do. */
    public Builder anonymousReads(boolean anonymousReads) {
      this.anonymousReads = anonymousReads;
      return this;
    }

    /**
     * Serves HTTPS with a self-signed certificate for 127.0.0.1 (made with the JDK's keytool into
     * {@code <root>/.https-server}); clients must skip verification ({@code http.sslVerify=false}).
     */
    public Builder https(boolean https) {
      this.https = https;
      return this;
    }

    /**
     * Runs before each authenticated push is handed to git, with the repository's folder name: a test
     * moves the branch here to make a client's push lose a race (a real non-fast-forward rejection).
     */
    public Builder beforeReceivePack(Consumer<String> action) {
      this.beforeReceivePack = Objects.requireNonNull(action, "action");
      return this;
    }

    /** Starts the server. */
    public GitHttpServer start() {
      try {
        return new GitHttpServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the git HTTP server", e);
      }
    }
  }
}
