package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.promokit.event.LogStream;
import io.promokit.runtime.k8s.cluster.Docker;
import io.promokit.runtime.k8s.cluster.KubeTestCluster;
import io.promokit.runtime.k8s.cluster.RequiresDocker;
import io.promokit.runtime.k8s.cluster.TestImages;
import io.promokit.spi.CapturedFile;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerFile;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.ManagedContainer;
import io.promokit.spi.ResourceRequirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Steps that run: output, logs, workdir, env and files, memory, stop, clean-up. */
@ExtendWith(RequiresDocker.class)
class RunningStepPodsTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  private static KubeTestCluster cluster;
  private static KubernetesContainerRuntime runtime;

  @BeforeAll
  static void startCluster() {
    Docker.assumeAvailable();
    cluster = KubeTestCluster.start();
    runtime = KubernetesContainerRuntime.create(cluster.client(), cluster.settings().build());
  }

  @AfterAll
  static void stopCluster() {
    if (runtime != null) {
      runtime.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void everyPodAndSecretIsGone() throws InterruptedException {
    cluster.assertNothingLeft();
  }

  private static void awaitGone(String pod) {
    await("Pod " + pod + " gone").atMost(Duration.ofSeconds(30))
        .until(() -> cluster.pods().stream().noneMatch(p -> p.getMetadata().getName().equals(pod)));
  }

  private static ContainerRequest.Builder request(String name, String... command) {
    return Requests.request(cluster.workdirRoot(), name, TestImages.BUSYBOX, command);
  }

  @Test
  void stdoutAndStderrArriveApartAndTheExitCodeComesFromTheContainer() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime.start(request("exit-3", "sh", "-c",
        "echo one; echo two >&2; echo three; printf 'no newline'; exit 3").build(), sink)) {
      ContainerExit exit = h.await(LIMIT).orElseThrow();
      assertThat(exit.exitCode()).isEqualTo(3);
      assertThat(exit.oomKilled()).isFalse();
      assertThat(exit.reason()).isEqualTo("Error");
      assertThat(h.id()).isEqualTo("exit-3");
      assertThat(sink.texts(LogStream.STDOUT)).containsExactly("one", "three", "no newline");
      assertThat(sink.texts(LogStream.STDERR)).containsExactly("two");
      assertThat(h.readOutputFile(100).content()).isEmpty();
    }
  }

  @Test
  void theOutputFileComesBackWholeUpToTheOutputLimit() throws Exception {
    // 2 MiB of random bytes: more than the engine keeps, which a transform may shrink to what it keeps;
    // the step also leaves a copy in the workdir
    try (ContainerHandle h = runtime.start(request("output-2m", "sh", "-c",
        "head -c 2097152 /dev/urandom > \"$KARGO_OUTPUT\"; cp \"$KARGO_OUTPUT\" copy.bin").build(),
        new RecordingSink())) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
      CapturedFile file = h.readOutputFile(16 * 1024 * 1024);
      assertThat(file.size()).isEqualTo(2 * 1024 * 1024);
      assertThat(file.truncated()).isFalse();
      assertThat(file.content()).isEqualTo(Files.readAllBytes(cluster.workdirRoot().resolve("promo-output-2m/copy.bin")));
      assertThat(h.readOutputFile(10).content()).hasSize(10);
    }
  }

  @Test
  void anOutputFileOverTheCaptureLimitIsReportedTruncatedWithItsSize() throws Exception {
    int limit = 256 * 1024;
    try (KubernetesContainerRuntime small = KubernetesContainerRuntime.create(cluster.client(),
            cluster.settings().outputCaptureLimit(limit).build());
        ContainerHandle h = small.start(request("output-big", "sh", "-c",
            "head -c 300000 /dev/zero > \"$KARGO_OUTPUT\"").build(), new RecordingSink())) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
      CapturedFile file = h.readOutputFile(16 * 1024 * 1024);
      assertThat(file.size()).isEqualTo(300_000);
      assertThat(file.content()).hasSize(limit);
      assertThat(file.truncated()).isTrue();
    }
  }

  @Test
  void anImageWithoutAShellRunsAndReportsItsOutput() throws Exception {
    assertThat(Docker.run(List.of("run", "--rm", TestImages.DISTROLESS, "sh", "-c", "true"), 60).ok())
        .as("the distroless test image has no shell").isFalse();
    Path workdir = Files.createDirectories(cluster.workdirRoot().resolve("promo-distroless-1"));
    Files.writeString(workdir.resolve("result.json"), "{\"version\": \"1.2.3\"}");
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime.start(Requests.request(cluster.workdirRoot(), "distroless-1",
        TestImages.DISTROLESS, "cp", "result.json", PodLayout.OUTPUT_FILE).build(), sink)) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
      assertThat(new String(h.readOutputFile(1000).content(), StandardCharsets.UTF_8))
          .isEqualTo("{\"version\": \"1.2.3\"}");
    }
    RecordingSink failing = new RecordingSink();
    try (ContainerHandle h = runtime.start(Requests.request(cluster.workdirRoot(), "distroless-2",
        TestImages.DISTROLESS, "cat", "missing.txt").build(), failing)) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isEqualTo(1);
      assertThat(failing.texts(LogStream.STDERR)).containsExactly("cat: can't open 'missing.txt': No such file or directory");
    }
  }

  @Test
  void aCommandMissingFromTheImageExitsWith127AndSaysSo() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime.start(Requests.request(cluster.workdirRoot(), "missing-cmd",
        TestImages.DISTROLESS, "sh", "-c", "echo hi").build(), sink)) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isEqualTo(127);
      assertThat(sink.texts(LogStream.STDERR)).containsExactly("promokit: sh: command not found in PATH");
    }
  }

  @Test
  void theHostAndTheStepShareTheWorkdirThroughFsGroup() throws Exception {
    Path workdir = cluster.workdirRoot().resolve("promo-shared-1");
    Files.createDirectories(workdir);
    Files.setPosixFilePermissions(workdir, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(workdir.resolve("from-host.txt"), "host wrote this\n");
    Files.setPosixFilePermissions(workdir.resolve("from-host.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime.start(request("shared-1", "sh", "-c",
        "id -u; cat from-host.txt; echo step added >> from-host.txt && echo step wrote this > from-step.txt").build(),
        sink)) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).as(sink.lines().toString()).isZero();
    }
    assertThat(sink.texts(LogStream.STDOUT)).containsExactly("65532", "host wrote this");
    assertThat(Files.readString(workdir.resolve("from-host.txt"))).isEqualTo("host wrote this\nstep added\n");
    assertThat(Files.readString(workdir.resolve("from-step.txt"))).isEqualTo("step wrote this\n");
    assertThat(Files.getAttribute(workdir.resolve("from-step.txt"), "unix:uid")).isEqualTo(65532);
    // and the host may change what the step wrote
    Files.writeString(workdir.resolve("from-step.txt"), "host changed it\n");
  }

  @Test
  void envValuesAndArgvArriveAsGivenWithoutKubernetesExpansion() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime.start(request("env-1", "sh", "-c",
        "echo \"$GREETING\"; echo \"$PRICE\"; echo \"$1\"", "ignored", "$(GREETING) costs $$5")
        .env(Map.of("GREETING", "hello world", "PRICE", "$(GREETING) $$")).build(), sink)) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
    }
    assertThat(sink.texts(LogStream.STDOUT)).containsExactly("hello world", "$(GREETING) $$", "$(GREETING) costs $$5");
  }

  @Test
  void envValuesStayOutOfThePodSpecAndFilesAreInPromokitFiles() throws Exception {
    RecordingSink sink = new RecordingSink();
    ContainerRequest req = request("files-1", "sh", "-c",
        "cat \"$KUBECONFIG\"; echo \"$PROMOKIT_FILES\"; sleep 2")
        .env("KUBECONFIG", "$(PROMOKIT_FILES)/kubeconfig")
        .env("TOKEN", "t0ps3cret")
        .file(new ContainerFile("kubeconfig", "apiVersion: v1\nkind: Config\n".getBytes(StandardCharsets.UTF_8)))
        .build();
    try (ContainerHandle h = runtime.start(req, sink)) {
      sink.await(l -> l.text().equals("kind: Config"), LIMIT);
      Pod pod = cluster.direct().pods().inNamespace(KubeTestCluster.NAMESPACE).withName("files-1").get();
      assertThat(Serialization.asYaml(pod)).doesNotContain("t0ps3cret");
      assertThat(cluster.secrets()).singleElement().satisfies(s -> {
        assertThat(s.getMetadata().getName()).isEqualTo("files-1-promokit");
        assertThat(s.getMetadata().getLabels()).containsEntry(ContainerLabels.ENGINE, Requests.ENGINE);
        assertThat(s.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(o -> assertThat(o.getName()).isEqualTo("files-1"));
      });
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
    }
    assertThat(sink.texts(LogStream.STDOUT)).containsExactly("apiVersion: v1", "kind: Config", "/promokit-files");
  }

  @Test
  void linesArriveWhileThePodRuns() throws Exception {
    RecordingSink sink = new RecordingSink();
    Path workdir = Files.createDirectories(cluster.workdirRoot().resolve("promo-stream-1"));
    try (ContainerHandle h = runtime.start(request("stream-1", "sh", "-c",
        "echo waiting; while [ ! -f go ]; do sleep 0.1; done; echo done").build(), sink)) {
      sink.await(l -> l.text().equals("waiting"), LIMIT);
      assertThat(h.await(Duration.ZERO)).isEmpty();
      Files.writeString(workdir.resolve("go"), "");
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
    }
    assertThat(sink.texts(LogStream.STDOUT)).containsExactly("waiting", "done");
  }

  @Test
  void aStepOverItsMemoryLimitIsOomKilled() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime.start(request("oom-1", "sh", "-c",
        "echo filling; x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived")
        .resources(new ResourceRequirements(Map.of(), Map.of("memory", "24Mi"))).build(), sink)) {
      ContainerExit exit = h.await(LIMIT).orElseThrow();
      assertThat(exit.oomKilled()).isTrue();
      assertThat(exit.reason()).isEqualTo("OOMKilled");
      assertThat(exit.exitCode()).isEqualTo(137);
      assertThat(sink.texts(LogStream.STDOUT)).containsExactly("filling");
    }
  }

  @Test
  void stopGivesTheStepSigtermAndItsGracePeriod() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime.start(request("stop-term", "sh", "-c",
        "trap 'echo got TERM; exit 5' TERM; echo ready; while true; do sleep 0.1; done")
        .gracePeriod(Duration.ofSeconds(20)).build(), sink)) {
      sink.await(l -> l.text().equals("ready"), LIMIT);
      h.stop(Duration.ofSeconds(20));
      assertThat(cluster.pods()).isEmpty();
      ContainerExit exit = h.await(LIMIT).orElseThrow();
      assertThat(exit.exitCode()).isEqualTo(5);
      assertThat(sink.texts(LogStream.STDOUT)).containsExactly("ready", "got TERM");
    }
  }

  @Test
  void stopKillsAStepThatIgnoresSigtermOnceTheGracePeriodIsOver() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime.start(request("stop-kill", "sh", "-c",
        "trap '' TERM; echo ready; while true; do sleep 0.1; done").build(), sink)) {
      sink.await(l -> l.text().equals("ready"), LIMIT);
      h.stop(Duration.ofSeconds(1));
      assertThat(cluster.pods()).isEmpty();
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isEqualTo(137);
      h.stop(Duration.ofSeconds(1)); // again: harmless
    }
  }

  @Test
  void closeRemovesThePodAndSecretWhileTheStepRuns() throws Exception {
    RecordingSink sink = new RecordingSink();
    ContainerHandle h = runtime.start(request("close-running", "sh", "-c", "echo ready; sleep 600")
        .env("A", "b").build(), sink);
    sink.await(l -> l.text().equals("ready"), LIMIT);
    assertThat(cluster.secrets()).hasSize(1);
    h.close();
    h.close();
    assertThatThrownBy(() -> h.await(Duration.ZERO)).hasMessage("the handle of Pod close-running was closed");
    assertThatThrownBy(() -> h.readOutputFile(10)).isInstanceOf(IOException.class);
  }

  @Test
  void reapDeletesWhatADeadEngineLeftAndNothingElse() throws Exception {
    RecordingSink sink = new RecordingSink();
    ContainerHandle dead = runtime.start(request("reap-dead", "sh", "-c", "echo ready; sleep 600")
        .label(ContainerLabels.ENGINE, "dead-engine").env("A", "b").build(), sink);
    RecordingSink aliveSink = new RecordingSink();
    try (ContainerHandle alive = runtime.start(request("reap-alive", "sh", "-c", "echo ready; sleep 600")
        .label(ContainerLabels.ENGINE, "live-engine").build(), aliveSink)) {
      sink.await(l -> l.text().equals("ready"), LIMIT);
      aliveSink.await(l -> l.text().equals("ready"), LIMIT);
      // the dead engine's handle is abandoned, as when its host crashed
      assertThat(runtime.reap("dead-engine")).isEqualTo(1);
      assertThat(cluster.secrets()).isEmpty();
      // the Pod is deleted; its node still has to stop its container before it is gone
      assertThat(cluster.pods()).filteredOn(p -> p.getMetadata().getDeletionTimestamp() == null)
          .extracting(p -> p.getMetadata().getName()).containsExactly("reap-alive");
      awaitGone("reap-dead");
      assertThat(runtime.reap("nobody")).isZero();
    } finally {
      dead.close();
    }
  }

  @Test
  void listsAndReapsPodsByEngineAndAgeForReap() throws Exception {
    RecordingSink oldSink = new RecordingSink();
    ContainerHandle old = runtime.start(request("list-old", "sh", "-c", "echo ready; sleep 600")
        .label(ContainerLabels.ENGINE, "old-engine").env("A", "b").build(), oldSink);
    RecordingSink newSink = new RecordingSink();
    try (ContainerHandle recent = runtime.start(request("list-new", "sh", "-c", "echo ready; sleep 600")
        .label(ContainerLabels.ENGINE, "new-engine").build(), newSink)) {
      oldSink.await(l -> l.text().equals("ready"), LIMIT);
      newSink.await(l -> l.text().equals("ready"), LIMIT);

      assertThat(runtime.list(ContainerSelector.all())).extracting(ManagedContainer::id)
          .containsExactlyInAnyOrder("list-old", "list-new");
      assertThat(runtime.list(ContainerSelector.engine("old-engine"))).singleElement().satisfies(c -> {
        assertThat(c.id()).isEqualTo("list-old");
        assertThat(c.engineId()).contains("old-engine");
        assertThat(c.running()).isTrue();
        assertThat(c.created()).isBefore(java.time.Instant.now().plusSeconds(60));
      });
      assertThat(runtime.list(ContainerSelector.all().createdBefore(java.time.Instant.now().minusSeconds(3600))))
          .as("none is an hour old").isEmpty();
      assertThat(runtime.reap(ContainerSelector.all().createdBefore(java.time.Instant.now().minusSeconds(3600))))
          .isZero();

      assertThat(runtime.reap(ContainerSelector.engine("old-engine")
          .createdBefore(java.time.Instant.now().plusSeconds(60)))).isEqualTo(1);
      assertThat(cluster.secrets()).isEmpty();
      awaitGone("list-old");
      assertThat(runtime.list(ContainerSelector.all())).extracting(ManagedContainer::id).containsExactly("list-new");
    } finally {
      old.close();
    }
  }

  @Test
  void theStepRunsHardenedAsThePodSpecSays() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime.start(request("hardened", "sh", "-c", String.join("; ",
        "id -u; id -g",
        "grep -E '^(CapEff|NoNewPrivs):' /proc/self/status | tr -s '\\t' ' '",
        "touch /root-file 2>/dev/null && echo root-writable || echo root-read-only",
        "echo hello > /tmp/file && cat /tmp/file",
        "echo home=$HOME",
        "df -k /tmp | tail -n 1 | awk '{print \"tmp-kib=\" $2}'",
        "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\\n' ' '; echo")).build(), sink)) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).as("%s", sink.texts(LogStream.STDERR)).isZero();
    }
    assertThat(sink.texts(LogStream.STDOUT)).containsExactly("65532", "65532", "CapEff: 0000000000000000",
        "NoNewPrivs: 1", "root-read-only", "hello", "home=/tmp", "tmp-kib=131072", "eth0 lo ");
  }

  @Test
  void aDefinitionWithoutNetworkGetsAPolicyThatCutsItOff() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (ContainerHandle h = runtime.start(request("no-network", "sh", "-c",
        "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '").network(io.promokit.spi.ContainerNetwork.NONE).build(),
        sink)) {
      assertThat(h.await(LIMIT).orElseThrow().exitCode()).isZero();
    }
    assertThat(sink.texts(LogStream.STDOUT)).containsExactly("lo");
    var policy = cluster.client().network().v1().networkPolicies().inNamespace(runtime.namespace())
        .withName(PodLayout.NO_NETWORK_POLICY).get();
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsExactly(Map.entry("promokit.io/network", "none"));
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).isEmpty();
    assertThat(policy.getSpec().getEgress()).isEmpty();
  }
}
