package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.promokit.runtime.k8s.cluster.ClaimTempDirFactory;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRuntime;
import io.promokit.testkit.ContainerRuntimeContractTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The testkit's contract against a real cluster: runs only when {@code KUBECONFIG} is set, and then needs
 * {@code PROMOKIT_K8S_CLAIM} (a PersistentVolumeClaim in the namespace) and
 * {@code PROMOKIT_K8S_CLAIM_HOST_PATH} (where this machine sees that claim's files). Optional:
 * {@code PROMOKIT_K8S_NAMESPACE} (else the kubeconfig context's), {@code PROMOKIT_K8S_TEST_IMAGE} (an image
 * with BusyBox tools, default {@code busybox:1.36.1-musl}), {@code PROMOKIT_K8S_HELPER_IMAGE}. See
 * docs/runtime-k8s.md.
 */
@EnabledIfEnvironmentVariable(named = "KUBECONFIG", matches = ".+", disabledReason = "KUBECONFIG is not set: the "
    + "real-cluster contract test runs only against a cluster you point it to (docs/runtime-k8s.md)")
class RealClusterContractTest extends ContainerRuntimeContractTest {

  private static KubernetesClient client;

  @BeforeAll
  static void requireAClaim() {
    if (env("PROMOKIT_K8S_CLAIM").isEmpty() || env(ClaimTempDirFactory.REAL_CLAIM_PATH).isEmpty()) {
      throw new IllegalStateException("KUBECONFIG is set but PROMOKIT_K8S_CLAIM or "
          + ClaimTempDirFactory.REAL_CLAIM_PATH + " is not: the contract needs a workdir claim this machine can see "
          + "(docs/runtime-k8s.md)");
    }
    client = new KubernetesClientBuilder().build();
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }

  private static KubernetesRuntimeSettings settings() {
    KubernetesRuntimeSettings.Builder b = KubernetesRuntimeSettings.builder()
        .workdirClaim(env("PROMOKIT_K8S_CLAIM").orElseThrow(), ClaimTempDirFactory.root());
    env("PROMOKIT_K8S_NAMESPACE").ifPresent(b::namespace);
    env("PROMOKIT_K8S_HELPER_IMAGE").ifPresent(b::helperImage);
    return b.build();
  }

  @Override
  protected ContainerRuntime createRuntime() {
    // also in the large-output fork, which inherits the environment
    return KubernetesContainerRuntime.create(settings());
  }

  @Override
  protected String testImage() {
    return env("PROMOKIT_K8S_TEST_IMAGE").orElse("busybox:1.36.1-musl");
  }

  @Override
  protected Duration patience() {
    return Duration.ofMinutes(3); // first pulls on a fresh node
  }

  @Override
  protected void assertNothingLeftBehind(String engineId) throws Exception {
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(leftovers(engineId)).as("Pods and Secrets of engine " + engineId).isEmpty());
  }

  private static List<String> leftovers(String engineId) {
    String namespace = env("PROMOKIT_K8S_NAMESPACE").orElse(client.getNamespace());
    List<String> names = new ArrayList<>();
    client.pods().inNamespace(namespace).withLabel(ContainerLabels.ENGINE, engineId).list().getItems()
        .forEach(p -> names.add("Pod " + p.getMetadata().getName()));
    client.secrets().inNamespace(namespace).withLabel(ContainerLabels.ENGINE, engineId).list().getItems()
        .forEach(s -> names.add("Secret " + s.getMetadata().getName()));
    return names;
  }
}
