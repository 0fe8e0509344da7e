package io.promokit.steps;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionFunction;
import io.promokit.expressions.GoDuration;
import io.promokit.expressions.Quoting;
import io.promokit.internal.ConfigPath;
import io.promokit.internal.JsonValues;
import io.promokit.steps.kit.ConfigDurations;
import io.promokit.steps.kit.HttpClientPair;
import io.promokit.steps.kit.HttpExchanges;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.UrlQuery;
import io.promokit.steps.kit.WorkdirPaths.Access;
import io.promokit.steps.kit.WorkdirPaths;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;

/**
 * {@code http}: sends one request per attempt and decides from the response, with Kargo's field names and
 * rules. {@code failureExpression} true → {@code Failed}; {@code successExpression} true → {@code Succeeded}
 * with the outputs; with neither expression a 2xx status succeeds and any other fails; otherwise the step is
 * {@code Running} and asks to be called again after {@code pollInterval}. Expressions see {@code response}
 * ({@code status}, {@code headers}, {@code header(name)}, {@code body}). Network problems, timeouts and
 * unreadable bodies are retryable errors.
 *
 * <p>Each request has its own {@code timeout} (default {@value #DEFAULT_TIMEOUT_SECONDS}s), shortened to the
 * step's remaining time, and stops at once when the step is cancelled or its thread interrupted. Response
 * bodies over {@value #MAX_RESPONSE_BYTES} bytes are refused, as in Kargo.
 */
final class HttpStep extends BuiltinStep {

  static final int DEFAULT_TIMEOUT_SECONDS = 10;
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
  static final int MAX_RESPONSE_BYTES = 2 << 20;
  /** The largest request body, as Kargo caps {@code bodyFromFile} (and its responses). */
  static final int MAX_REQUEST_BYTES = 2 << 20;

  record Pair(String name, String value) {}

  record Output(String name, String fromExpression) {}

  record Config(String method, String url, List<Pair> headers, List<Pair> queryParams, String body,
      String bodyFromFile, Boolean insecureSkipTLSVerify, String timeout, String pollInterval,
      String responseContentType, String successExpression, String failureExpression, String errorExpression,
      List<Output> outputs) {}

