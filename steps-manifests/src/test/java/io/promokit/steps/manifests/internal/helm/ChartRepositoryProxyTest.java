package io.promokit.steps.manifests.internal.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The call's chart repository proxy against a repository server on 127.0.0.1. */
class ChartRepositoryProxyTest {

  private HttpServer upstream;
  private String origin;
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeEach
  void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/", exchange -> {
      try (exchange) {
        String target = exchange.getRequestURI().toString();
        seen.add(target + " " + exchange.getRequestHeaders().getFirst("Authorization"));
        if (target.equals("/charts/moved.tgz")) {
          exchange.getResponseHeaders().set("Location", origin + "/charts/x-1.0.0.tgz");
          exchange.sendResponseHeaders(302, -1);
          return;
        }
        String body = bodies.get(exchange.getRequestURI().getPath());
        if (body == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    });
    upstream.start();
    origin = "http://127.0.0.1:" + upstream.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    upstream.stop(0);
  }

  private HttpResponse<String> get(String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void forwardsWithTheCredentialsAndRewritesOnlyTheIndexUrlsOnTheRepositorysOrigin() throws Exception {
    bodies.put("/charts/index.yaml", """
        apiVersion: v1
        entries:
          x:
          - name: x
            version: 1.0.0
            appVersion: 1.10
            created: 2024-01-01T00:00:00Z
            digest: 1234e5
            home: %1$s/charts/home
            urls:
            - %1$s/charts/x-1.0.0.tgz
            - https://elsewhere.example/x-1.0.0.tgz
            - x-1.0.0.tgz
        generated: "2024-01-01T00:00:00Z"
        """.formatted(origin));
    bodies.put("/charts/x-1.0.0.tgz", "chart bytes");
    try (ChartRepositoryProxy proxy = ChartRepositoryProxy.start(List.of(
        new ChartRepositoryProxy.Upstream(origin + "/charts/", "user", "pa:ss")))) {
      String repository = proxy.proxyUrl(origin + "/charts/");
      assertThat(repository).startsWith("http://127.0.0.1:").endsWith("/charts/").doesNotStartWith(origin);

      HttpResponse<String> index = get(repository + "index.yaml");
      String base = repository.substring(0, repository.length() - "/charts/".length());

      assertThat(index.statusCode()).isEqualTo(200);
      Map<String, Object> parsed = ChartFiles.yaml(index.body().getBytes(StandardCharsets.UTF_8));
      @SuppressWarnings("unchecked")
      Map<String, Object> entry = ((List<Map<String, Object>>) ((Map<String, Object>) parsed.get("entries")).get("x")).get(0);
      assertThat(entry.get("urls")).isEqualTo(List.of(base + "/charts/x-1.0.0.tgz",
          "https://elsewhere.example/x-1.0.0.tgz", "x-1.0.0.tgz"));
      assertThat(entry.get("home")).as("only chart URLs are rewritten").isEqualTo(origin + "/charts/home");
      assertThat(index.body()).as("values keep the text they had").contains("1.10").contains("1234e5")
          .contains("2024-01-01T00:00:00Z");
      assertThat(get(base + "/charts/x-1.0.0.tgz").body()).isEqualTo("chart bytes");
      assertThat(seen).containsExactly("/charts/index.yaml " + basic("user", "pa:ss"),
          "/charts/x-1.0.0.tgz " + basic("user", "pa:ss"));
    }
  }

  @Test
  void refusesRequestsWithoutItsTokenAndAnythingButGetAndHead() throws Exception {
    bodies.put("/charts/index.yaml", "apiVersion: v1\nentries: {}\n");
    try (ChartRepositoryProxy proxy = ChartRepositoryProxy.start(List.of(
        new ChartRepositoryProxy.Upstream(origin + "/charts", "user", "pw")))) {
      String repository = proxy.proxyUrl(origin + "/charts");
      URI uri = URI.create(repository);
      String self = "http://" + uri.getRawAuthority();

      assertThat(get(self + "/charts/index.yaml").statusCode()).isEqualTo(404);
      assertThat(get(self + "/0/charts/index.yaml").statusCode()).isEqualTo(404);
      assertThat(client.send(HttpRequest.newBuilder(URI.create(repository + "/index.yaml"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode()).isEqualTo(405);
      assertThat(get(repository + "/index.yaml").statusCode()).isEqualTo(200);
      assertThat(seen).hasSize(1);
    }
  }

  @Test
  void redirectsOnTheOriginStayOnTheProxyAndItsUrlsReadAsTheRepositorysInMessages() throws Exception {
    try (ChartRepositoryProxy proxy = ChartRepositoryProxy.start(List.of(
        new ChartRepositoryProxy.Upstream(origin + "/charts/", "user", "pw")))) {
      String repository = proxy.proxyUrl(origin + "/charts/");

      HttpResponse<String> moved = get(repository + "moved.tgz");

      assertThat(moved.statusCode()).isEqualTo(302);
      assertThat(moved.headers().firstValue("Location")).hasValue(repository + "x-1.0.0.tgz");
      assertThat(proxy.toOriginal("could not download " + repository + "x-1.0.0.tgz: 404 Not Found"))
          .isEqualTo("could not download " + origin + "/charts/x-1.0.0.tgz: 404 Not Found");
      assertThat(proxy.proxyUrl("https://other.example/")).isEqualTo("https://other.example/");
    }
  }
}
