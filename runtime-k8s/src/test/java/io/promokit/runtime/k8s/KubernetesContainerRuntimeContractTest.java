package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.promokit.runtime.k8s.cluster.ClaimTempDirFactory;
import io.promokit.runtime.k8s.cluster.Docker;
import io.promokit.runtime.k8s.cluster.KubeTestCluster;
import io.promokit.runtime.k8s.cluster.RequiresDocker;
import io.promokit.runtime.k8s.cluster.TestImages;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRuntime;
import io.promokit.testkit.ContainerRuntimeContractTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The testkit's contract, against the mock API server with the Docker-backed fake kubelet. Every case's
 * workdir lies under the claim's host directory ({@link ClaimTempDirFactory}), so each becomes the Pod's
 * sub-path. The large-output case runs in a forked JVM, which finds this JVM's API server through a file
 * named after this JVM's process id.
 */
@ExtendWith(RequiresDocker.class)
class KubernetesContainerRuntimeContractTest extends ContainerRuntimeContractTest {

  private static KubeTestCluster cluster;
  private static Path rendezvous;

  @BeforeAll
  static void startCluster() throws IOException {
    Docker.assumeAvailable();
    cluster = KubeTestCluster.start(ClaimTempDirFactory.root());
    rendezvous = rendezvousFile(ProcessHandle.current().pid());
    Files.writeString(rendezvous, cluster.front().url());
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (rendezvous != null) {
      Files.deleteIfExists(rendezvous);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Path rendezvousFile(long pid) {
    return ClaimTempDirFactory.root().resolve(".api-server-" + pid);
  }

  private static KubernetesRuntimeSettings settings() {
    return KubernetesRuntimeSettings.builder()
        .namespace(KubeTestCluster.NAMESPACE)
        .workdirClaim(KubeTestCluster.CLAIM, ClaimTempDirFactory.root())
        .helperImage(TestImages.BUSYBOX)
        .apiBackoff(Duration.ofMillis(50))
        .build();
  }

  @Override
  protected ContainerRuntime createRuntime() {
    if (cluster != null) {
      return KubernetesContainerRuntime.create(cluster.client(), settings());
    }
    // the large-output fork: this JVM's parent runs the API server
    long parent = ProcessHandle.current().parent().orElseThrow().pid();
    try {
      KubernetesClient client = KubeTestCluster.clientFor(Files.readString(rendezvousFile(parent)).strip());
      return KubernetesContainerRuntime.create(client, settings());
    } catch (IOException e) {
      throw new UncheckedIOException("no API server of JVM " + parent, e);
    }
  }

  @Override
  protected String testImage() {
    return TestImages.BUSYBOX;
  }

  @Override
  protected void assertNothingLeftBehind(String engineId) throws Exception {
    // deleted Pods are gone once the kubelet has stopped their containers
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(leftovers(engineId)).as("Pods and Secrets of engine " + engineId).isEmpty());
  }

  private static java.util.List<String> leftovers(String engineId) {
    java.util.List<String> names = new java.util.ArrayList<>();
    cluster.direct().pods().inNamespace(KubeTestCluster.NAMESPACE).withLabel(ContainerLabels.ENGINE, engineId)
        .list().getItems().forEach(p -> names.add("Pod " + p.getMetadata().getName()));
    cluster.direct().secrets().inNamespace(KubeTestCluster.NAMESPACE).withLabel(ContainerLabels.ENGINE, engineId)
        .list().getItems().forEach(s -> names.add("Secret " + s.getMetadata().getName()));
    return names;
  }
}
