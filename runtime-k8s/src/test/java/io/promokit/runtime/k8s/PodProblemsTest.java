package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.promokit.event.LogStream;
import io.promokit.runtime.k8s.cluster.KubeTestCluster;
import io.promokit.runtime.k8s.cluster.TestImages;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.PullPolicy;
import io.promokit.spi.ResourceRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** What goes wrong before or around a step: pulls, scheduling, configuration, Pods that vanish, watches that drop. */
class PodProblemsTest extends ClusterTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  /** Long enough that a test which ends before it proves the error was reported without waiting for it. */
  private static final Duration LONG_GRACE = Duration.ofMinutes(10);


  private KubernetesContainerRuntime runtime() {
    return runtime(cluster.settings().imagePullGracePeriod(LONG_GRACE).schedulingGracePeriod(LONG_GRACE));
  }

  private static ContainerRequest.Builder request(String name, String image, String... command) {
    return Requests.request(cluster.workdirRoot(), name, image, command);
  }

  private static ContainerRuntimeException failure(ThrowingCallable await) {
    Throwable t = catchThrowable(await);
    assertThat(t).isInstanceOf(ContainerRuntimeException.class);
    return (ContainerRuntimeException) t;
  }

  // ---- images ----

  @Test
  void aMissingImageIsATerminalErrorAtOnce() throws Exception {
    String image = "promokit-k8s-test/missing:1";
    try (ContainerHandle h = runtime().start(request("pull-missing", image, "true").build(), new RecordingSink())) {
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isFalse();
      assertThat(PullFailures.eitherReason(e)).isEqualTo("image \"" + image + "\" cannot be pulled (ErrImagePull): "
          + "rpc error: code = NotFound desc = failed to pull and unpack image \"" + image + "\": failed to resolve "
          + "reference \"" + image + "\": "
          + image + ": not found");
    }
  }

  @Test
  void deniedAccessIsATerminalError() throws Exception {
    String image = "registry.example:5000/private/app:1";
    String denied = "rpc error: code = Unknown desc = failed to pull and unpack image \"" + image + "\": failed to "
        + "resolve reference \"" + image + "\": pull access denied, repository does not exist or may require "
        + "authorization: server message: insufficient_scope: authorization failed";
    cluster.kubelet().scriptPulls(image, List.of(denied));
    try (ContainerHandle h = runtime().start(request("pull-denied", image, "true").build(), new RecordingSink())) {
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isFalse();
      assertThat(PullFailures.eitherReason(e))
          .isEqualTo("image \"" + image + "\" cannot be pulled (ErrImagePull): " + denied);
    }
  }

  @Test
  void anUnreachableRegistryIsRetryableOnceTheGracePeriodIsOver() throws Exception {
    String image = TestImages.STEP;
    String refused = "rpc error: code = Unknown desc = failed to pull and unpack image \"" + image + "\": failed to "
        + "do request: Head \"https://registry.example/v2/\": dial tcp 10.1.2.3:443: connect: connection refused";
    cluster.kubelet().scriptPulls(image, Collections.nCopies(1000, refused));
    RecordingSink sink = new RecordingSink();
    KubernetesContainerRuntime runtime = runtime(cluster.settings().imagePullGracePeriod(Duration.ofSeconds(1)));
    try (ContainerHandle h = runtime.start(request("pull-unreachable", image, "true").build(), sink)) {
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isTrue();
      assertThat(e.getMessage()).matches("image \"" + image + "\" could not be pulled for 1 s "
          + "\\((ErrImagePull|ImagePullBackOff)\\): .*connection refused");
      assertThat(sink.texts(LogStream.INFO)).anySatisfy(line -> assertThat(line)
          .startsWith("Pod pull-unreachable: image \"" + image + "\" cannot be pulled yet (ErrImagePull): "));
    } finally {
      cluster.kubelet().scriptPulls(image, List.of());
    }
  }

  @Test
  void aRegistryThatRecoversWithinTheGracePeriodCostsNothing() throws Exception {
    String image = TestImages.STEP;
    cluster.kubelet().scriptPulls(image, List.of("rpc error: code = Unknown desc = unexpected status from GET "
        + "request: 503 Service Unavailable", "rpc error: code = Unknown desc = unexpected status from GET "
        + "request: 503 Service Unavailable"));
    try (ContainerHandle h = runtime().start(request("pull-recovers", image, "echo", "pulled").build(),
        new RecordingSink())) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
    } finally {
      cluster.kubelet().scriptPulls(image, List.of());
    }
  }

  @Test
  void anInvalidImageNameIsATerminalError() throws Exception {
    try (ContainerHandle h = runtime().start(request("pull-invalid", "Promokit/Upper:1", "true").build(),
        new RecordingSink())) {
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isFalse();
      assertThat(e).hasMessage("image \"Promokit/Upper:1\" is not a valid image reference (InvalidImageName): "
          + "Failed to apply default image tag \"Promokit/Upper:1\": couldn't parse image reference "
          + "\"Promokit/Upper:1\": invalid reference format");
    }
  }

  @Test
  void aMissingImageWithPullPolicyNeverIsATerminalError() throws Exception {
    String image = "promokit-k8s-test/not-here:1";
    try (ContainerHandle h = runtime().start(request("pull-never", image, "true").pullPolicy(PullPolicy.NEVER)
        .build(), new RecordingSink())) {
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isFalse();
      assertThat(e).hasMessage("image \"" + image + "\" cannot be pulled (ErrImageNeverPull): Container image \""
          + image + "\" is not present with pull policy of Never");
    }
  }

  @Test
  void aMissingHelperImageIsNamedAsTheHelper() throws Exception {
    KubernetesContainerRuntime runtime = runtime(cluster.settings().helperImage("promokit-k8s-test/no-helper:1")
        .imagePullGracePeriod(LONG_GRACE));
    try (ContainerHandle h = runtime.start(request("helper-missing", TestImages.BUSYBOX, "true").build(),
        new RecordingSink())) {
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isFalse();
      assertThat(PullFailures.eitherReason(e)).startsWith("the helper image \"promokit-k8s-test/no-helper:1\" cannot "
          + "be pulled (ErrImagePull): rpc error: code = NotFound");
    }
  }

  @Test
  void aHelperImageWithoutTheHelperBinaryFailsTheInitContainer() throws Exception {
    KubernetesContainerRuntime runtime = runtime(cluster.settings().helperBinary("/bin/no-busybox"));
    try (ContainerHandle h = runtime.start(request("helper-binary", TestImages.BUSYBOX, "true").build(),
        new RecordingSink())) {
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isFalse();
      assertThat(e.getMessage()).startsWith("the helper init container of Pod helper-binary (image \""
          + TestImages.BUSYBOX + "\") failed with exit code 127 (Error): ").contains("/bin/no-busybox");
    }
  }

  // ---- scheduling ----

  @Test
  void anUnschedulablePodIsReportedAtOnceAndFailsRetryablyAfterTheGracePeriod() throws Exception {
    RecordingSink sink = new RecordingSink();
    KubernetesContainerRuntime runtime = runtime(cluster.settings().nodeSelector(Map.of("pool", "gpu"))
        .schedulingGracePeriod(Duration.ofSeconds(1)));
    String scheduler = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: "
        + "0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
    try (ContainerHandle h = runtime.start(request("unschedulable", TestImages.BUSYBOX, "true").build(), sink)) {
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessage("Pod unschedulable could not be scheduled for 1 s: " + scheduler);
      assertThat(sink.texts(LogStream.INFO)).contains("Pod unschedulable cannot be scheduled yet: " + scheduler);
    }
  }

  @Test
  void insufficientMemoryAndAMissingClaimAreTheSchedulersWords() throws Exception {
    KubernetesContainerRuntime runtime = runtime(cluster.settings().schedulingGracePeriod(Duration.ZERO));
    try (ContainerHandle h = runtime.start(request("too-big", TestImages.BUSYBOX, "true")
        .resources(new ResourceRequirements(Map.of("memory", "64Gi"), Map.of())).build(), new RecordingSink())) {
      assertThat(failure(() -> h.await(LIMIT))).hasMessageStartingWith("Pod too-big could not be scheduled for 0 s: "
          + "0/1 nodes are available: 1 Insufficient memory.");
    }
    KubernetesContainerRuntime noClaim = runtime(KubernetesRuntimeSettings.builder()
        .namespace(KubeTestCluster.NAMESPACE).workdirClaim("no-such-claim").helperImage(TestImages.BUSYBOX)
        .schedulingGracePeriod(Duration.ZERO));
    try (ContainerHandle h = noClaim.start(request("no-claim", TestImages.BUSYBOX, "true").build(),
        new RecordingSink())) {
      assertThat(failure(() -> h.await(LIMIT))).hasMessageStartingWith("Pod no-claim could not be scheduled for 0 s: "
          + "0/1 nodes are available: persistentvolumeclaim \"no-such-claim\" not found.");
    }
  }

  @Test
  void tolerationsFromTheSettingsLetPodsOntoTaintedNodes() throws Exception {
    cluster.kubelet().taint("dedicated", "promokit");
    try {
      KubernetesContainerRuntime tolerant = runtime(cluster.settings().tolerations(List.of(new TolerationBuilder()
          .withKey("dedicated").withOperator("Equal").withValue("promokit").withEffect("NoSchedule").build())));
      try (ContainerHandle h = tolerant.start(request("tolerant", TestImages.BUSYBOX, "true").build(),
          new RecordingSink())) {
        assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
      }
      KubernetesContainerRuntime intolerant = runtime(cluster.settings().schedulingGracePeriod(Duration.ZERO));
      try (ContainerHandle h = intolerant.start(request("intolerant", TestImages.BUSYBOX, "true").build(),
          new RecordingSink())) {
        assertThat(failure(() -> h.await(LIMIT))).hasMessageContaining("1 node(s) had untolerated taint "
            + "{dedicated: promokit}");
      }
    } finally {
      cluster.kubelet().untaint("dedicated");
    }
  }

  // ---- configuration ----

  @Test
  void aContainerThatCannotBeConfiguredIsATerminalError() throws Exception {
    cluster.kubelet().hold("config-error");
    try (ContainerHandle h = runtime().start(request("config-error", TestImages.BUSYBOX, "true")
        .env("A", "b").build(), new RecordingSink())) {
      cluster.kubelet().awaitHeld("config-error");
      cluster.direct().secrets().inNamespace(KubeTestCluster.NAMESPACE).withName("config-error-promokit").delete();
      cluster.kubelet().release("config-error");
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isFalse();
      assertThat(e).hasMessage("the step container of Pod config-error cannot be created (CreateContainerConfigError): "
          + "secret \"config-error-promokit\" not found");
    }
  }

  // ---- Pods that vanish ----

  @Test
  void aPodDeletedBehindTheRuntimesBackIsARetryableError() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime().start(request("deleted-force", TestImages.BUSYBOX, "sh", "-c",
        "echo ready; sleep 600").build(), sink)) {
      sink.await(l -> l.text().equals("ready"), LIMIT);
      cluster.kubelet().deleteBehindTheBack("deleted-force", true);
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessage("the Pod deleted-force disappeared: it was deleted, not by promokit, before the step "
          + "ended");
    }
  }

  @Test
  void aPodBeingDeletedBySomeoneElseIsReportedBeforeItIsGone() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime().start(request("deleted-graceful", TestImages.BUSYBOX, "sh", "-c",
        "echo ready; sleep 600").build(), sink)) {
      sink.await(l -> l.text().equals("ready"), LIMIT);
      cluster.kubelet().deleteBehindTheBack("deleted-graceful", false);
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessage("the Pod deleted-graceful disappeared: it is being deleted, not by promokit, before "
          + "the step ended");
    }
  }

  @Test
  void anEvictedPodIsARetryableError() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime().start(request("evicted", TestImages.BUSYBOX, "sh", "-c",
        "echo ready; sleep 600").build(), sink)) {
      sink.await(l -> l.text().equals("ready"), LIMIT);
      cluster.kubelet().evict("evicted", "The node was low on resource: memory.");
      ContainerRuntimeException e = failure(() -> h.await(LIMIT));
      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessage("Pod evicted failed before its step ended (Evicted): The node was low on resource: "
          + "memory.");
    }
  }

  // ---- events ----

  @Test
  void warningEventsOfThePodReachTheSinkAsInfoLines() throws Exception {
    RecordingSink sink = new RecordingSink();
    Path workdir = Files.createDirectories(cluster.workdirRoot().resolve("promo-events"));
    try (ContainerHandle h = runtime().start(request("events", TestImages.BUSYBOX, "sh", "-c",
        "echo ready; while [ ! -f go ]; do sleep 0.1; done").build(), sink)) {
      sink.await(l -> l.text().equals("ready"), LIMIT);
      String uid = cluster.direct().pods().inNamespace(KubeTestCluster.NAMESPACE).withName("events").get()
          .getMetadata().getUid();
      postEvent("events", "an-older-pod-of-that-name", "FailedMount", "not about this Pod");
      postEvent("events", uid, "FailedMount", "MountVolume.SetUp failed for volume \"cache\" : nfs: server is "
          + "not responding");
      sink.await(l -> l.stream() == LogStream.INFO && l.text().contains("nfs"), LIMIT);
      Files.writeString(workdir.resolve("go"), "");
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
    }
    assertThat(sink.texts(LogStream.INFO)).containsExactly("Pod events: FailedMount: MountVolume.SetUp failed for "
        + "volume \"cache\" : nfs: server is not responding");
  }

  private static void postEvent(String pod, String uid, String reason, String message) {
    cluster.direct().v1().events().inNamespace(KubeTestCluster.NAMESPACE).resource(new EventBuilder()
        .withNewMetadata().withGenerateName(pod + ".").endMetadata()
        .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(KubeTestCluster.NAMESPACE).withUid(uid)
        .endInvolvedObject()
        .withType("Warning").withReason(reason).withMessage(message)
        .build()).create();
  }

  // ---- dropped connections ----

  @Test
  void droppedWatchesAndLogStreamsAreReestablishedWithoutLosingOrRepeatingLines() throws Exception {
    RecordingSink sink = new RecordingSink();
    Path workdir = Files.createDirectories(cluster.workdirRoot().resolve("promo-dropped"));
    String watchOfPod = "fieldSelector=metadata.name%3Ddropped.*watch=true";
    try (ContainerHandle h = runtime().start(request("dropped", TestImages.BUSYBOX, "sh", "-c",
        "seq 1 50 | sed s/^/a/; seq 1 5 | sed s/^/e/ >&2; while [ ! -f go ]; do sleep 0.1; done; seq 1 50 | sed s/^/b/").build(),
        sink)) {
      sink.await(l -> l.text().equals("a50"), LIMIT);
      sink.await(l -> l.text().equals("e5"), LIMIT);
      long watches = cluster.front().count("GET", watchOfPod);
      long logs = cluster.front().count("GET", "/pods/dropped/log");
      cluster.front().dropConnections();
      awaitTrue(() -> cluster.front().count("GET", watchOfPod) > watches, "the Pod watch is re-established");
      awaitTrue(() -> cluster.front().count("GET", "/pods/dropped/log") > logs, "the log is followed again");
      Files.writeString(workdir.resolve("go"), "");
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
    }
    List<String> expected = new ArrayList<>();
    IntStream.rangeClosed(1, 50).forEach(i -> expected.add("a" + i));
    IntStream.rangeClosed(1, 50).forEach(i -> expected.add("b" + i));
    assertThat(sink.texts(LogStream.STDOUT)).containsExactlyElementsOf(expected);
    assertThat(sink.texts(LogStream.STDERR)).containsExactly("e1", "e2", "e3", "e4", "e5");
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    await(what).atMost(LIMIT).until(condition::getAsBoolean);
  }
}
