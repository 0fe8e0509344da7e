package io.promokit.steps.manifests;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Helm chart repository on 127.0.0.1 (an ephemeral port): {@code index.yaml} and packaged charts, optionally
 * behind basic auth. Records the paths it served.
 */
final class ChartRepositoryServer implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final StringBuilder index = new StringBuilder("apiVersion: v1\nentries:\n");
  final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());

  ChartRepositoryServer(String username, String password) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    var context = server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath().substring(1);
      requests.add(path);
      byte[] body = path.equals("index.yaml") ? (index + "generated: \"2024-01-01T00:00:00Z\"\n")
          .getBytes(StandardCharsets.UTF_8) : files.get(path);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    if (username != null) {
      context.setAuthenticator(new BasicAuthenticator("charts") {
        @Override
        public boolean checkCredentials(String user, String pass) {
          return username.equals(user) && password.equals(pass);
        }
      });
    }
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** Adds a packaged chart to the repository and its index. */
  synchronized void add(String name, String version, Map<String, String> files) throws Exception {
    byte[] tgz = TestCharts.packaged(name, version, files);
    String file = name + "-" + version + ".tgz";
    this.files.put(file, tgz);
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tgz));
    index.append("  ").append(name).append(":\n")
        .append("  - apiVersion: v2\n    name: ").append(name).append("\n    version: ").append(version)
        .append("\n    digest: ").append(digest).append("\n    created: \"2024-01-01T00:00:00Z\"\n    urls:\n    - ")
        .append(url()).append(file).append('\n');
  }

  /** Adds another version of a chart already added (its index entry joins the chart's list). */
  synchronized void add2(String name, String version, Map<String, String> files) throws Exception {
    byte[] tgz = TestCharts.packaged(name, version, files);
    String file = name + "-" + version + ".tgz";
    this.files.put(file, tgz);
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tgz));
    index.append("  - apiVersion: v2\n    name: ").append(name).append("\n    version: ").append(version)
        .append("\n    digest: ").append(digest).append("\n    created: \"2024-01-01T00:00:00Z\"\n    urls:\n    - ")
        .append(url()).append(file).append('\n');
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
