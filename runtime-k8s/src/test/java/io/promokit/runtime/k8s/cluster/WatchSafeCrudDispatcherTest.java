package io.promokit.runtime.k8s.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mock API server keeps answering, and every watch gets every event, while other watches close. */
class WatchSafeCrudDispatcherTest {
  private static final String NAMESPACE = "steps";
  private static final int ROUNDS = 100;
  /** fabric8's default request timeout. */
  private static final long REQUEST_TIMEOUT_SECONDS = 10;

  private KubernetesMockServer server;
  private ApiServerFront front;
  private KubernetesClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new WatchSafeCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    // through the front, as the runtime under test talks to the server
    front = new ApiServerFront(server.getPort());
    // no retries: a request the server leaves unanswered for the request timeout fails
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(front.url())
        .withRequestTimeout((int) TimeUnit.SECONDS.toMillis(REQUEST_TIMEOUT_SECONDS)).withRequestRetryBackoffLimit(0)
        .build()).build();
  }

  @AfterEach
  void stopServer() {
    client.close();
    front.close();
    server.destroy();
  }

  @Test
  void watchesClosedJustAsTheirEventsGoOutNeitherStallTheServerNorCostOtherWatchesAnEvent() throws Exception {
    client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName("busy").endMetadata()
        .withNewSpec().addNewContainer().withName("step").withImage("busybox").endContainer().endSpec().build())
        .create();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    try (Watch observer = client.pods().inNamespace(NAMESPACE).watch(recording(seen, new CountDownLatch(1)))) {
      for (int round = 1; round <= ROUNDS; round++) {
        CountDownLatch opened = new CountDownLatch(1);
        // opened on another thread: a stalled server would hold the watch call itself
        CompletableFuture<Watch> closing = CompletableFuture.supplyAsync(() -> client.pods().inNamespace(NAMESPACE)
            .withName("busy").watch(recording(ConcurrentHashMap.newKeySet(), opened)));
        // a stalled server answers nothing for 30 s; the client gives a request up after 10
        assertThat(opened.await(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            .as("round %d: a new watch got the Pod within the client's request timeout", round).isTrue();
        String n = String.valueOf(round);
        client.pods().inNamespace(NAMESPACE).withName("busy").edit(p -> annotated(p, n));
        closing.get().close(); // while the edit's event goes out to it
      }
      Set<String> expected = IntStream.rangeClosed(1, ROUNDS).mapToObj(String::valueOf).collect(Collectors.toSet());
      await().atMost(Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS)).untilAsserted(() ->
          assertThat(seen).as("what the watch that stayed open saw").containsAll(expected));
    }
  }

  private static Pod annotated(Pod pod, String n) {
    pod.getMetadata().getAnnotations().put("n", n);
    return pod;
  }

  private static Watcher<Pod> recording(Set<String> seen, CountDownLatch first) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        String n = pod.getMetadata().getAnnotations().get("n");
        if (n != null) {
          seen.add(n);
        }
        first.countDown();
      }

      @Override
      public void onClose(WatcherException cause) {
        // closed by the test
      }
    };
  }
}
