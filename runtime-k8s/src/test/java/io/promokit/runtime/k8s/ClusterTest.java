package io.promokit.runtime.k8s;

import io.promokit.runtime.k8s.cluster.Docker;
import io.promokit.runtime.k8s.cluster.KubeTestCluster;
import io.promokit.runtime.k8s.cluster.RequiresDocker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class with its own mock cluster: runtimes made with {@link #runtime} are closed after each test,
 * which must leave no Pod and no Secret behind.
 */
@ExtendWith(RequiresDocker.class)
abstract class ClusterTest {

  static KubeTestCluster cluster;
  private final List<KubernetesContainerRuntime> runtimes = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    Docker.assumeAvailable();
    cluster = KubeTestCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  @AfterEach
  void nothingIsLeft() throws InterruptedException {
    runtimes.forEach(KubernetesContainerRuntime::close);
    cluster.assertNothingLeft();
  }

  /** A runtime on this class's cluster, closed after the test. */
  KubernetesContainerRuntime runtime(KubernetesRuntimeSettings.Builder settings) {
    KubernetesContainerRuntime runtime = KubernetesContainerRuntime.create(cluster.client(), settings.build());
    runtimes.add(runtime);
    return runtime;
  }
}
