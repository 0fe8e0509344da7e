package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The builder's checks; none of these needs a daemon. */
class DockerContainerRuntimeBuilderTest {

  @Test
  void refusesADockerHostThatIsNoDaemonAddress() {
    assertThatThrownBy(() -> DockerContainerRuntime.builder().dockerHost(URI.create("http://localhost:2375")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dockerHost must be a unix://, tcp:// or npipe:// address, but was http://localhost:2375");
  }

  @Test
  void usesTlsAsTheDockerCliDecidesIt(@org.junit.jupiter.api.io.TempDir Path certs) throws Exception {
    assertThat(DockerContainerRuntime.tlsFromEnvironment(java.util.Map.of())).isNull();
    assertThat(DockerContainerRuntime.tlsFromEnvironment(java.util.Map.of("DOCKER_TLS_VERIFY", "0"))).isNull();
    assertThat(DockerContainerRuntime.tlsFromEnvironment(java.util.Map.of("DOCKER_TLS_VERIFY", ""))).isNull();
    for (String file : DockerTls.FILES) {
      java.nio.file.Files.writeString(certs.resolve(file), "");
    }
    assertThat(DockerContainerRuntime.tlsFromEnvironment(
        java.util.Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString())).directory()).isEqualTo(certs);
  }

  @Test
  void namesTheTlsFilesThatAreMissing(@org.junit.jupiter.api.io.TempDir Path certs) throws Exception {
    java.nio.file.Files.writeString(certs.resolve("ca.pem"), "");

    assertThatThrownBy(() -> DockerContainerRuntime.builder().tls(certs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Docker TLS folder " + certs + " must hold ca.pem, cert.pem, key.pem; missing: cert.pem, key.pem");
    assertThatThrownBy(() -> DockerContainerRuntime.tlsFromEnvironment(
        java.util.Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString())))
        .hasMessage("Docker TLS folder " + certs + " must hold ca.pem, cert.pem, key.pem; missing: cert.pem, key.pem");
  }

  @Test
  void refusesARelativeScratchDirectory() {
    assertThatThrownBy(() -> DockerContainerRuntime.builder().scratchDirectory(Path.of("relative")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scratchDirectory must be absolute, but was relative");
  }

  @Test
  void usesTheGivenDaemonAndScratchDirectory() {
    try (DockerContainerRuntime runtime = DockerContainerRuntime.builder()
        .dockerHost(URI.create("unix:///nowhere/docker.sock"))
        .scratchDirectory(Path.of("/tmp/promokit-scratch-test"))
        .build()) {
      assertThat(runtime.name()).isEqualTo("docker");
      assertThat(runtime.daemon()).isEqualTo("unix:///nowhere/docker.sock");
      assertThat(runtime.scratchDirectory()).isEqualTo(Path.of("/tmp/promokit-scratch-test"));
    }
  }

  @Test
  void defaultsTheScratchDirectoryToAFolderOfThisUserInTheTempFolder() {
    try (DockerContainerRuntime runtime = DockerContainerRuntime.builder()
        .dockerHost(URI.create("unix:///nowhere/docker.sock")).build()) {
      assertThat(runtime.scratchDirectory())
          .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "promokit-docker-" + SharedFiles.currentUid()));
    }
  }
}
