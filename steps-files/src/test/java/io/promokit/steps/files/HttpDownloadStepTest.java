package io.promokit.steps.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.testkit.TestStepContext;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** http-download against real HTTP servers on 127.0.0.1. */
class HttpDownloadStepTest {

  @TempDir Path workdir;
  private TestHttpServer server;
  private StepRunner steps;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void setUp() throws Exception {
    server = new TestHttpServer();
    steps = new StepRunner(workdir);
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    server.close();
  }

  private StepResult download(Map<String, ?> config) throws Exception {
    return steps.run("http-download", config);
  }

  private void assertOnly(String... names) throws Exception {
    try (Stream<Path> files = Files.walk(workdir)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> workdir.relativize(p).toString()))
          .as("files left in the working directory").containsExactlyInAnyOrder(names);
    }
  }

  // Kargo's run cases

  @Test
  void downloadsAFile() throws Exception {
    server.handle("/file", TestHttpServer.text(200, "Hello, World!"));
    StepResult result = download(Map.of("url", server.url("/file"), "outPath", "test-file.txt"));
    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).isEmpty();
    assertThat(workdir.resolve("test-file.txt")).hasContent("Hello, World!");
    assertOnly("test-file.txt");
  }

  @Test
  void createsTheParentDirectories() throws Exception {
    server.handle("/file", TestHttpServer.text(200, "nested content"));
    download(Map.of("url", server.url("/file"), "outPath", "nested/dir/test-file.txt"));
    assertThat(workdir.resolve("nested/dir/test-file.txt")).hasContent("nested content");
  }

  @Test
  void anExistingFileIsATerminalErrorWithoutAllowOverwrite() throws Exception {
    server.handle("/file", TestHttpServer.text(200, "new content"));
    Files.writeString(workdir.resolve("existing-file.txt"), "existing");
    assertThatThrownBy(() -> download(Map.of("url", server.url("/file"), "outPath", "existing-file.txt")))
        .isInstanceOf(StepException.class)
        .hasMessage("file already exists at existing-file.txt and overwrite is not allowed")
        .matches(e -> ((StepException) e).isTerminal());
    assertThat(workdir.resolve("existing-file.txt")).hasContent("existing");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void allowOverwriteReplacesTheFile() throws Exception {
    server.handle("/file", TestHttpServer.text(200, "new content"));
    Files.writeString(workdir.resolve("existing-file.txt"), "existing");
    download(Map.of("url", server.url("/file"), "outPath", "existing-file.txt", "allowOverwrite", true));
    assertThat(workdir.resolve("existing-file.txt")).hasContent("new content");
    assertOnly("existing-file.txt");
  }

  @Test
  void aStatusOtherThan2xxFails() throws Exception {
    server.handle("/missing", TestHttpServer.text(404, "not here"));
    StepResult result = download(Map.of("url", server.url("/missing"), "outPath", "test-file.txt"));
    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("HTTP request failed with status 404");
    assertOnly();
  }

  @Test
  void aContentLengthOverTheLimitFailsBeforeReading() throws Exception {
    server.handle("/big", TestHttpServer.bytes(101, true));
    StepRunner small = new StepRunner(FileSteps.builder().maxDownloadBytes(100).build(), workdir);
    StepResult result = small.run("http-download", Map.of("url", server.url("/big"), "outPath", "big.bin"));
    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("download exceeds limit of 100 bytes (Content-Length: 101)");
    assertOnly();
  }

  @Test
  void aBodyOverTheLimitWithoutALengthIsAnErrorAndLeavesNothing() throws Exception {
    server.handle("/big", TestHttpServer.bytes(1_000_000, false));
    StepRunner small = new StepRunner(FileSteps.builder().maxDownloadBytes(100_000).build(), workdir);
    assertThatThrownBy(() -> small.run("http-download", Map.of("url", server.url("/big"), "outPath", "big.bin")))
        .isInstanceOf(StepException.class).hasMessage("download exceeds limit of 100000 bytes");
    assertOnly();
  }

  @Test
  void anOversizedOrRefusedBodyIsNotRead() throws Exception {
    server.handle("/huge", TestHttpServer.bytes(8L << 30, true))
        .handle("/error", exchange -> {
          exchange.sendResponseHeaders(500, 8L << 30);
          awaitRelease();
        });
    long start = System.nanoTime();
    assertThat(download(Map.of("url", server.url("/huge"), "outPath", "huge.bin")).message())
        .isEqualTo("download exceeds limit of " + (100L << 20) + " bytes (Content-Length: " + (8L << 30) + ")");
    assertThat(download(Map.of("url", server.url("/error"), "outPath", "huge.bin")).message())
        .isEqualTo("HTTP request failed with status 500");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("8 GiB were not read").isLessThan(10);
    assertOnly();
  }

  @Test
  void exactlyTheLimitIsFine() throws Exception {
    server.handle("/exact", TestHttpServer.bytes(100_000, false));
    StepRunner small = new StepRunner(FileSteps.builder().maxDownloadBytes(100_000).build(), workdir);
    small.run("http-download", Map.of("url", server.url("/exact"), "outPath", "exact.bin"));
    assertThat(Files.size(workdir.resolve("exact.bin"))).isEqualTo(100_000);
  }

  @Test
  void sendsHeadersAndQueryParametersSortedAndEncodedAsGoDoes() throws Exception {
    server.handle("/file", TestHttpServer.text(200, "authenticated content"));
    download(Map.of("url", server.url("/file?zeta=1&alpha=x+y"), "outPath", "test-file.txt",
        "headers", List.of(Map.of("name", "Authorization", "value", "Bearer token123")),
        "queryParams", List.of(Map.of("name", "version", "value", "some value"),
            Map.of("name", "beta", "value", "ä/&"))));
    TestHttpServer.Seen seen = server.requests.get(0);
    assertThat(seen.authorization()).isEqualTo("Bearer token123");
    assertThat(seen.query()).isEqualTo("alpha=x+y&beta=%C3%A4%2F%26&version=some+value&zeta=1");
    assertThat(workdir.resolve("test-file.txt")).hasContent("authenticated content");
  }

  @Test
  void streamsALargeBodyToDiskIntact() throws Exception {
    long size = 64L << 20;
    server.handle("/large", TestHttpServer.bytes(size, true));
    download(Map.of("url", server.url("/large"), "outPath", "large.bin"));
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[64 * 1024];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) i;
    }
    for (long left = size; left > 0; left -= block.length) {
      expected.update(block, 0, (int) Math.min(block.length, left));
    }
    MessageDigest actual = MessageDigest.getInstance("SHA-256");
    actual.update(Files.readAllBytes(workdir.resolve("large.bin")));
    assertThat(HexFormat.of().formatHex(actual.digest())).isEqualTo(HexFormat.of().formatHex(expected.digest()));
  }

  // redirects, as Go's client follows them

  @Test
  void followsRedirects() throws Exception {
    server.handle("/start", TestHttpServer.redirect(302, "/next"))
        .handle("/next", TestHttpServer.redirect(307, server.url("/file")))
        .handle("/file", TestHttpServer.text(200, "arrived"));
    download(Map.of("url", server.url("/start"), "outPath", "f.txt",
        "headers", List.of(Map.of("name", "X-Test", "value", "kept"))));
    assertThat(workdir.resolve("f.txt")).hasContent("arrived");
    assertThat(server.requests).extracting(TestHttpServer.Seen::path).containsExactly("/start", "/next", "/file");
    assertThat(server.requests).extracting(TestHttpServer.Seen::header).containsOnly("kept");
  }

  @Test
  void stopsAfterTenRedirects() throws Exception {
    server.handle("/loop", TestHttpServer.redirect(301, "/loop"));
    assertThatThrownBy(() -> download(Map.of("url", server.url("/loop"), "outPath", "f.txt")))
        .isInstanceOf(StepException.class)
        .hasMessage("GET " + server.url("/loop") + ": stopped after 10 redirects");
    assertThat(server.requests).hasSize(11);
    assertOnly();
  }

  @Test
  void dropsCredentialsWhenARedirectLeavesTheHost() throws Exception {
    server.handle("/start", TestHttpServer.redirect(302, server.localhostUrl("/file")))
        .handle("/file", TestHttpServer.text(200, "elsewhere"));
    download(Map.of("url", server.url("/start"), "outPath", "f.txt", "headers", List.of(
        Map.of("name", "Authorization", "value", "Bearer secret"), Map.of("name", "X-Test", "value", "kept"))));
    assertThat(server.requests.get(0).authorization()).isEqualTo("Bearer secret");
    assertThat(server.requests.get(1).authorization()).isNull();
    assertThat(server.requests.get(1).header()).isEqualTo("kept");
  }

  @Test
  void aRedirectWithoutLocationIsTheAnswer() throws Exception {
    server.handle("/odd", exchange -> exchange.sendResponseHeaders(302, -1));
    StepResult result = download(Map.of("url", server.url("/odd"), "outPath", "f.txt"));
    assertThat(result.message()).isEqualTo("HTTP request failed with status 302");
  }

  // slow, truncated, refused

  @Test
  void theTimeoutCoversTheWholeExchange() throws Exception {
    server.handle("/slow", exchange -> {
      exchange.sendResponseHeaders(200, 1000);
      OutputStream out = exchange.getResponseBody();
      out.write(new byte[10]);
      out.flush();
      awaitRelease();
    });
    long start = System.nanoTime();
    assertThatThrownBy(() -> download(Map.of("url", server.url("/slow"), "outPath", "slow.bin", "timeout", "500ms")))
        .isInstanceOf(StepException.class)
        .hasMessage("GET " + server.url("/slow") + " timed out after 500ms");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
    assertOnly();
  }

  @Test
  void aTruncatedBodyIsAnErrorAndLeavesNothing() throws Exception {
    server.handle("/cut", exchange -> {
      exchange.sendResponseHeaders(200, 1000);
      exchange.getResponseBody().write("only the start".getBytes(StandardCharsets.UTF_8));
      exchange.getResponseBody().flush();
      throw new java.io.IOException("cut");   // the server closes the connection mid-body
    });
    assertThatThrownBy(() -> download(Map.of("url", server.url("/cut"), "outPath", "cut.bin")))
        .isInstanceOf(StepException.class)
        .hasMessageStartingWith("GET " + server.url("/cut") + " failed: ");
    assertOnly();
  }

  @Test
  void refusesLinkLocalAddressesAndSaysSo() throws Exception {
    assertThatThrownBy(() -> download(Map.of("url", "http://169.254.169.254/latest/meta-data/", "outPath", "m")))
        .isInstanceOf(StepException.class)
        .hasMessage("GET http://169.254.169.254/latest/meta-data/: refusing to connect to 169.254.169.254: it is a "
            + "link-local address (169.254.0.0/16, fe80::/10), which serves cloud metadata, not downloads");
    assertThatThrownBy(() -> download(Map.of("url", "http://[fe80::1]:8080/x", "outPath", "m")))
        .hasMessage("GET http://[fe80::1]:8080/x: refusing to connect to fe80:0:0:0:0:0:0:1 (fe80::1): it is a "
            + "link-local address (169.254.0.0/16, fe80::/10), which serves cloud metadata, not downloads");
    assertOnly();
  }

  @Test
  void refusesALinkLocalRedirect() throws Exception {
    server.handle("/start", TestHttpServer.redirect(302, "http://169.254.169.254/latest/meta-data/"));
    assertThatThrownBy(() -> download(Map.of("url", server.url("/start"), "outPath", "m")))
        .hasMessageStartingWith("GET http://169.254.169.254/latest/meta-data/: refusing to connect to 169.254.169.254");
  }

  @Test
  void stopsAtOnceWhenCancelled() throws Exception {
    server.handle("/slow", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      exchange.getResponseBody().write(new byte[10]);
      exchange.getResponseBody().flush();
      awaitRelease();
    });
    TestStepContext context = TestStepContext.builder(workdir).stepName("http-download")
        .config(Map.of("url", server.url("/slow"), "outPath", "slow.bin")).build();
    Thread canceller = new Thread(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        return;
      }
      context.cancel();
    });
    canceller.start();
    assertThatThrownBy(() -> steps.run("http-download", context)).isInstanceOf(InterruptedException.class);
    canceller.join();
    assertOnly();
  }

  @Test
  void configIsCheckedFirst() throws Exception {
    assertThat(download(Map.of("url", "")).message()).startsWith("invalid config: ");
    assertThat(download(Map.of("url", "ftp://example.com/x", "outPath", "x")).message())
        .isEqualTo("invalid config: config.url: must be an http or https URL, but was \"ftp://example.com/x\"");
    assertThat(download(Map.of("url", server.url("/x"), "outPath", "x", "timeout", "invalid")).message())
        .startsWith("invalid config: config.timeout: ");
    assertThat(download(Map.of("url", server.url("/x"), "outPath", "x",
        "headers", List.of(Map.of("name", "Host", "value", "evil"))))
        .message()).isEqualTo("invalid config: config.headers[0].name: \"Host\" is set by the HTTP client and cannot be given");
    assertThat(download(Map.of("url", server.url("/x"), "outPath", "../x")).message())
        .isEqualTo("invalid config: config.outPath: \"../x\" climbs out of the working directory");
    assertThat(server.requests).isEmpty();
  }

  private void awaitRelease() {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
