package io.promokit.steps.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.promokit.StepException;
import io.promokit.StepStatus;
import io.promokit.testkit.TestStepContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry on 127.0.0.1 that misbehaves on purpose: blobs with the wrong content, cut short, longer than their
 * descriptor, or stalling mid-way; manifests whose digest is not the one stated or asked for; a media type
 * nobody supports. Each error names what went wrong, and nothing is left in the working directory.
 */
class HostileRegistryTest {

  static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final byte[] CONTENT = "the real layer content, 43 bytes long......".getBytes(StandardCharsets.UTF_8);
  static final String DIGEST = Manifest.sha256(CONTENT);

  /** How the blob is served. */
  enum Fault { GOOD, WRONG_CONTENT, SHORT, LONG, STALL }

  @TempDir Path workdir;
  private HttpServer server;
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final Map<String, String> statedDigests = new ConcurrentHashMap<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile Fault fault = Fault.GOOD;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/v2/", this::serve);
    server.start();
    manifests.put("v1", manifest(Manifest.OCI_MANIFEST));
    manifests.put("old", manifest("application/vnd.docker.distribution.manifest.v1+prettyjws"));
  }

  @AfterEach
  void stop() {
    released.countDown();
    server.stop(0);
  }

  private String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private static byte[] manifest(String mediaType) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + DIGEST + "\",\"size\":" + CONTENT.length
        + "},\"layers\":[{\"mediaType\":\"" + LAYER + "\",\"digest\":\"" + DIGEST + "\",\"size\":" + CONTENT.length
        + "}]}").getBytes(StandardCharsets.UTF_8);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/v2/")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      if (path.startsWith("/v2/hostile/manifests/")) {
        String reference = path.substring("/v2/hostile/manifests/".length());
        byte[] body = manifests.get(reference);
        if (body == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        exchange.getResponseHeaders().add("Content-Type", Manifest.OCI_MANIFEST);
        exchange.getResponseHeaders().add("Docker-Content-Digest", statedDigests.getOrDefault(reference,
            Manifest.sha256(body)));
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      if (path.equals("/v2/hostile/blobs/" + DIGEST)) {
        blob(exchange);
        return;
      }
      exchange.sendResponseHeaders(404, -1);
    }
  }

  private void blob(HttpExchange exchange) throws IOException {
    OutputStream out = exchange.getResponseBody();
    switch (fault) {
      case GOOD -> {
        exchange.sendResponseHeaders(200, CONTENT.length);
        out.write(CONTENT);
      }
      case WRONG_CONTENT -> {
        byte[] wrong = CONTENT.clone();
        wrong[3] ^= 1;
        exchange.sendResponseHeaders(200, wrong.length);
        out.write(wrong);
      }
      case SHORT -> {
        exchange.sendResponseHeaders(200, 0);   // chunked: the body ends cleanly, just too early
        out.write(CONTENT, 0, 20);
      }
      case LONG -> {
        exchange.sendResponseHeaders(200, 0);
        out.write(CONTENT);
        out.write("and more".getBytes(StandardCharsets.UTF_8));
      }
      case STALL -> {
        exchange.sendResponseHeaders(200, 0);
        out.write(CONTENT, 0, 10);
        out.flush();
        try {
          released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      default -> throw new IllegalStateException();
    }
  }

  /** Downloads with the default stall timeout: a loaded machine may take over a second for a first answer. */
  private StepException download(Fault how) throws Exception {
    return download(how, OciSteps.builder().noDockerConfig().plainHttpRegistries(host()).build());
  }

  private StepException download(Fault how, OciSteps steps) throws Exception {
    fault = how;
    return new StepRunner(steps, workdir)
        .error("oci-download", Map.of("imageRef", host() + "/hostile:v1", "outPath", "out/layer.tgz"));
  }

  @Test
  void theSameRegistryServingTheRightBytesWorks() throws Exception {
    var result = new StepRunner(OciSteps.builder().noDockerConfig().plainHttpRegistries(host()).build(), workdir)
        .run("oci-download", Map.of("imageRef", host() + "/hostile:v1", "outPath", "out/layer.tgz"));
    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(workdir.resolve("out/layer.tgz")).hasBinaryContent(CONTENT);
  }

  @Test
  void aBlobWithTheWrongContentIsRefusedAndNothingIsLeft() throws Exception {
    StepException error = download(Fault.WRONG_CONTENT);

    assertThat(error.isTerminal()).isFalse();
    assertThat(error.getMessage()).startsWith("blob " + DIGEST + " from " + host()
        + " has the wrong content: its digest is sha256:").endsWith(" (corrupted or tampered with)");
    assertThat(workdir.resolve("out").toFile().list()).isEmpty();
  }

  @Test
  void aBlobCutShortIsRefused() throws Exception {
    StepException error = download(Fault.SHORT);

    assertThat(error.getMessage()).isEqualTo("GET /v2/hostile/blobs/" + DIGEST + " at " + host() + ": blob " + DIGEST
        + " ended after 20 of " + CONTENT.length + " bytes");
    assertThat(workdir.resolve("out").toFile().list()).isEmpty();
  }

  @Test
  void aBlobLongerThanItsDescriptorIsCutAtTheLimit() throws Exception {
    StepException error = download(Fault.LONG);

    assertThat(error.getMessage()).isEqualTo("GET /v2/hostile/blobs/" + DIGEST + " at " + host() + ": blob " + DIGEST
        + " is longer than the " + CONTENT.length + " bytes its descriptor gives");
    assertThat(workdir.resolve("out").toFile().list()).isEmpty();
  }

  @Test
  void aStalledBlobIsGivenUpAfterTheStallTimeout() throws Exception {
    // Short, yet long enough for the first answers of a new client on a loaded machine (also bounded by it).
    StepException error = download(Fault.STALL, OciSteps.builder().noDockerConfig().plainHttpRegistries(host())
        .stallTimeout(Duration.ofSeconds(3)).build());

    assertThat(error.isTerminal()).isFalse();
    assertThat(error.getMessage()).isEqualTo("GET /v2/hostile/blobs/" + DIGEST + " at " + host()
        + ": no data for 3s (stalled)");
    assertThat(workdir.resolve("out").toFile().list()).isEmpty();
  }

  @Test
  void aCancelledDownloadStopsAtOnceAndLeavesNothing() throws Exception {
    fault = Fault.STALL;
    TestStepContext context = TestStepContext.builder(workdir).stepName("oci-download")
        .config(Map.of("imageRef", host() + "/hostile:v1", "outPath", "out/layer.tgz")).build();
    StepRunner runner = new StepRunner(OciSteps.builder().noDockerConfig().plainHttpRegistries(host()).build(), workdir);
    var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return runner.run("oci-download", context);
      } catch (Exception e) {
        return e;
      }
    });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> workdir.resolve("out").toFile().list() != null && workdir.resolve("out").toFile().list().length == 1);
    context.cancel();
    Object outcome = pending.get(10, TimeUnit.SECONDS);
    assertThat(outcome).isInstanceOf(InterruptedException.class);
    assertThat(workdir.resolve("out").toFile().list()).isEmpty();
  }

  @Test
  void aManifestWhoseDigestIsNotTheStatedOneIsRefused() throws Exception {
    statedDigests.put("v1", "sha256:" + "0".repeat(64));
    StepException error = download(Fault.GOOD);

    assertThat(error.getMessage()).isEqualTo("the manifest of \"" + host() + "/hostile:v1\" from " + host()
        + " has digest " + Manifest.sha256(manifest(Manifest.OCI_MANIFEST)) + ", but the registry states sha256:"
        + "0".repeat(64) + " (corrupted in transfer?)");
  }

  @Test
  void aManifestThatIsNotTheDigestAskedForIsRefused() throws Exception {
    String asked = "sha256:" + "1".repeat(64);
    manifests.put(asked, manifest(Manifest.OCI_MANIFEST));
    statedDigests.put(asked, asked);
    StepException error = new StepRunner(OciSteps.builder().noDockerConfig().plainHttpRegistries(host()).build(), workdir)
        .error("oci-download", Map.of("imageRef", host() + "/hostile@" + asked, "outPath", "x"));

    assertThat(error.getMessage()).isEqualTo("the manifest of \"" + host() + "/hostile@" + asked + "\" from " + host()
        + " has digest " + Manifest.sha256(manifest(Manifest.OCI_MANIFEST)) + ", not the " + asked
        + " asked for (corrupted or tampered with)");
  }

  @Test
  void anUnsupportedMediaTypeIsTerminalForPush() throws Exception {
    StepException error = new StepRunner(OciSteps.builder().noDockerConfig().plainHttpRegistries(host()).build(), workdir)
        .error("oci-push", Map.of("srcRef", host() + "/hostile:old", "destRef", host() + "/hostile:new"));

    assertThat(error.isTerminal()).isTrue();
    assertThat(error.getMessage()).isEqualTo("unsupported media type "
        + "\"application/vnd.docker.distribution.manifest.v1+prettyjws\" of \"" + host() + "/hostile:old\"");
  }
}
