package io.promokit.steps.manifests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Helm chart repository on 127.0.0.1 (an ephemeral port): {@code index.yaml} and packaged charts, optionally
 * behind basic auth (which a test may switch off and on). The index names the charts by absolute URLs on this
 * server, as {@code helm repo index --url} writes them, or relative ones. Records each request's path and
 * whether it carried credentials.
 */
final class ChartRepositoryServer implements AutoCloseable {

  /** One request: its path and its {@code Authorization} header (null when none). */
  record Request(String path, String authorization) {}

  private final HttpServer server;
  private final String expectedAuthorization;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, List<String>> entries = new LinkedHashMap<>();
  private volatile boolean authRequired;
  private volatile boolean relativeUrls;
  final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  ChartRepositoryServer(String username, String password) throws IOException {
    this.expectedAuthorization = username == null ? null : "Basic " + Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.authRequired = username != null;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(1);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(new Request(path, authorization));
      if (authRequired && !expectedAuthorization.equals(authorization)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"charts\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      byte[] body = path.equals("index.yaml") ? index().getBytes(StandardCharsets.UTF_8) : files.get(path);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** Switches basic auth on or off (on at first when the server was made with credentials). */
  void requireAuth(boolean required) {
    this.authRequired = required && expectedAuthorization != null;
  }

  /** Whether the index names the charts relative to itself ({@code x-1.0.0.tgz}) rather than by absolute URLs. */
  void relativeUrls(boolean relative) {
    this.relativeUrls = relative;
  }

  /** Adds a packaged chart (another version of a chart joins its list) to the repository and its index. */
  synchronized void add(String name, String version, Map<String, String> chartFiles) throws Exception {
    byte[] tgz = TestCharts.packaged(name, version, chartFiles);
    String file = name + "-" + version + ".tgz";
    files.put(file, tgz);
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tgz));
    entries.computeIfAbsent(name, n -> new ArrayList<>()).add("  - apiVersion: v2\n    name: " + name
        + "\n    version: " + version + "\n    digest: " + digest + "\n    created: \"2024-01-01T00:00:00Z\"\n"
        + "    urls:\n    - %s" + file + "\n");
  }

  private synchronized String index() {
    StringBuilder index = new StringBuilder("apiVersion: v1\nentries:\n");
    String prefix = relativeUrls ? "" : url();
    entries.forEach((name, versions) -> {
      index.append("  ").append(name).append(":\n");
      versions.forEach(v -> index.append(v.formatted(prefix)));
    });
    return index.append("generated: \"2024-01-01T00:00:00Z\"\n").toString();
  }

  /** The requests that reached this server with no credentials. */
  List<String> anonymousRequests() {
    synchronized (requests) {
      return requests.stream().filter(r -> r.authorization() == null).map(Request::path).toList();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
