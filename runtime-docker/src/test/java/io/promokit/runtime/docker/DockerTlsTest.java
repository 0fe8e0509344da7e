package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.testkit.LogCollector;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStoreException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runtime talks mutual TLS to a daemon ({@code DOCKER_TLS_VERIFY}/{@code DOCKER_CERT_PATH}) with the JDK's
 * crypto only (BouncyCastle is not on this class path): a TLS endpoint that demands a client certificate signed
 * by a test CA forwards to the real daemon, and a container runs through it, for each key format openssl writes.
 */
@ExtendWith(RequiresDocker.class)
class DockerTlsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir
  static Path certs;

  private static TlsProxy proxy;

  @BeforeAll
  static void startTlsEndpoint() throws Exception {
    DockerTestEnvironment.require();
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=promokit-test-ca");
    Files.writeString(certs.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server-key.pem", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1");
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
    openssl("pkcs12", "-export", "-inkey", "server-key.pem", "-in", "server.pem", "-out", "server.p12",
        "-passout", "pass:" + TlsProxy.PASSWORD);
    Files.writeString(certs.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    proxy = TlsProxy.start(certs.resolve("server.p12"), certs.resolve("ca.pem"), daemonSocket());
  }

  @AfterAll
  static void stopTlsEndpoint() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pkcs1-rsa", "pkcs8-rsa", "sec1-ec", "pkcs8-ec"})
  void runsAContainerOverMutualTls(String keyFormat) throws Exception {
    Path dir = clientCertificates(keyFormat);
    String engine = "docker-tls-" + UUID.randomUUID().toString().substring(0, 8);
    LogCollector logs = new LogCollector();

    try (DockerContainerRuntime runtime = DockerContainerRuntime.builder()
        .dockerHost(URI.create("tcp://127.0.0.1:" + proxy.port())).tls(dir).build()) {
      ContainerRequest request = ContainerRequest.builder().name("tls-" + keyFormat)
          .image(DockerTestEnvironment.busyboxImage()).command(List.of("echo", "over tls"))
          .workdir(Files.createDirectories(certs.resolve("work-" + keyFormat)))
          .label(ContainerLabels.ENGINE, engine).label(ContainerLabels.PROMOTION, "docker-tls-test")
          .label(ContainerLabels.STEP, keyFormat).label(ContainerLabels.ATTEMPT, "1").build();
      try (ContainerHandle handle = runtime.start(request, logs)) {
        ContainerExit exit = handle.await(PATIENCE).orElseThrow();
        assertThat(exit.exitCode()).isZero();
      }
    }

    assertThat(logs.stdout()).containsExactly("over tls");
    assertThat(proxy.clients()).contains("CN=client-" + keyFormat);
    assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
  }

  @Test
  void aKeyThatIsNotAKeyIsReportedWithItsFile() throws Exception {
    Path dir = clientCertificates("pkcs8-rsa-broken");
    Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> DockerTls.of(dir).getSSLContext())
        .isInstanceOf(KeyStoreException.class)
        .hasMessageStartingWith("cannot read the private key in " + dir.resolve("key.pem") + ": ");
  }

  @Test
  void anEncryptedKeyIsRefusedSayingWhy() throws Exception {
    Path dir = clientCertificates("pkcs1-rsa-encrypted");
    openssl("rsa", "-in", dir.resolve("key.pem").toString(), "-traditional", "-aes128", "-passout", "pass:secret",
        "-out", dir.resolve("key.pem").toString());

    assertThatThrownBy(() -> DockerTls.of(dir).getSSLContext())
        .isInstanceOf(KeyStoreException.class)
        .hasMessage("cannot read the private key in " + dir.resolve("key.pem") + ": the RSA PRIVATE KEY block is "
            + "encrypted (it has PEM headers); Docker TLS keys must be unencrypted");
  }

  /** A folder as DOCKER_CERT_PATH: ca.pem, and a client key in the given format with its cert.pem. */
  private static Path clientCertificates(String name) throws Exception {
    Path dir = Files.createDirectories(certs.resolve(name));
    String key = dir.resolve("key.pem").toString();
    switch (name.replaceAll("-(broken|encrypted)$", "")) {
      case "pkcs1-rsa" -> openssl("genrsa", "-traditional", "-out", key, "2048");
      case "pkcs8-rsa" -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key);
      case "sec1-ec" -> openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key);
      case "pkcs8-ec" -> openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key);
      default -> throw new IllegalArgumentException(name);
    }
    String csr = dir.resolve("client.csr").toString();
    openssl("req", "-new", "-key", key, "-out", csr, "-subj", "/CN=client-" + name);
    openssl("x509", "-req", "-in", csr, "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
        "-out", dir.resolve("cert.pem").toString(), "-days", "2", "-extfile", "client.ext");
    Files.copy(certs.resolve("ca.pem"), dir.resolve("ca.pem"));
    return dir;
  }

  private static void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(certs.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not end within 60 s");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  /** The daemon's Unix socket, as the other Docker tests reach it. */
  private static Path daemonSocket() {
    String host = System.getenv("DOCKER_HOST");
    return host != null && host.startsWith("unix://") ? Path.of(host.substring("unix://".length()))
        : Path.of("/var/run/docker.sock");
  }
}
