package io.promokit.steps.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.promokit.StepException;
import io.promokit.expressions.GoDuration;
import io.promokit.expressions.SecretMasker;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One attempt's conversation with one registry, as the docker client holds it: a first {@code GET /v2/} learns
 * the scheme (HTTPS, or plain HTTP where {@link RegistryTransport} allows it) and how the registry wants to be
 * authenticated (no challenge, {@code Basic}, or {@code Bearer} with a token service); then every request carries
 * a token for its scopes ({@code repository:<name>:pull,push}), fetched from the token service with the
 * credentials ({@link Login}) and kept for the attempt until it expires. A 401 whose challenge asks for other
 * scopes gets a new token and is sent once more. Redirects (blob storage) are followed by hand, without the
 * {@code Authorization} header when they leave the registry. Every token is registered with the promotion's
 * masker; credentials go over plain HTTP only when allowed.
 *
 * <p>Every exchange is bounded: headers within the stall timeout (and the step's remaining time), then the body
 * must keep arriving (no gap longer than the stall timeout); a cancelled step stops it at once.
 */
final class RegistrySession {

  static final int MAX_REDIRECTS = 10;
  private static final long ERROR_BODY_LIMIT = 64 * 1024;

  /** One request. {@code scopes} are the token scopes it needs. */
  record Request(String method, String path, Map<String, String> headers, HttpRequest.BodyPublisher body,
      List<String> scopes, boolean bodyStreams) {
    static Request get(String path, List<String> scopes, Map<String, String> headers) {
      return new Request("GET", path, headers, null, scopes, false);
    }
  }

  /** An answer; {@code body} holds what the sink received for 2xx, else the start of the error body. */
  record Response(int status, HttpHeaders headers, BodySink.Result body, URI uri) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  private record Token(String value, Instant expires) {}

  private final RegistryTransport transport;
  private final HttpClient client;
  private final String host;
  private final Login login;
  private final SecretMasker masker;
  private final Clock clock;
  private final Cancellation cancellation;
  private final Optional<Instant> deadline;
  private final Map<String, Token> tokens = new HashMap<>();
  private URI base;
  private AuthChallenge challenge;
  private boolean credentialsWithheld;

  RegistrySession(RegistryTransport transport, String host, boolean skipTlsVerify, Login login, SecretMasker masker,
      Clock clock, Cancellation cancellation, Optional<Instant> deadline) {
    this.transport = transport;
    this.client = transport.client(skipTlsVerify);
    this.host = host;
    this.login = login;
    this.masker = masker;
    this.clock = clock;
    this.cancellation = cancellation;
    this.deadline = deadline;
  }

  String host() {
    return host;
  }

  Login login() {
    return login;
  }

  /**
   * Sends a request; a 2xx body goes to {@code sink} (null: discarded).
   *
   * @throws StepException (retryable) when the registry cannot be reached, stalls, or a body breaks a rule
   */
  Response send(Request request, BodySink sink) throws InterruptedException {
    ping();
    boolean retried = false;
    while (true) {
      Response response = sendFollowingRedirects(request, sink);
      if (response.status() == 401 && !retried && !request.bodyStreams()) {
        Optional<AuthChallenge> again = AuthChallenge.choose(response.headers().allValues("WWW-Authenticate"));
        if (again.isPresent() && (again.get().isBearer() || challenge == null || !challenge.isBasic())) {
          challenge = again.get();
          tokens.clear();
          retried = true;
          continue;
        }
      }
      return response;
    }
  }

  /** Gets the tokens {@code scopes} need now, so that a streamed request (which cannot be sent twice) has them. */
  void authorize(List<String> scopes) throws InterruptedException {
    ping();
    authorization(scopes);
  }

  /** A message for a 401 or 403 answer: what was sent, and why perhaps nothing was. */
  String refusal(Response response, String action) {
    String how = login.isAnonymous() ? "without credentials (none found for this repository)"
        : credentialsWithheld ? "without credentials: " + login.source() + " are not sent over plain http unless "
            + "ALLOW_CREDENTIALS_OVER_HTTP=true"
        : "with " + login.source();
    return action + ": " + host + " refused access " + how + " (HTTP " + response.status() + errorText(response) + ")";
  }

  /** {@code : CODE: message} from a registry's error body, or nothing. */
  static String errorText(Response response) {
    if (response.body() == null || response.body().content() == null || response.body().content().length == 0) {
      return "";
    }
    try {
      JsonNode errors = Manifest.JSON.readTree(response.body().content()).path("errors");
      List<String> parts = new ArrayList<>();
      for (JsonNode error : errors) {
        String code = error.path("code").asText("");
        String message = error.path("message").asText("");
        parts.add(code.isEmpty() ? message : code + (message.isEmpty() ? "" : ": " + message));
      }
      return parts.isEmpty() ? "" : ": " + String.join("; ", parts);
    } catch (IOException e) {
      String text = new String(response.body().content(), StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
  }

  URI resolve(String path) throws InterruptedException {
    ping();
    return base.resolve(path);
  }

  private Response sendFollowingRedirects(Request request, BodySink sink) throws InterruptedException {
    URI uri = request.path().startsWith("http://") || request.path().startsWith("https://")
        ? URI.create(request.path()) : base.resolve(request.path());
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
          .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody() : request.body());
      if (!request.bodyStreams()) {
        builder.timeout(headersTimeout());
      }
      request.headers().forEach(builder::header);
      if (sameAuthority(uri, base)) {
        authorization(request.scopes()).ifPresent(value -> builder.header("Authorization", value));
      }
      if ("http".equals(uri.getScheme())) {
        builder.version(HttpClient.Version.HTTP_1_1);
      }
      Response response = exchange(builder.build(), sink, request.method() + " " + uri.getRawPath());
      String location = response.headers().firstValue("Location").orElse(null);
      boolean redirect = List.of(301, 302, 303, 307, 308).contains(response.status()) && location != null
          && (request.method().equals("GET") || request.method().equals("HEAD"));
      if (!redirect) {
        return response;
      }
      if (hop >= MAX_REDIRECTS) {
        throw new StepException(request.method() + " " + uri.getRawPath() + " at " + host + ": stopped after "
            + MAX_REDIRECTS + " redirects");
      }
      uri = uri.resolve(location);
    }
  }

  private Response exchange(HttpRequest request, BodySink sink, String what) throws InterruptedException {
    cancellation.throwIfCancelled();
    BodySink[] used = new BodySink[1];
    HttpResponse.BodyHandler<BodySink.Result> handler = info -> {
      boolean redirect = info.statusCode() / 100 == 3;
      BodySink chosen = info.statusCode() / 100 == 2 && sink != null ? sink
          : BodySink.firstBytes(redirect ? 0 : ERROR_BODY_LIMIT);
      used[0] = chosen;
      return chosen;
    };
    CompletableFuture<HttpResponse<BodySink.Result>> future = client.sendAsync(request, handler);
    try (Cancellation.Registration ignored = cancellation.track(() -> {
      BodySink current = used[0];
      if (current != null) {
        current.abort(new CancellationException("cancelled"));
      }
      future.cancel(true);
    })) {
      long stall = transport.stallTimeout.toNanos();
      while (true) {
        try {
          HttpResponse<BodySink.Result> response = future.get(Math.max(1, Math.min(stall / 4, 250_000_000L)),
              TimeUnit.NANOSECONDS);
          return new Response(response.statusCode(), response.headers(), response.body(), request.uri());
        } catch (TimeoutException e) {
          BodySink current = used[0];
          if (current != null && System.nanoTime() - current.lastProgress() > stall) {
            current.abort(new HttpTimeoutException("stalled"));
            future.cancel(true);
            throw new StepException(what + " at " + host + ": no data for " + GoDuration.format(transport.stallTimeout)
                + " (stalled)");
          }
          if (deadline.isPresent() && !clock.instant().isBefore(deadline.get())) {
            future.cancel(true);
            throw new StepException(what + " at " + host + ": the step's time is up");
          }
        }
      }
    } catch (InterruptedException e) {
      BodySink current = used[0];
      if (current != null) {
        current.abort(e);
      }
      future.cancel(true);
      throw e;
    } catch (CancellationException e) {
      throw new InterruptedException(what + " at " + host + " was cancelled");
    } catch (ExecutionException e) {
      if (cancellation.isCancelled()) {
        throw new InterruptedException(what + " at " + host + " was cancelled");
      }
      throw failure(what, e.getCause());
    }
  }

  private RuntimeException failure(String what, Throwable cause) {
    if (cause instanceof BodySink.SizeException) {
      return new StepException(what + " at " + host + ": " + cause.getMessage(), cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new StepException(what + " at " + host + ": no answer within " + GoDuration.format(headersTimeout()),
          cause);
    }
    if (cause instanceof ConnectException) {
      return new StepException(what + ": cannot connect to " + host + " (" + messageOf(cause) + ")", cause);
    }
    if (cause instanceof SSLException) {
      return new StepException(what + ": TLS with " + host + " failed (" + messageOf(cause) + ")", cause);
    }
    return new StepException(what + " at " + host + " failed: " + messageOf(cause), cause);
  }

  private Duration headersTimeout() {
    Duration timeout = transport.stallTimeout;
    if (deadline.isPresent()) {
      Duration left = Duration.between(clock.instant(), deadline.get());
      if (left.compareTo(timeout) < 0) {
        timeout = left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
      }
    }
    return timeout;
  }

  /** Learns the scheme and the registry's challenge, once per session. */
  private void ping() throws InterruptedException {
    if (base != null) {
      return;
    }
    List<String> schemes = transport.schemes(host);
    StepException last = null;
    for (String scheme : schemes) {
      URI candidate = URI.create(scheme + "://" + host + "/");
      HttpRequest.Builder ping = HttpRequest.newBuilder(candidate.resolve("/v2/")).GET().timeout(headersTimeout());
      if (scheme.equals("http")) {
        ping.version(HttpClient.Version.HTTP_1_1);
      }
      Response answer;
      try {
        answer = exchange(ping.build(), null, "GET /v2/");
      } catch (StepException e) {
        last = e;
        continue;
      }
      if (answer.status() == 401) {
        challenge = AuthChallenge.choose(answer.headers().allValues("WWW-Authenticate")).orElse(null);
      } else if (!answer.ok()) {
        throw new StepException("GET /v2/ at " + host + " answered HTTP " + answer.status() + errorText(answer)
            + ": not an OCI registry?");
      }
      base = candidate;
      return;
    }
    throw last;
  }

  private Optional<String> authorization(List<String> scopes) throws InterruptedException {
    if (challenge == null || login == null) {
      return Optional.empty();
    }
    if (challenge.isBasic()) {
      return basicHeader(base);
    }
    if (!challenge.isBearer()) {
      return Optional.empty();
    }
    TreeSet<String> wanted = new TreeSet<>(scopes);
    challenge.parameter("scope").ifPresent(scope -> wanted.addAll(List.of(scope.split(" "))));
    String key = String.join(" ", wanted);
    Token token = tokens.get(key);
    if (token == null || !clock.instant().isBefore(token.expires())) {
      token = fetchToken(wanted);
      tokens.put(key, token);
    }
    return Optional.of("Bearer " + token.value());
  }

  private Optional<String> basicHeader(URI target) {
    if (login.isAnonymous() || login.password() == null) {
      return Optional.empty();
    }
    if ("http".equals(target.getScheme()) && !transport.credentialsOverHttp) {
      credentialsWithheld = true;
      return Optional.empty();
    }
    return Optional.of("Basic " + Base64.getEncoder().encodeToString(
        (login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8)));
  }

  private Token fetchToken(TreeSet<String> scopes) throws InterruptedException {
    String realm = challenge.parameter("realm").orElseThrow(() -> new StepException(
        host + " asks for a Bearer token without naming its token service (no realm in WWW-Authenticate)"));
    URI realmUri;
    try {
      realmUri = base.resolve(realm);
    } catch (IllegalArgumentException e) {
      throw new StepException(host + " names a token service that is not a URL: \"" + realm + "\"");
    }
    if (!"https".equals(realmUri.getScheme()) && !"http".equals(realmUri.getScheme())) {
      throw new StepException(host + " names a token service that is not an http(s) URL: \"" + realm + "\"");
    }
    String service = challenge.parameter("service").orElse(null);
    HttpRequest.Builder request;
    boolean refreshToken = login.identityToken() != null
        && ("https".equals(realmUri.getScheme()) || transport.credentialsOverHttp);
    if (refreshToken) {
      StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=promokit");
      if (service != null) {
        form.append("&service=").append(encode(service));
      }
      form.append("&scope=").append(encode(String.join(" ", scopes)));
      form.append("&refresh_token=").append(encode(login.identityToken()));
      request = HttpRequest.newBuilder(realmUri).POST(HttpRequest.BodyPublishers.ofString(form.toString()))
          .header("Content-Type", "application/x-www-form-urlencoded");
    } else {
      StringBuilder query = new StringBuilder();
      if (service != null) {
        query.append("service=").append(encode(service));
      }
      for (String scope : scopes) {
        query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope));
      }
      String separator = realmUri.getRawQuery() == null ? "?" : "&";
      request = HttpRequest.newBuilder(URI.create(realmUri + (query.length() == 0 ? "" : separator + query))).GET();
      basicHeader(realmUri).ifPresent(value -> request.header("Authorization", value));
      if (login.identityToken() != null) {
        credentialsWithheld = true;
      }
    }
    request.timeout(headersTimeout());
    if ("http".equals(realmUri.getScheme())) {
      request.version(HttpClient.Version.HTTP_1_1);
    }
    Response answer = exchange(request.build(), BodySink.toMemory(1024 * 1024, "the token answer"),
        "token request to " + realmUri.getHost());
    if (answer.status() == 401 || answer.status() == 403) {
      throw new StepException(refusal(answer, "token request for " + String.join(" ", scopes)));
    }
    if (!answer.ok()) {
      throw new StepException("the token service of " + host + " (" + realmUri.getHost() + ") answered HTTP "
          + answer.status() + errorText(answer));
    }
    JsonNode json;
    try {
      json = Manifest.JSON.readTree(answer.body().content());
    } catch (IOException e) {
      throw new StepException("the token service of " + host + " answered with something that is not JSON");
    }
    String value = json.path("token").asText(json.path("access_token").asText(""));
    if (value.isEmpty()) {
      throw new StepException("the token service of " + host + " answered without a token");
    }
    masker.registerIfMaskable(value);
    long seconds = json.path("expires_in").asLong(60);
    // Renew a little early: a token that expires in flight fails the request.
    Instant expires = clock.instant().plusSeconds(Math.max(seconds, 60) - 10);
    return new Token(value, expires);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static boolean sameAuthority(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getRawAuthority().toLowerCase(Locale.ROOT).equals(b.getRawAuthority().toLowerCase(Locale.ROOT));
  }

  private static String messageOf(Throwable e) {
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
