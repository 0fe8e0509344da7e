package io.promokit.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code insecureSkipTLSVerify} against a real HTTPS server with a self-signed certificate for another host. */
class HttpTlsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir Path temp;
  private HttpsServer server;
  private String url;

  @BeforeEach
  void startServer() throws Exception {
    Path keystore = temp.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=not-this-host.invalid", "-ext", "SAN=dns:not-this-host.invalid",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", exchange -> {
      byte[] body = "{\"secure\": true}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    url = "https://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void untrustedCertificateIsRefusedByDefault() {
    assertThatThrownBy(() -> TestStepContext.of(temp, "http", Map.of("url", url)).run())
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessageStartingWith("GET " + url + " failed: TLS error: ");
  }

  @Test
  void insecureSkipTlsVerifyAcceptsAnyCertificateAndHostName() throws Exception {
    StepResult result = TestStepContext.of(temp, "http", Map.of("url", url, "insecureSkipTLSVerify", true,
        "outputs", List.of(Map.of("name", "secure", "fromExpression", "response.body.secure")))).run();

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).containsEntry("secure", true);
  }
}
