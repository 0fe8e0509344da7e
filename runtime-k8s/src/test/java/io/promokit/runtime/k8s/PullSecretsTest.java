package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.promokit.event.LogStream;
import io.promokit.runtime.k8s.cluster.Docker;
import io.promokit.runtime.k8s.cluster.KubeTestCluster;
import io.promokit.runtime.k8s.cluster.LocalRegistry;
import io.promokit.runtime.k8s.cluster.RequiresDocker;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code imagePullSecrets} end to end: the request's secret names reach the Pod, and the fake kubelet pulls
 * for real from a private registry on 127.0.0.1 with the credentials those Secrets hold.
 */
@ExtendWith(RequiresDocker.class)
class PullSecretsTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  private static KubeTestCluster cluster;
  private static LocalRegistry registry;
  private static KubernetesContainerRuntime runtime;

  @BeforeAll
  static void start() {
    Docker.assumeAvailable();
    Optional<String> why = LocalRegistry.unavailableReason();
    if (why.isPresent()) {
      if ("true".equals(System.getenv("PROMOKIT_REQUIRE_DOCKER"))) {
        throw new AssertionError(why.get() + ", and PROMOKIT_REQUIRE_DOCKER=true");
      }
      return;
    }
    cluster = KubeTestCluster.start();
    registry = LocalRegistry.start();
    runtime = KubernetesContainerRuntime.create(cluster.client(), cluster.settings()
        .imagePullGracePeriod(Duration.ofSeconds(1)).build());
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void needsARegistry() {
    Assumptions.assumeTrue(registry != null, () -> LocalRegistry.unavailableReason().orElse("")
        + ": no private registry for pull-secret tests");
  }

  @AfterEach
  void nothingIsLeft() throws InterruptedException {
    if (registry == null) {
      return;
    }
    registry.forgetPulledImage();
    cluster.direct().secrets().inNamespace(KubeTestCluster.NAMESPACE).withName("regcred").delete();
    cluster.assertNothingLeft();
  }

  private static void pullSecret(String user, String password) {
    String json = registry.dockerConfigJson(user, password);
    cluster.direct().secrets().inNamespace(KubeTestCluster.NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("regcred").endMetadata()
        .withType("kubernetes.io/dockerconfigjson")
        .withData(Map.of(".dockerconfigjson", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))))
        .build()).create();
  }

  private static ContainerRequest request(String name, String image, List<String> pullSecrets) {
    return Requests.request(cluster.workdirRoot(), name, image, "echo", "pulled").pullSecretNames(pullSecrets).build();
  }

  private static ContainerRuntimeException awaitFailure(ContainerHandle h) {
    Throwable t = catchThrowable(() -> h.await(LIMIT));
    assertThat(t).isInstanceOf(ContainerRuntimeException.class);
    return (ContainerRuntimeException) t;
  }

  @Test
  void withTheRightPullSecretTheImageIsPulledAndRuns() throws Exception {
    pullSecret(LocalRegistry.USER, LocalRegistry.PASSWORD);
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime.start(request("pull-ok", registry.image(), List.of("regcred")), sink)) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
    }
    assertThat(sink.texts(LogStream.STDOUT)).containsExactly("pulled");
  }

  @Test
  void withoutAPullSecretThePullIsATerminalErrorNamingImageAndReason() throws Exception {
    try (ContainerHandle h = runtime.start(request("pull-anonymous", registry.image(), List.of()), new RecordingSink())) {
      ContainerRuntimeException e = awaitFailure(h);
      assertThat(e.isRetryable()).isFalse();
      assertThat(PullFailures.eitherReason(e)).isEqualTo("image \"" + registry.image() + "\" cannot be pulled "
          + "(ErrImagePull): rpc error: code = Unknown desc = Head \"http://" + registry.host()
          + "/v2/promokit/step/manifests/1\": no basic auth "
          + "credentials");
    }
  }

  @Test
  void aWrongPasswordIsATerminalError() throws Exception {
    pullSecret(LocalRegistry.USER, "not-the-password");
    try (ContainerHandle h = runtime.start(request("pull-wrong", registry.image(), List.of("regcred")),
        new RecordingSink())) {
      ContainerRuntimeException e = awaitFailure(h);
      assertThat(e.isRetryable()).isFalse();
      assertThat(PullFailures.eitherReason(e)).isEqualTo("image \"" + registry.image() + "\" cannot be pulled "
          + "(ErrImagePull): rpc error: code = Unknown desc = unauthorized: authentication required");
    }
  }

  @Test
  void aTagTheRegistryDoesNotHaveIsATerminalError() throws Exception {
    pullSecret(LocalRegistry.USER, LocalRegistry.PASSWORD);
    String image = registry.host() + "/promokit/step:404";
    try (ContainerHandle h = runtime.start(request("pull-no-tag", image, List.of("regcred")), new RecordingSink())) {
      ContainerRuntimeException e = awaitFailure(h);
      assertThat(e.isRetryable()).isFalse();
      assertThat(PullFailures.eitherReason(e)).isEqualTo("image \"" + image + "\" cannot be pulled (ErrImagePull): "
          + "rpc error: code = Unknown desc = manifest for " + image + " not found: manifest unknown: manifest "
          + "unknown");
    }
  }

  @Test
  void aRegistryThatIsDownIsRetryableAfterTheGracePeriod() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String image = "127.0.0.1:" + closedPort + "/promokit/step:1";
    try (ContainerHandle h = runtime.start(request("pull-down", image, List.of()), new RecordingSink())) {
      ContainerRuntimeException e = awaitFailure(h);
      assertThat(e.isRetryable()).isTrue();
      assertThat(e.getMessage()).startsWith("image \"" + image + "\" could not be pulled for 1 s (")
          .endsWith("connect: connection refused");
    }
  }
}