  /** Both follow redirects (not from https to http), as Go's client does. */
  private final HttpClientPair clients =
      HttpClientPair.of(() -> HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL));

  HttpStep() {
    super("http");
  }

  @Override
  StepResult run(StepContext context) throws IOException, InterruptedException {
    Config config = context.config(Config.class);
    Duration timeout = config.timeout() == null ? Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS)
        : ConfigDurations.positive(config.timeout(), "config.timeout");
    Duration pollInterval = config.pollInterval() == null ? DEFAULT_POLL_INTERVAL
        : ConfigDurations.positive(config.pollInterval(), "config.pollInterval");
    String method = config.method() == null ? "GET" : config.method();
    URI uri = HttpRequests.uri(config.url(), config.queryParams());
    HttpRequest request = HttpRequests.build(method, uri, config.headers(), body(context, config),
        requestTimeout(context, timeout));

    HttpClient client = clients.get(Boolean.TRUE.equals(config.insecureSkipTLSVerify()));
    HttpResponse<byte[]> response = send(context, client, request, requestTimeout(context, timeout), timeout);
    context.log().info(method + " " + uri + " -> " + response.statusCode());
    Map<String, Object> variables = Map.of("response", ResponseView.of(response, config.responseContentType()));

    // Kargo's order: the success criteria, then the failure criteria; both are evaluated before deciding.
    Boolean succeeded = condition(context, config.successExpression(), "config.successExpression", variables);
    Boolean failed = condition(context, config.failureExpression(), "config.failureExpression", variables);
    int status = response.statusCode();
    if (Boolean.TRUE.equals(failed)) {
      return StepResult.failed("HTTP (" + status + ") response met failure criteria"
          + errorDetail(context, config.errorExpression(), variables));
    }
    if (Boolean.TRUE.equals(succeeded)) {
      return StepResult.succeeded(outputs(context, config.outputs(), variables));
    }
    if (failed == null && succeeded == null) {
      if (status >= 200 && status < 300) {
        return StepResult.succeeded(outputs(context, config.outputs(), variables));
      }
      return StepResult.failed("HTTP (" + status + ") response is not a success (2xx)");
    }
    return StepResult.running(pollInterval, Map.of(), "HTTP (" + status + ") response met neither success nor "
        + "failure criteria; asking again in " + GoDuration.format(pollInterval));
  }

  /** The request's timeout: its own, or less when the step's deadline is nearer. */
  private static Duration requestTimeout(StepContext context, Duration timeout) {
    Duration left = context.remaining().orElse(timeout);
    Duration shorter = left.compareTo(timeout) < 0 ? left : timeout;
    return shorter.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : shorter;
  }

  private static HttpRequest.BodyPublisher body(StepContext context, Config config) throws IOException {
    if (config.body() != null && config.bodyFromFile() != null) {
      throw new InvalidConfigException("config: give either body or bodyFromFile, not both");
    }
    if (config.body() != null) {
      byte[] bytes = config.body().getBytes(StandardCharsets.UTF_8);
      if (bytes.length > MAX_REQUEST_BYTES) {
        throw StepException.terminal("config.body: is " + bytes.length + " bytes; a request body may have at most "
            + MAX_REQUEST_BYTES + " bytes (2 MiB)");
      }
      return HttpRequest.BodyPublishers.ofByteArray(bytes);
    }
    if (config.bodyFromFile() != null) {
      Path file = WorkdirPaths.resolve(context.workdir(), config.bodyFromFile(), Access.READ, "config.bodyFromFile");
      if (!Files.isRegularFile(file)) {
        throw StepException.terminal("config.bodyFromFile: \"" + config.bodyFromFile() + "\" "
            + (Files.exists(file) ? "is not a file" : "does not exist"));
      }
      return HttpRequest.BodyPublishers.ofByteArray(readBounded(file, config.bodyFromFile()));
    }
    return HttpRequest.BodyPublishers.noBody();
  }

  /** The file's bytes, refusing more than {@link #MAX_REQUEST_BYTES} (read bounded: the file may still grow). */
  private static byte[] readBounded(Path file, String path) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
      if (bytes.length > MAX_REQUEST_BYTES) {
        throw StepException.terminal("config.bodyFromFile: \"" + path + "\" has more than " + MAX_REQUEST_BYTES
            + " bytes; a request body may have at most " + MAX_REQUEST_BYTES + " bytes (2 MiB)");
      }
      return bytes;
    }
  }

  private static HttpResponse<byte[]> send(StepContext context, HttpClient client, HttpRequest request,
      Duration requestTimeout, Duration configuredTimeout) throws InterruptedException {
    String what = request.method() + " " + request.uri();
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, info -> new LimitedBodySubscriber(MAX_RESPONSE_BYTES));
    try {
      // The request timeout covers the wait for headers; this one also covers a body that trickles in.
      return HttpExchanges.await(context, future, requestTimeout, request.uri(), what);
    } catch (HttpExchanges.Failure f) {
      Throwable cause = f.getCause();
      if (f.kind() == HttpExchanges.Failure.Kind.TIMED_OUT) {
        throw new StepException(what + " timed out after " + GoDuration.format(shortest(requestTimeout, configuredTimeout)),
            cause);
      }
      if (cause instanceof LimitedBodySubscriber.TooLarge) {
        throw new StepException(what + ": " + cause.getMessage(), cause);
      }
      if (cause instanceof SSLException) {
        throw new StepException(what + " failed: TLS error: " + f.getMessage(), cause);
      }
      throw new StepException(what + " failed: " + f.getMessage(), cause);
    }
  }

  private static Duration shortest(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  /**
   * A boolean expression's value, or null when the expression is not set. As in Kargo, an expression that does
   * not parse is a terminal error (it never will), one that fails on this response or gives no boolean a
   * retryable one.
   */
  private static Boolean condition(StepContext context, String expression, String field, Map<String, Object> variables) {
    if (expression == null || expression.isBlank()) {
      return null;
    }
    Object value = evaluate(context, expression, field, variables);
    if (!(value instanceof Boolean result)) {
      throw new StepException(field + ": must give true or false, but gave " + describe(value));
    }
    return result;
  }

  /** An expression's value; a syntax error is terminal, a failure on the response's values retryable. */
  private static Object evaluate(StepContext context, String expression, String field, Map<String, Object> variables) {
    try {
      return context.evaluate(expression, variables);
    } catch (ExpressionException e) {
      if (e.isSyntaxError()) {
        throw StepException.terminal(field + ": " + e.getMessage(), e);
      }
      throw new StepException(field + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code : "message"} from {@code errorExpression}, or nothing when it is unset, fails on this response or
   * gives no text. One that does not parse is a terminal error, as in Kargo.
   */
  private static String errorDetail(StepContext context, String expression, Map<String, Object> variables) {
    if (expression == null || expression.isBlank()) {
      return "";
    }
    try {
      Object value = context.evaluate(expression, variables);
      return value instanceof String text && !text.isEmpty() ? ": " + Quoting.json(text) : "";
    } catch (ExpressionException e) {
      if (e.isSyntaxError()) {
        throw StepException.terminal("config.errorExpression: " + e.getMessage(), e);
      }
      context.log().info("errorExpression failed, using the default message: " + e.getMessage());
      return "";
    }
  }

  private static Map<String, Object> outputs(StepContext context, List<Output> outputs, Map<String, Object> variables) {
    Map<String, Object> result = new LinkedHashMap<>();
    if (outputs == null) {
      return result;
    }
    for (int i = 0; i < outputs.size(); i++) {
      Output output = outputs.get(i);
      result.put(output.name(), withoutFunctions(evaluate(context, output.fromExpression(),
          ConfigPath.index("config.outputs", i) + ".fromExpression", variables)));
    }
    return result;
  }

  /** The value without the {@code header} function, which is no output value (an output of all of {@code response}). */
  private static Object withoutFunctions(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (!(v instanceof ExpressionFunction)) {
          copy.put(String.valueOf(k), withoutFunctions(v));
        }
      });
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(HttpStep::withoutFunctions).toList();
    }
    return value instanceof ExpressionFunction ? null : value;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    return (value instanceof String ? "the string " : "") + JsonValues.toJson(value);
  }

  /** Builds the parts of a request from the config, naming the field when one is wrong. */
  static final class HttpRequests {
    private HttpRequests() {}

    static URI uri(String url, List<Pair> queryParams) {
      URI base;
      try {
        base = new URI(url);
      } catch (URISyntaxException e) {
        throw new InvalidConfigException("config.url: is not a valid URL (" + e.getReason() + " at index "
            + e.getIndex() + "), but was \"" + url + "\"");
      }
      String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || base.getRawAuthority() == null || base.getHost() == null) {
        throw new InvalidConfigException("config.url: must be an http or https URL, but was \"" + url + "\"");
      }
      StringBuilder query = new StringBuilder(base.getRawQuery() == null ? "" : base.getRawQuery());
      if (queryParams != null) {
        for (Pair param : queryParams) {
          query.append(query.length() == 0 ? "" : "&").append(UrlQuery.escape(param.name())).append('=')
              .append(UrlQuery.escape(param.value()));
        }
      }
      String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
      return URI.create(scheme + "://" + base.getRawAuthority() + path + (query.length() == 0 ? "" : "?" + query));
    }

    static HttpRequest build(String method, URI uri, List<Pair> headers, HttpRequest.BodyPublisher body,
        Duration timeout) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).method(method, body);
      if (uri.getScheme().equals("http")) {
        builder.version(HttpClient.Version.HTTP_1_1);   // no h2c upgrade dance with plain-HTTP servers
      }
      if (headers != null) {
        for (int i = 0; i < headers.size(); i++) {
          Pair header = headers.get(i);
          try {
            builder.header(header.name(), header.value());
          } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(ConfigPath.index("config.headers", i) + ".name: \"" + header.name()
                + "\" cannot be set (" + e.getMessage() + ")");
          }
        }
      }
      return builder.build();
    }
  }

  /** A {@code response.header(name)} function for expressions: the first value of a header, or "". */
  static ExpressionFunction headerFunction(Map<String, List<String>> headers) {
    return arguments -> {
      if (arguments.size() != 1 || !(arguments.get(0) instanceof String name)) {
        throw new IllegalArgumentException("header() expects one header name");
      }
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return "";
    };
  }
}
