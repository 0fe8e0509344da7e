package io.promokit.steps.manifests.internal.helm;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A reverse proxy on 127.0.0.1, owned by one Helm call, that adds a chart repository's credentials to what Helm
 * downloads from it.
 *
 * <p>Why: helm-java 0.0.21 builds Helm's dependency manager without a repository config, so Helm treats every
 * HTTP(S) repository as one it does not manage and sends it no credentials, whatever {@code repositories.yaml}
 * or {@code HELM_REPOSITORY_CONFIG} say. The call instead gives Helm a copy of the chart whose repository URLs
 * point here ({@link ShadowChart}); each request is forwarded to the repository's own origin with its
 * {@code Authorization} header. Chart URLs in the repository's {@code index.yaml} on that same origin are
 * rewritten to come through here too; URLs on other hosts are left alone, so they get no credentials, as Helm
 * does. Redirects are passed back to Helm (rewritten when they stay on the origin).
 *
 * <p>Every path starts with a random token, so another local process cannot borrow the credentials for the
 * few seconds the proxy lives; {@link #toOriginal} turns proxy URLs in Helm's messages back into the
 * repositories' own.
 */
public final class ChartRepositoryProxy implements AutoCloseable {

  /** A repository to proxy: its URL as Chart.yaml gives it, and its credentials. */
  public record Upstream(String repositoryUrl, String username, String password) {}

  private static final YAMLFactory YAML = YAMLFactory.builder()
      .loaderOptions(largeDocuments())
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .build();

  private final HttpServer server;
  private final ExecutorService threads;
  private final HttpClient client;
  private final String token;
  private final List<Route> routes = new ArrayList<>();

  /** One upstream: its origin ({@code https://host:port}), its path, and where it is served here. */
  private record Route(Upstream upstream, String origin, String repositoryPath, String base, String authorization) {}

  private ChartRepositoryProxy(List<Upstream> upstreams) throws IOException {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.token = HexFormat.of().formatHex(random);
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String self = "http://127.0.0.1:" + server.getAddress().getPort() + "/" + token + "/";
    for (int i = 0; i < upstreams.size(); i++) {
      Upstream upstream = upstreams.get(i);
      URI uri = URI.create(upstream.repositoryUrl());
      String origin = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority();
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      String credentials = upstream.username() + ":" + upstream.password();
      routes.add(new Route(upstream, origin, path, self + i, "Basic "
          + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
    }
    this.threads = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "promokit-chart-proxy");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a proxy for the given repositories. */
  public static ChartRepositoryProxy start(List<Upstream> upstreams) throws IOException {
    return new ChartRepositoryProxy(upstreams);
  }

  /** The URL Helm should use for {@code repositoryUrl}: itself when it is not proxied here. */
  public String proxyUrl(String repositoryUrl) {
    for (Route route : routes) {
      if (route.upstream().repositoryUrl().equals(repositoryUrl)) {
        URI uri = URI.create(repositoryUrl);
        return route.base() + route.repositoryPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      }
    }
    return repositoryUrl;
  }

  /** {@code text} with every proxy URL turned back into the repository URL it stands for. */
  public String toOriginal(String text) {
    String result = text;
    for (int i = routes.size() - 1; i >= 0; i--) {   // .../10 before .../1
      result = result.replace(routes.get(i).base(), routes.get(i).origin());
    }
    return result.replace(token, "<proxy>");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Optional<Forward> forward = forward(exchange);
      if (forward.isEmpty()) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      relay(exchange, forward.get(), method.equals("HEAD"));
    }
  }

  /** Where a request goes: its route and the upstream URL. */
  private record Forward(Route route, URI target, boolean index) {}

  private Optional<Forward> forward(HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath();
    String prefix = "/" + token + "/";
    if (path == null || !path.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = path.substring(prefix.length());
    int slash = rest.indexOf('/');
    int index;
    try {
      index = Integer.parseInt(slash < 0 ? rest : rest.substring(0, slash));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (index < 0 || index >= routes.size()) {
      return Optional.empty();
    }
    Route route = routes.get(index);
    String upstreamPath = slash < 0 ? "/" : rest.substring(slash);
    String query = exchange.getRequestURI().getRawQuery();
    URI target = URI.create(route.origin() + upstreamPath + (query == null ? "" : "?" + query));
    boolean isIndex = upstreamPath.equals(route.repositoryPath().replaceAll("/+$", "") + "/index.yaml");
    return Optional.of(new Forward(route, target, isIndex));
  }

  private void relay(HttpExchange exchange, Forward forward, boolean head) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(forward.target()).timeout(Duration.ofMinutes(5))
        .header("Authorization", forward.route().authorization())
        .method(head ? "HEAD" : "GET", HttpRequest.BodyPublishers.noBody());
    for (String name : List.of("Accept", "User-Agent")) {
      String value = exchange.getRequestHeaders().getFirst(name);
      if (value != null) {
        request.header(name, value);
      }
    }
    HttpResponse<InputStream> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.sendResponseHeaders(502, -1);
      return;
    } catch (IOException e) {
      byte[] message = ("cannot reach " + forward.route().origin() + ": " + e.getMessage())
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(502, message.length);
      exchange.getResponseBody().write(message);
      return;
    }
    for (String name : List.of("Content-Type", "ETag", "Last-Modified")) {
      response.headers().firstValue(name).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
    }
    response.headers().firstValue("Location")
        .ifPresent(location -> exchange.getResponseHeaders().set("Location", rewriteUrl(forward.route(), location)));
    try (InputStream body = response.body()) {
      if (head) {
        exchange.sendResponseHeaders(response.statusCode(), -1);
      } else if (forward.index() && response.statusCode() == 200) {
        byte[] rewritten = rewriteIndex(forward.route(), body);
        exchange.sendResponseHeaders(200, rewritten.length);
        exchange.getResponseBody().write(rewritten);
      } else {
        long length = response.headers().firstValueAsLong("Content-Length").orElse(0);
        exchange.sendResponseHeaders(response.statusCode(), length == 0 ? 0 : length);
        try (OutputStream out = exchange.getResponseBody()) {
          body.transferTo(out);
        }
      }
    }
  }

  /** An absolute URL on the route's origin, or an absolute path, as the proxy serves it; others unchanged. */
  private static String rewriteUrl(Route route, String url) {
    if (url.startsWith("/") && !url.startsWith("//")) {
      return route.base() + url;
    }
    String lower = url.toLowerCase(Locale.ROOT);
    String origin = route.origin().toLowerCase(Locale.ROOT);
    boolean onOrigin = lower.startsWith(origin)
        && (url.length() == origin.length() || "/?#".indexOf(url.charAt(origin.length())) >= 0);
    if (onOrigin) {
      return route.base() + url.substring(origin.length());
    }
    return url;
  }

  /**
   * The index with the chart URLs ({@code entries.<name>[].urls[]}) on the repository's origin rewritten. Every
   * other value is copied as it was written (numbers and dates keep their text), so Helm reads the same index.
   */
  private static byte[] rewriteIndex(Route route, InputStream index) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonParser parser = YAML.createParser(index); JsonGenerator generator = YAML.createGenerator(out)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        switch (token) {
          case START_OBJECT -> generator.writeStartObject();
          case END_OBJECT -> generator.writeEndObject();
          case START_ARRAY -> generator.writeStartArray();
          case END_ARRAY -> generator.writeEndArray();
          case FIELD_NAME -> generator.writeFieldName(parser.currentName());
          case VALUE_STRING -> generator.writeString(inUrls(parser)
              ? rewriteUrl(route, parser.getText()) : parser.getText());
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getText());
          case VALUE_TRUE, VALUE_FALSE -> generator.writeBoolean(token == JsonToken.VALUE_TRUE);
          case VALUE_NULL -> generator.writeNull();
          default -> generator.copyCurrentEvent(parser);
        }
      }
    }
    return out.toByteArray();
  }

  private static boolean inUrls(JsonParser parser) {
    var context = parser.getParsingContext();
    return context.inArray() && context.getParent() != null && "urls".equals(context.getParent().getCurrentName());
  }

  private static LoaderOptions largeDocuments() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Integer.MAX_VALUE);   // public repositories' indexes run to tens of megabytes
    return options;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
