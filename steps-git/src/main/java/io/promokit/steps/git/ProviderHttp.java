package io.promokit.steps.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promokit.StepContext;
import io.promokit.expressions.GoDuration;
import io.promokit.steps.kit.HttpExchanges;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * JSON over HTTP to one host's REST API for one attempt of a step: the API base, the token's header, the step's
 * deadline and cancellation. Turns what goes wrong into {@link ProviderException}s: the network, 429, 5xx and an
 * exhausted rate limit (403 with {@code Retry-After} or {@code X-RateLimit-Remaining: 0}) are transient, with
 * the delay the host asked for; anything else that is no 2xx is not, with the host's own message. Lists are
 * read page by page, never following a link to another host (the token goes only to the API's origin).
 */
final class ProviderHttp {

  /** How long one request may take (shortened to the step's remaining time). */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** A bound on the pages of one list, against a host that never stops linking. */
  static final int MAX_PAGES = 1000;

  private static final int MESSAGE_LIMIT = 400;

  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer of the host. */
  record Reply(int status, HttpHeaders headers, JsonNode body, URI uri) {

    /** A header's first value. */
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  private final StepContext context;
  private final HttpClient client;
  private final String hostName;
  private final URI base;
  private final Map<String, String> headers;

  /**
   * @param hostName the host's name for messages ({@code GitHub}, ...)
   * @param base the API base, without a trailing slash
   * @param headers the token's header and what the host wants besides {@code Accept: application/json}
   */
  ProviderHttp(StepContext context, HttpClient client, String hostName, URI base, Map<String, String> headers) {
    this.context = context;
    this.client = client;
    this.hostName = hostName;
    this.base = URI.create(stripSlash(base.toString()));
    this.headers = Map.copyOf(headers);
  }

  /** The API base. */
  URI base() {
    return base;
  }

  /** A URL below the API base: {@code path} starts with {@code /} and is encoded already. */
  URI uri(String path) {
    return URI.create(base + path);
  }

  /** One path segment, percent-encoded ({@code acme/app} becomes {@code acme%2Fapp}). */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A query string ({@code ?a=1&b=2}) from names and values in order, encoded; empty when there are none. */
  static String query(String... namesAndValues) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] == null) {
        continue;
      }
      sb.append(sb.length() == 0 ? '?' : '&').append(segment(namesAndValues[i])).append('=')
          .append(segment(namesAndValues[i + 1]));
    }
    return sb.toString();
  }

  /** An empty JSON object, for request bodies. */
  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** GET, requiring a 2xx answer. */
  Reply get(URI uri) throws InterruptedException {
    return send("GET", uri, null);
  }

  /**
   * Sends a request and returns the answer when it is a 2xx or one of {@code accepted}.
   *
   * @throws ProviderException otherwise (transient or not, as the class says)
   */
  Reply send(String method, URI uri, JsonNode body, int... accepted) throws InterruptedException {
    Reply reply = exchange(method, uri, body);
    if (reply.status() / 100 == 2) {
      return reply;
    }
    for (int status : accepted) {
      if (reply.status() == status) {
        return reply;
      }
    }
    throw error(method, reply);
  }

  /**
   * Reads every page of a list: the items of each answer, then the next page's URL, until there is none.
   *
   * @param items the list in one answer (an array node)
   * @param next the next page's URL, from the answer
   */
  List<JsonNode> pages(URI first, Function<Reply, JsonNode> items, Function<Reply, Optional<URI>> next)
      throws InterruptedException {
    List<JsonNode> all = new ArrayList<>();
    URI page = first;
    for (int count = 1; ; count++) {
      Reply reply = get(page);
      JsonNode list = items.apply(reply);
      if (!list.isArray()) {
        throw ProviderException.failure(hostName + " API: GET " + page.getRawPath()
            + " answered no list (" + abbreviate(String.valueOf(reply.body())) + ")");
      }
      list.forEach(all::add);
      Optional<URI> following = next.apply(reply);
      if (following.isEmpty()) {
        return all;
      }
      if (!sameOrigin(following.get(), base)) {
        throw ProviderException.failure(hostName + " API: GET " + page.getRawPath() + " links its next page at "
            + following.get().getScheme() + "://" + following.get().getRawAuthority()
            + ", not at the API's own address " + base.getScheme() + "://" + base.getRawAuthority()
            + "; refusing to send the token there");
      }
      if (count >= MAX_PAGES) {
        throw ProviderException.failure(hostName + " API: GET " + first.getRawPath() + " still had more after "
            + MAX_PAGES + " pages");
      }
      page = following.get();
    }
  }

  /** The next page from a {@code Link: <...>; rel="next"} header (GitHub, Gitea, GitLab). */
  static Optional<URI> linkNext(Reply reply) {
    return LinkHeader.next(reply.headers(), reply.uri());
  }

  private Reply exchange(String method, URI uri, JsonNode body) throws InterruptedException {
    Duration timeout = context.remaining().map(left -> left.compareTo(REQUEST_TIMEOUT) < 0 ? left : REQUEST_TIMEOUT)
        .orElse(REQUEST_TIMEOUT);
    if (timeout.isZero()) {
      timeout = Duration.ofMillis(1);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Accept", "application/json")
        .header("User-Agent", "promokit");
    headers.forEach(request::header);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    }
    String what = hostName + " API: " + method + " " + uri.getRawPath();
    CompletableFuture<HttpResponse<String>> future =
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    HttpResponse<String> response;
    try {
      response = HttpExchanges.await(context, future, timeout.plusSeconds(1), uri, what);
    } catch (HttpExchanges.Failure f) {
      switch (f.kind()) {
        case TIMED_OUT ->
            throw ProviderException.transientFailure(what + " timed out after " + GoDuration.format(timeout), 0, null,
                f.getCause());
        case CANNOT_CONNECT -> throw ProviderException.transientFailure(what + " failed: " + f.getMessage(), 0, null,
            f.getCause());
        default -> {
          if (f.getCause() instanceof IOException) {
            throw ProviderException.transientFailure(what + " failed: " + f.getMessage(), 0, null, f.getCause());
          }
          throw ProviderException.failure(what + " failed: " + f.getMessage());
        }
      }
    }
    return new Reply(response.statusCode(), response.headers(), parse(response.body()), uri);
  }

  private ProviderException error(String method, Reply reply) {
    int status = reply.status();
    String text = hostName + " API: " + method + " " + reply.uri().getRawPath() + " answered " + status
        + reason(status) + hostMessage(reply.body());
    boolean rateLimited = status == 403 && (reply.header("Retry-After").isPresent()
        || "0".equals(reply.header("X-RateLimit-Remaining").orElse(null)));
    if (status == 429 || status >= 500 || rateLimited) {
      Instant now = context.clock().instant();
      Duration delay = RetryAfterHeader.parse(reply.header("Retry-After").orElse(null), now)
          .or(() -> RetryAfterHeader.untilReset(reply.header("X-RateLimit-Reset")
              .or(() -> reply.header("RateLimit-Reset")).orElse(null), now))
          .orElse(null);
      return ProviderException.transientFailure(text, status, delay, null);
    }
    if (status / 100 == 3) {
      return ProviderException.failure(text + " (moved to " + reply.header("Location").orElse("?")
          + "; redirects are not followed: give the API base)", status);
    }
    return ProviderException.failure(text, status);
  }

  /** The host's own words in an error body: {@code message}, {@code error.message}, {@code errors[].message}. */
  static String hostMessage(JsonNode body) {
    if (body == null || body.isMissingNode() || body.isNull()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    if (body.isTextual()) {
      parts.add(body.asText());
    }
    JsonNode message = body.path("message");
    if (!message.isMissingNode() && !message.isNull()) {
      parts.add(message.isTextual() ? message.asText() : message.toString());
    }
    JsonNode error = body.path("error");
    if (error.isTextual()) {
      parts.add(error.asText());
    } else if (error.path("message").isTextual()) {
      parts.add(error.path("message").asText());
    }
    for (JsonNode item : body.path("errors")) {
      String itemMessage = item.path("message").asText("");
      parts.add(itemMessage.isEmpty() ? item.toString() : itemMessage);
    }
    Set<String> distinct = new LinkedHashSet<>();
    parts.stream().filter(p -> !p.isBlank()).map(String::strip).forEach(distinct::add);
    String joined = String.join("; ", distinct);
    return joined.isEmpty() ? "" : ": " + abbreviate(joined);
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      // Not JSON (an HTML error page of a proxy): keep its first line for the message.
      return JsonNodeFactory.instance.textNode(body.strip().lines().findFirst().orElse(""));
    }
  }

  private static String reason(int status) {
    String phrase = switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 422 -> "Unprocessable Entity";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
    return phrase.isEmpty() ? "" : " " + phrase;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(lower(a.getScheme()), lower(b.getScheme())) && Objects.equals(lower(a.getHost()), lower(b.getHost()))
        && port(a) == port(b);
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String abbreviate(String s) {
    return s.length() <= MESSAGE_LIMIT ? s : s.substring(0, MESSAGE_LIMIT) + "...";
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
