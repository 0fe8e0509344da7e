package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.event.LogStream;
import io.promokit.runtime.k8s.cluster.Docker;
import io.promokit.runtime.k8s.cluster.KubeTestCluster;
import io.promokit.runtime.k8s.cluster.TestImages;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KubernetesContainerRuntimeSmokeTest {
  @Test
  void runsACommandAndReportsItsOutput() throws Exception {
    Docker.assumeAvailable();
    try (KubeTestCluster cluster = KubeTestCluster.start();
        KubernetesContainerRuntime runtime = KubernetesContainerRuntime.create(cluster.client(), cluster.settings().build())) {
      RecordingSink sink = new RecordingSink();
      try (ContainerHandle h = runtime.start(Requests.request(cluster.workdirRoot(), "smoke-1", TestImages.BUSYBOX,
          "sh", "-c", "echo hello; echo oops >&2; echo a=1 > $KARGO_OUTPUT").build(), sink)) {
        ContainerExit exit = h.await(Duration.ofSeconds(60)).orElseThrow();
        System.out.println(sink.lines());
        assertThat(exit.exitCode()).isZero();
        assertThat(sink.texts(LogStream.STDOUT)).containsExactly("hello");
        assertThat(sink.texts(LogStream.STDERR)).containsExactly("oops");
        assertThat(new String(h.readOutputFile(1000).content(), StandardCharsets.UTF_8)).isEqualTo("a=1\n");
      }
    }
  }
}
