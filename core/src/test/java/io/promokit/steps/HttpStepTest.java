package io.promokit.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.expressions.ExpressionFunction;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code http} step against a real HTTP server on 127.0.0.1. */
class HttpStepTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path workdir;
  private HttpServer server;
  private ExecutorService handlers;
  private String base;
  private final CountDownLatch release = new CountDownLatch(1);
  /** Counted down when a request to /slow has arrived (and hangs). */
  private final CountDownLatch slowArrived = new CountDownLatch(1);
  private final AtomicInteger polls = new AtomicInteger();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    handlers = Executors.newCachedThreadPool();
    server.setExecutor(handlers);
    server.createContext("/json", ex -> {
      ex.getResponseHeaders().add("X-Request-Id", "req-42");
      reply(ex, 200, "application/json; charset=utf-8",
          "{\"status\": \"ok\", \"version\": \"1.2.3\", \"items\": [1, 2], \"big\": 12345678901234567890}");
    });
    server.createContext("/echo", ex -> {
      Map<String, Object> echo = new LinkedHashMap<>();
      echo.put("method", ex.getRequestMethod());
      echo.put("query", ex.getRequestURI().getRawQuery());
      echo.put("authorization", ex.getRequestHeaders().getFirst("Authorization"));
      echo.put("contentType", ex.getRequestHeaders().getFirst("Content-Type"));
      echo.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      reply(ex, 200, "application/json", JSON.writeValueAsString(echo));
    });
    server.createContext("/length", ex -> {
      long length = ex.getRequestBody().readAllBytes().length;
      reply(ex, 200, "application/json", "{\"length\": " + length + "}");
    });
    server.createContext("/status/", ex -> {
      int code = Integer.parseInt(ex.getRequestURI().getPath().substring("/status/".length()));
      reply(ex, code, "application/json", "{\"message\": \"resource not found\", \"code\": " + code + "}");
    });
    server.createContext("/poll", ex -> {
      int call = polls.incrementAndGet();
      reply(ex, 200, "application/json", "{\"state\": \"" + (call < 3 ? "pending" : "done") + "\", \"call\": " + call + "}");
    });
    server.createContext("/slow", ex -> {
      slowArrived.countDown();
      await(release);
      reply(ex, 200, "application/json", "{}");
    });
    server.createContext("/trickle", ex -> {
      ex.getResponseHeaders().add("Content-Type", "text/plain");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write("first part".getBytes(StandardCharsets.UTF_8));
        out.flush();
        await(release);
      }
    });
    server.createContext("/yaml", ex -> reply(ex, 200, "application/yaml",
        "version: \"2.0\"\nfeatures:\n  - name: a\n    enabled: true\n"));
    server.createContext("/text", ex -> reply(ex, 200, "text/plain", "plain words"));
    server.createContext("/html", ex -> reply(ex, 200, "text/html", "<html><body>hi</body></html>"));
    server.createContext("/untyped-json", ex -> reply(ex, 200, "application/octet-stream", "{\"a\": 1}"));
    server.createContext("/empty", ex -> reply(ex, 204, null, ""));
    server.createContext("/malformed", ex -> reply(ex, 200, "application/json", "{\"unclosed\": "));
    server.createContext("/big", ex -> reply(ex, 200, "text/plain", "x".repeat(HttpStep.MAX_RESPONSE_BYTES + 1)));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  @Test
  void successfulResponseWithoutExpressionsSucceedsWithOutputs() throws Exception {
    StepResult result = http(Map.of("url", base + "/json", "outputs", List.of(
        output("status", "response.status"),
        output("version", "response.body.version"),
        output("second", "response.body.items[1]"),
        output("big", "response.body.big"),
        output("requestId", "response.headers['X-Request-Id'][0]"),
        output("viaFunction", "response.header('x-request-id')"))));

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).containsEntry("status", 200L).containsEntry("version", "1.2.3")
        .containsEntry("second", 2L).containsEntry("big", new java.math.BigInteger("12345678901234567890"))
        .containsEntry("requestId", "req-42").containsEntry("viaFunction", "req-42");
  }

  @Test
  void headerFunctionReadsTheFirstValueOfAHeaderInAnyCase() throws Exception {
    // Expressions call it as response.header('X-Request-Id'); see ResponseView.
    ExpressionFunction header = HttpStep.headerFunction(Map.of("X-Request-Id", List.of("req-42", "req-43")));

    assertThat(header.apply(List.of("x-request-id"))).isEqualTo("req-42");
    assertThat(header.apply(List.of("X-Nope"))).isEqualTo("");
    assertThatThrownBy(() -> header.apply(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header() expects one header name");
  }

  @Test
  void headersAreKeyedByCanonicalName() throws Exception {
    StepResult result = http(Map.of("url", base + "/json", "outputs", List.of(
        output("type", "response.headers['Content-Type'][0]"))));

    assertThat(result.outputs()).containsEntry("type", "application/json; charset=utf-8");
  }

  @Test
  void theWholeResponseAsAnOutputHoldsOnlyData() throws Exception {
    StepResult result = http(Map.of("url", base + "/text", "outputs", List.of(output("all", "response"))));

    Map<?, ?> all = (Map<?, ?>) result.outputs().get("all");
    assertThat(all.keySet().stream().map(String::valueOf).toList()).containsExactly("status", "headers", "body");
    assertThat(all.get("status")).isEqualTo(200L);
    assertThat(all.get("body")).isEqualTo("plain words");
    assertThat(((Map<?, ?>) all.get("headers")).get("Content-Type")).isEqualTo(List.of("text/plain"));
  }

  @Test
  void nonSuccessStatusWithoutExpressionsFails() throws Exception {
    StepResult result = http(Map.of("url", base + "/status/503", "outputs", List.of(output("s", "response.status"))));

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("HTTP (503) response is not a success (2xx)");
    assertThat(result.outputs()).isEmpty();
  }

  @Test
  void failureExpressionFailsWithTheErrorExpressionsMessage() throws Exception {
    StepResult result = http(Map.of("url", base + "/status/404",
        "successExpression", "response.status == 200",
        "failureExpression", "response.status >= 400 && response.status < 500",
        "errorExpression", "response.body?.message ?? response.body?.error"));

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("HTTP (404) response met failure criteria: \"resource not found\"");
  }

  @Test
  void errorExpressionThatFailsOrGivesNoTextLeavesTheDefaultMessage() throws Exception {
    StepResult notText = http(Map.of("url", base + "/status/409", "failureExpression", "true",
        "errorExpression", "response.body.code"));
    StepResult broken = http(Map.of("url", base + "/status/409", "failureExpression", "true",
        "errorExpression", "response.body.nope.deeper"));

    assertThat(notText.message()).isEqualTo("HTTP (409) response met failure criteria");
    assertThat(broken.message()).isEqualTo("HTTP (409) response met failure criteria");
  }

  @Test
  void failureWinsOverSuccess() throws Exception {
    StepResult result = http(Map.of("url", base + "/json", "successExpression", "true", "failureExpression",
        "response.body.status == 'ok'"));

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("HTTP (200) response met failure criteria");
  }

  @Test
  void pollsWithRunningResultsUntilTheSuccessExpressionHolds() throws Exception {
    TestStepContext context = TestStepContext.of(workdir, "http", Map.of("url", base + "/poll",
        "successExpression", "response.body.state == 'done'",
        "failureExpression", "response.body.state == 'failed'",
        "pollInterval", "50ms",
        "outputs", List.of(output("call", "response.body.call"))));

    StepResult first = context.run();
    StepResult second = context.runAgain();
    StepResult third = context.runAgain();

    assertThat(first.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(first.retryAfter()).contains(Duration.ofMillis(50));
    assertThat(first.message()).isEqualTo("HTTP (200) response met neither success nor failure criteria; asking "
        + "again in 50ms");
    assertThat(first.outputs()).isEmpty();
    assertThat(second.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(third.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(third.outputs()).containsEntry("call", 3L);
    assertThat(polls.get()).isEqualTo(3);
  }

  @Test
  void onlyAFailureExpressionThatDoesNotHoldKeepsPolling() throws Exception {
    StepResult result = http(Map.of("url", base + "/json", "failureExpression", "response.status == 500"));

    assertThat(result.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(result.retryAfter()).contains(HttpStep.DEFAULT_POLL_INTERVAL);
  }

  @Test
  void slowResponseTimesOutPerRequest() {
    Instant before = Instant.now();

    assertThatThrownBy(() -> http(Map.of("url", base + "/slow", "timeout", "200ms")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("GET " + base + "/slow timed out after 200ms");
    assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(25));
  }

  @Test
  void bodyThatTricklesInAlsoTimesOut() {
    assertThatThrownBy(() -> http(Map.of("url", base + "/trickle", "timeout", "300ms")))
        .isInstanceOf(StepException.class)
        .hasMessage("GET " + base + "/trickle timed out after 300ms");
  }

  @Test
  void stepDeadlineShortensTheRequestTimeout() {
    TestStepContext context = TestStepContext.of(workdir, "http", Map.of("url", base + "/slow", "timeout", "1m"))
        .withDeadline(Instant.now().plusMillis(300));

    assertThatThrownBy(context::run)
        .isInstanceOf(StepException.class)
        .hasMessageStartingWith("GET " + base + "/slow timed out after ");
  }

  @Test
  void cancellationStopsAWaitingRequest() throws Exception {
    TestStepContext context = TestStepContext.of(workdir, "http", Map.of("url", base + "/slow", "timeout", "1m"));
    CompletableFuture<StepResult> run = CompletableFuture.supplyAsync(() -> {
      try {
        return context.run();
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    assertThat(slowArrived.await(20, TimeUnit.SECONDS)).as("the request reached the server").isTrue();
    context.cancel();

    assertThatThrownBy(() -> run.get(20, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(InterruptedException.class)
        .hasRootCauseMessage("GET " + base + "/slow was cancelled");
  }

  @Test
  void methodHeadersQueryParamsAndBodyAreSent() throws Exception {
    StepResult result = http(Map.of("method", "POST", "url", base + "/echo?fixed=1",
        "headers", List.of(pair("Authorization", "Bearer t0ken"), pair("Content-Type", "application/json")),
        "queryParams", List.of(pair("q", "a b&c=d/é"), pair("plain", "x")),
        "body", "{\"text\": \"hi\"}",
        "outputs", List.of(output("echo", "response.body"))));

    assertThat(result.outputs().get("echo")).isEqualTo(Map.of(
        "method", "POST",
        "query", "fixed=1&q=a+b%26c%3Dd%2F%C3%A9&plain=x",
        "authorization", "Bearer t0ken",
        "contentType", "application/json",
        "body", "{\"text\": \"hi\"}"));
  }

  @Test
  void bodyComesFromAFileInTheWorkdir() throws Exception {
    Files.writeString(workdir.resolve("payload.json"), "{\"from\": \"file\"}");

    StepResult result = http(Map.of("method", "PUT", "url", base + "/echo", "bodyFromFile", "payload.json",
        "outputs", List.of(output("body", "response.body.body"), output("method", "response.body.method"))));

    assertThat(result.outputs()).containsEntry("body", "{\"from\": \"file\"}").containsEntry("method", "PUT");
  }

  @Test
  void missingBodyFileIsATerminalError() {
    assertThatThrownBy(() -> http(Map.of("method", "POST", "url", base + "/echo", "bodyFromFile", "nope.json")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("config.bodyFromFile: \"nope.json\" does not exist");
  }

  @Test
  void yamlTextHtmlAndUntypedBodiesAreReadAsKargoReadsThem() throws Exception {
    assertThat(http(Map.of("url", base + "/yaml", "outputs", List.of(output("v", "response.body.version"),
        output("enabled", "response.body.features[0].enabled")))).outputs())
        .containsEntry("v", "2.0").containsEntry("enabled", true);
    assertThat(http(Map.of("url", base + "/text", "outputs", List.of(output("t", "response.body")))).outputs())
        .containsEntry("t", "plain words");
    assertThat(http(Map.of("url", base + "/html", "outputs", List.of(output("b", "response.body")))).outputs())
        .containsEntry("b", Map.of());
    assertThat(http(Map.of("url", base + "/untyped-json", "outputs", List.of(output("a", "response.body.a")))).outputs())
        .containsEntry("a", 1L);
    assertThat(http(Map.of("url", base + "/empty", "outputs", List.of(output("b", "response.body")))).outputs())
        .containsEntry("b", Map.of());
    assertThat(http(Map.of("url", base + "/text", "responseContentType", "application/yaml",
        "outputs", List.of(output("t", "response.body")))).outputs())
        .containsEntry("t", "plain words");
  }

  @Test
  void malformedJsonBodyIsARetryableError() {
    assertThatThrownBy(() -> http(Map.of("url", base + "/malformed")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessageStartingWith("the response body (application/json) is not valid JSON: ");
  }

  @Test
  void oversizedBodyIsRefused() {
    assertThatThrownBy(() -> http(Map.of("url", base + "/big")))
        .isInstanceOf(StepException.class)
        .hasMessage("GET " + base + "/big: the response body is larger than 2097152 bytes");
  }

  @Test
  void connectionRefusedIsARetryableError() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    assertThatThrownBy(() -> http(Map.of("url", "http://127.0.0.1:" + port + "/x")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessageStartingWith("GET http://127.0.0.1:" + port + "/x failed: cannot connect to 127.0.0.1:" + port);
  }

  @Test
  void expressionsThatDoNotGiveABooleanAreErrors() {
    assertThatThrownBy(() -> http(Map.of("url", base + "/json", "successExpression", "response.body.status")))
        .isInstanceOf(StepException.class)
        .hasMessage("config.successExpression: must give true or false, but gave the string \"ok\"");
    assertThatThrownBy(() -> http(Map.of("url", base + "/json", "outputs",
        List.of(output("a", "response.body.nope.deeper")))))
        .isInstanceOf(StepException.class)
        .hasMessageStartingWith("config.outputs[0].fromExpression: ");
  }

  @Test
  void badConfigFailsNamingTheField() throws Exception {
    assertThat(http(Map.of()).message()).isEqualTo("invalid config: config.url: is required");
    assertThat(http(Map.of("url", "ftp://example.com/x")).message())
        .isEqualTo("invalid config: config.url: must be an http or https URL, but was \"ftp://example.com/x\"");
    assertThat(http(Map.of("url", "http://exa mple.com")).message())
        .startsWith("invalid config: config.url: is not a valid URL (");
    assertThat(http(Map.of("url", base, "timeout", "soon")).message())
        .isEqualTo("invalid config: config.timeout: invalid duration \"soon\": expected a Go duration such as "
            + "90s, 5m, 1h30m or 500ms");
    assertThat(http(Map.of("url", base, "pollInterval", "0s")).message())
        .isEqualTo("invalid config: config.pollInterval: must be positive, but was \"0s\"");
    assertThat(http(Map.of("url", base, "body", "a", "bodyFromFile", "b")).message())
        .isEqualTo("invalid config: config: give either body or bodyFromFile, not both");
    assertThat(http(Map.of("url", base, "headers", List.of(Map.of("name", "X")))).message())
        .isEqualTo("invalid config: config.headers[0].value: is required");
    assertThat(http(Map.of("url", base, "headers", List.of(pair("Host", "evil")))).message())
        .isEqualTo("invalid config: config.headers[0].name: \"Host\" cannot be set (restricted header name: "
            + "\"Host\")");
    assertThat(http(Map.of("url", base, "responseContentType", "text/html")).message())
        .isEqualTo("invalid config: config.responseContentType: must be one of \"application/json\", "
            + "\"application/yaml\", \"text/plain\", but was \"text/html\"");
    assertThat(http(Map.of("url", base, "insecureSkipTLSVerify", "yes")).message())
        .isEqualTo("invalid config: config.insecureSkipTLSVerify: must be a boolean, but was a string");
  }

  // Kargo: Test_httpRequester_convert "invalid method" (the schema allows DELETE, GET, HEAD, PATCH, POST, PUT).
  @Test
  void methodIsOneOfKargosSixInUpperCase() throws Exception {
    String expected = "must be one of \"DELETE\", \"GET\", \"HEAD\", \"PATCH\", \"POST\", \"PUT\", but was ";
    assertThat(http(Map.of("url", base, "method", "get")).message())
        .isEqualTo("invalid config: config.method: " + expected + "\"get\"");
    assertThat(http(Map.of("url", base, "method", "OPTIONS")).message())
        .isEqualTo("invalid config: config.method: " + expected + "\"OPTIONS\"");
    assertThat(http(Map.of("url", base + "/echo", "method", "PATCH", "body", "x",
        "outputs", List.of(output("method", "response.body.method")))).outputs())
        .containsEntry("method", "PATCH");
  }

  // Kargo: Test_httpRequester_convert "header value is empty string", "query param value is empty string".
  @Test
  void emptyHeaderAndQueryValuesAreInvalidConfig() throws Exception {
    assertThat(http(Map.of("url", base, "headers", List.of(pair("X-Token", "")))).message())
        .isEqualTo("invalid config: config.headers[0].value: must not be empty");
    assertThat(http(Map.of("url", base, "queryParams", List.of(pair("a", "1"), pair("b", "")))).message())
        .isEqualTo("invalid config: config.queryParams[1].value: must not be empty");
  }

  // Kargo: Test_httpRequester_buildRequest "body from file rejects oversize" (2 MiB, like responses).
  @Test
  void requestBodiesAreCappedAtTwoMebibytes() throws Exception {
    Files.write(workdir.resolve("limit.bin"), new byte[HttpStep.MAX_REQUEST_BYTES]);
    Files.write(workdir.resolve("over.bin"), new byte[HttpStep.MAX_REQUEST_BYTES + 1]);

    assertThat(http(Map.of("method", "POST", "url", base + "/length", "bodyFromFile", "limit.bin",
        "outputs", List.of(output("length", "response.body.length")))).outputs())
        .containsEntry("length", (long) HttpStep.MAX_REQUEST_BYTES);
    assertThatThrownBy(() -> http(Map.of("method", "POST", "url", base + "/length", "bodyFromFile", "over.bin")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("config.bodyFromFile: \"over.bin\" has more than 2097152 bytes; a request body may have at most "
            + "2097152 bytes (2 MiB)");
    assertThatThrownBy(() -> http(Map.of("method", "POST", "url", base + "/length",
        "body", "é".repeat(HttpStep.MAX_REQUEST_BYTES / 2) + "x")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("config.body: is 2097153 bytes; a request body may have at most 2097152 bytes (2 MiB)");
  }

  // Kargo: Test_httpRequester_evaluateSuccessCriteria / evaluateFailureCriteria / buildOutputs "error compiling
  // ... expression" (terminal, Errored) against "error evaluating ... expression" (an ordinary error, retried).
  @Test
  void anExpressionThatDoesNotParseIsTerminalOneThatFailsOnTheResponseIsRetried() {
    assertThatThrownBy(() -> http(Map.of("url", base + "/json", "successExpression", "response.status ==")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessageStartingWith("config.successExpression: ");
    assertThatThrownBy(() -> http(Map.of("url", base + "/json", "failureExpression", "(1 + 2")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessageStartingWith("config.failureExpression: ");
    assertThatThrownBy(() -> http(Map.of("url", base + "/json", "outputs", List.of(output("a", "response.body.")))))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessageStartingWith("config.outputs[0].fromExpression: ");
    assertThatThrownBy(() -> http(Map.of("url", base + "/json", "successExpression", "response.body.nope.deeper")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessageStartingWith("config.successExpression: ");
    assertThatThrownBy(() -> http(Map.of("url", base + "/json", "outputs",
        List.of(output("a", "response.body.nope.deeper")))))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse());
  }

  // Kargo: Test_httpRequester_run "failed with errorExpression compile error" (terminal, Errored) and
  // "failed with errorExpression eval error" (the plain failure message).
  @Test
  void anErrorExpressionThatDoesNotParseIsTerminal() {
    assertThatThrownBy(() -> http(Map.of("url", base + "/status/409", "failureExpression", "true",
        "errorExpression", "(1 + 2")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessageStartingWith("config.errorExpression: ");
  }

  private StepResult http(Map<String, Object> config) throws Exception {
    return TestStepContext.of(workdir, "http", config).run();
  }

  private static Map<String, Object> output(String name, String expression) {
    return Map.of("name", name, "fromExpression", expression);
  }

  private static Map<String, Object> pair(String name, String value) {
    return Map.of("name", name, "value", value);
  }

  private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      exchange.getResponseHeaders().add("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
