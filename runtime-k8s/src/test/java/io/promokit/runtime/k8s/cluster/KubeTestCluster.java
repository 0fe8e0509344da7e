package io.promokit.runtime.k8s.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.promokit.runtime.k8s.KubernetesRuntimeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

/**
 * A one-node "cluster" for tests: fabric8's mock API server in CRUD mode (with watches that can be closed
 * safely, see {@link WatchSafeCrudDispatcher}), a real HTTP front before it (live logs, faults, missing
 * namespaces), and a fake kubelet that runs Pods in Docker. The workdir claim {@value #CLAIM} is the host
 * directory {@link #workdirRoot()}.
 */
public final class KubeTestCluster implements AutoCloseable {
  public static final String NAMESPACE = "steps";
  public static final String CLAIM = "workdir";

  private final KubernetesMockServer server;
  private final ApiServerFront front;
  private final KubernetesClient direct;
  private final KubernetesClient client;
  private final FakeKubelet kubelet;
  private final Path workdirRoot;
  private final boolean ownRoot;

  private KubeTestCluster(Path claimRoot) throws IOException {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new WatchSafeCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    direct = new KubernetesClientBuilder().withConfig(config(server.url("/").toString())).build();
    // As on a real cluster, the namespace the steps run in exists.
    direct.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    front = new ApiServerFront(server.getPort());
    front.namespaces(Set.of(NAMESPACE));
    client = new KubernetesClientBuilder().withConfig(config(front.url())).build();
    ownRoot = claimRoot == null;
    workdirRoot = ownRoot ? Files.createTempDirectory("promokit-claim-").toRealPath() : claimRoot;
    kubelet = new FakeKubelet(direct, NAMESPACE);
    kubelet.claim(CLAIM, workdirRoot);
    front.logServer(kubelet::serveLog);
    front.deleteListener(kubelet::deleting);
  }

  /** Starts the cluster; the caller must have checked that Docker is available. */
  public static KubeTestCluster start() {
    return start(null);
  }

  /** Starts the cluster with the workdir claim backed by the given host directory (kept on close). */
  public static KubeTestCluster start(Path claimRoot) {
    TestImages.ensureBuilt();
    try {
      return new KubeTestCluster(claimRoot);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client for an API server started by another JVM (the contract test's fork). */
  public static KubernetesClient clientFor(String url) {
    return new KubernetesClientBuilder().withConfig(config(url)).build();
  }

  private static Config config(String url) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace(NAMESPACE)
        .withWatchReconnectInterval(100)
        .build();
  }

  /** Settings for the runtime under test: the namespace, the claim with its host root, the test helper. */
  public KubernetesRuntimeSettings.Builder settings() {
    return KubernetesRuntimeSettings.builder()
        .namespace(NAMESPACE)
        .workdirClaim(CLAIM, workdirRoot)
        .helperImage(TestImages.BUSYBOX)
        .apiBackoff(Duration.ofMillis(50));
  }

  /** The client through the front: what the runtime under test uses. */
  public KubernetesClient client() {
    return client;
  }

  /** A client straight to the mock, bypassing faults. */
  public KubernetesClient direct() {
    return direct;
  }

  public ApiServerFront front() {
    return front;
  }

  public FakeKubelet kubelet() {
    return kubelet;
  }

  public Path workdirRoot() {
    return workdirRoot;
  }

  public List<Pod> pods() {
    return direct.pods().inNamespace(NAMESPACE).list().getItems();
  }

  public List<Secret> secrets() {
    return direct.secrets().inNamespace(NAMESPACE).list().getItems();
  }

  /**
   * Waits (at most 30 s) until no Pod is left and the kubelet has stopped what it ran, then asserts that
   * no Pod and no Secret is left: what every test's clean-up must leave.
   */
  public void assertNothingLeft() throws InterruptedException {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(pods()).as("Pods left behind").isEmpty();
      assertThat(kubelet.idle()).as("the kubelet stopped what it ran").isTrue();
    });
    assertThat(secrets()).as("Secrets left behind").isEmpty();
  }

  @Override
  public void close() {
    kubelet.close();
    front.close();
    client.close();
    direct.close();
    server.destroy();
    if (ownRoot) {
      try {
        TestImages.deleteTree(workdirRoot);
      } catch (IOException e) {
        // temporary files
      }
    }
  }
}
