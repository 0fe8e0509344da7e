package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.promokit.event.LogStream;
import io.promokit.runtime.k8s.cluster.ApiServerFront;
import io.promokit.runtime.k8s.cluster.KubeTestCluster;
import io.promokit.runtime.k8s.cluster.TestImages;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Kubernetes API errors: transient ones are tried again, permanent ones say what was asked. */
class ApiErrorsTest extends ClusterTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);


  private static ContainerRequest request(String name, String... command) {
    return Requests.request(cluster.workdirRoot(), name, TestImages.BUSYBOX, command).env("A", "b").build();
  }

  private static ContainerRuntimeException startFails(KubernetesContainerRuntime runtime, ContainerRequest request) {
    Throwable t = catchThrowable(() -> runtime.start(request, new RecordingSink()));
    assertThat(t).isInstanceOf(ContainerRuntimeException.class);
    return (ContainerRuntimeException) t;
  }

  @Test
  void serverErrorsAndThrottlingAreTriedAgain() throws Exception {
    cluster.front().failNext("POST", "/secrets$", 1, 429, "too many requests, please try again later");
    cluster.front().failNext("POST", "/pods$", 2, 503, "the server is currently unable to handle the request");
    cluster.front().failNext("DELETE", "/pods/transient-1$", 1, 500, "etcdserver: request timed out");
    long creates = cluster.front().count("POST", "/pods$");
    try (ContainerHandle h = runtime(cluster.settings()).start(request("transient-1", "echo", "ok"),
        new RecordingSink())) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
    }
    assertThat(cluster.front().count("POST", "/pods$") - creates).isEqualTo(3);
  }

  @Test
  void aResetConnectionIsTriedAgain() throws Exception {
    cluster.front().failNext("POST", "/pods$", 1, ApiServerFront.RESET);
    try (ContainerHandle h = runtime(cluster.settings()).start(request("reset-1", "echo", "ok"),
        new RecordingSink())) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
    }
  }

  @Test
  void aCreateWhoseAnswerWasLostIsRecognisedAsOurOwn() throws Exception {
    cluster.front().failNext("POST", "/pods$", 1, ApiServerFront.LOSE_ANSWER);
    cluster.front().failNext("POST", "/secrets$", 1, ApiServerFront.LOSE_ANSWER);
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime(cluster.settings()).start(request("lost-answer", "echo", "ok"), sink)) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
      assertThat(sink.texts(LogStream.STDOUT)).containsExactly("ok");
    }
  }

  @Test
  void aFailingLogEndpointIsReadAgain() throws Exception {
    cluster.front().failNext("GET", "/pods/log-fails/log$", 2, 500,
        "Get \"https://10.0.0.5:10250/containerLogs/steps/log-fails/step?follow=true\": dial tcp: i/o timeout");
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime(cluster.settings()).start(request("log-fails", "sh", "-c",
        "echo one; echo two; echo a=1 > $KARGO_OUTPUT"), sink)) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
      assertThat(sink.texts(LogStream.STDOUT)).containsExactly("one", "two");
      assertThat(h.readOutputFile(100).content()).isEqualTo("a=1\n".getBytes());
    }
  }

  @Test
  void anApiThatStaysDownIsARetryableErrorAndLeavesNothingBehind() {
    cluster.front().failNext("POST", "/pods$", 3, 503, "the server is currently unable to handle the request");
    ContainerRuntimeException e = startFails(runtime(cluster.settings().apiAttempts(3)), request("api-down", "true"));
    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessage("the Kubernetes API did not answer to create Pod api-down in namespace steps after 3 "
        + "tries: 503 ServiceUnavailable: the server is currently unable to handle the request");
  }

  @Test
  void forbiddenIsATerminalErrorThatSaysWhatWasAsked() {
    String denied = "pods is forbidden: User \"system:serviceaccount:ci:promokit\" cannot create resource \"pods\" "
        + "in API group \"\" in the namespace \"steps\"";
    cluster.front().failNext("POST", "/pods$", 1, 403, denied);
    ContainerRuntimeException e = startFails(runtime(cluster.settings()), request("forbidden", "true"));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessage("Kubernetes denied permission to create Pod forbidden in namespace steps: 403 Forbidden: "
        + denied);
  }

  @Test
  void verifyAccessPassesForAnExistingNamespaceAndAnAccountThatMayNotReadNamespaces() {
    runtime(cluster.settings()).verifyAccess();

    long listed = cluster.front().count("GET", "/namespaces/steps/pods\\?limit=1$");
    cluster.front().failNext("GET", "/namespaces/steps$", 1, 403, "namespaces \"steps\" is forbidden");
    runtime(cluster.settings()).verifyAccess();
    assertThat(cluster.front().count("GET", "/namespaces/steps/pods\\?limit=1$") - listed)
        .as("without leave to read the namespace, listing Pods checks access").isEqualTo(1);
  }

  @Test
  void verifyAccessNamesAMissingNamespace() {
    KubernetesContainerRuntime runtime = runtime(cluster.settings().namespace("nowhere"));

    assertThatThrownBy(runtime::verifyAccess)
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessage("namespace \"nowhere\" not found on the Kubernetes API server at " + cluster.front().url() + "/");
  }

  @Test
  void verifyAccessReportsDeniedPodsAndAnApiThatStaysDown() {
    String denied = "pods is forbidden: User \"ci\" cannot list resource \"pods\" in the namespace \"steps\"";
    cluster.front().failNext("GET", "/namespaces/steps$", 1, 403, "namespaces \"steps\" is forbidden");
    cluster.front().failNext("GET", "/namespaces/steps/pods$", 1, 403, denied);
    assertThatThrownBy(runtime(cluster.settings())::verifyAccess)
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessage("Kubernetes denied permission to list Pods in namespace steps: 403 Forbidden: " + denied);

    cluster.front().failNext("GET", "/namespaces/steps$", 3, 503, "the server is currently unable to handle the request");
    assertThatThrownBy(runtime(cluster.settings().apiAttempts(3))::verifyAccess)
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessage("the Kubernetes API did not answer to read namespace steps after 3 tries: 503 ServiceUnavailable:"
            + " the server is currently unable to handle the request");
  }

  @Test
  void aMissingNamespaceIsATerminalErrorThatNamesIt() {
    ContainerRuntimeException e = startFails(runtime(cluster.settings().namespace("nowhere")),
        request("no-namespace", "true"));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessage("namespace \"nowhere\" not found (asked to create Secret no-namespace-promokit in "
        + "namespace nowhere): 404 NotFound: namespaces \"nowhere\" not found");
  }

  @Test
  void aLeftoverPodWithTheSameNameIsNotTakenOverNorDeleted() {
    Pod leftover = new PodBuilder().withNewMetadata().withName("leftover-1").addToLabels(ContainerLabels.ENGINE, "old")
        .endMetadata().withNewSpec().addNewContainer().withName("step").withImage(TestImages.BUSYBOX)
        .withCommand("sleep", "600").endContainer().withRestartPolicy("Never").endSpec().build();
    cluster.direct().pods().inNamespace(KubeTestCluster.NAMESPACE).resource(leftover).create();
    try {
      ContainerRuntimeException e = startFails(runtime(cluster.settings()), request("leftover-1", "true"));
      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessage("Pod \"leftover-1\" already exists in namespace \"steps\" and was not made by this "
          + "attempt (a leftover of an engine that died? reap(engineId) or delete it)");
      assertThat(cluster.pods()).extracting(p -> p.getMetadata().getName()).containsExactly("leftover-1");
    } finally {
      cluster.kubelet().deleteBehindTheBack("leftover-1", true);
    }
  }

  @Test
  void reapTriesAgainWhenTheListFails() throws Exception {
    RecordingSink sink = new RecordingSink();
    KubernetesContainerRuntime runtime = runtime(cluster.settings());
    ContainerHandle h = runtime.start(Requests.request(cluster.workdirRoot(), "reap-retry", TestImages.BUSYBOX,
        "sh", "-c", "echo ready; sleep 600").label(ContainerLabels.ENGINE, "crashed").build(), sink);
    try {
      sink.await(l -> l.text().equals("ready"), LIMIT);
      cluster.front().failNext("GET", "/pods$", 2, 500, "etcdserver: leader changed");
      assertThat(runtime.reap("crashed")).isEqualTo(1);
    } finally {
      h.close();
    }
  }
}
