package io.promokit.steps.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.promokit.StepException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** http-download over TLS: a real HTTPS server on 127.0.0.1 with a self-signed certificate for another host. */
class HttpDownloadTlsTest {

  @TempDir Path temp;
  @TempDir Path workdir;
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
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/file", exchange -> {
      byte[] body = "secure content".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    url = "https://127.0.0.1:" + server.getAddress().getPort() + "/file";
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void anUntrustedCertificateIsRefusedUnlessVerificationIsSkipped() throws Exception {
    StepRunner steps = new StepRunner(workdir);
    assertThatThrownBy(() -> steps.run("http-download", Map.of("url", url, "outPath", "f.txt")))
        .isInstanceOf(StepException.class)
        .hasMessageStartingWith("GET " + url + " failed: ");
    assertThat(workdir.resolve("f.txt")).doesNotExist();
    steps.run("http-download", Map.of("url", url, "outPath", "f.txt", "insecureSkipTLSVerify", true));
    assertThat(workdir.resolve("f.txt")).hasContent("secure content");
  }
}
