package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.promokit.CustomStepDefinition;
import io.promokit.documents.DocumentSet;
import io.promokit.PromotionContext;
import io.promokit.documents.PromotionDocuments;
import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionEngine;
import io.promokit.PromotionSequence;
import io.promokit.records.StepRecord;
import io.promokit.StepRegistry;
import io.promokit.runtime.k8s.cluster.Docker;
import io.promokit.runtime.k8s.cluster.KubeTestCluster;
import io.promokit.runtime.k8s.cluster.RequiresDocker;
import io.promokit.runtime.k8s.cluster.TestImages;
import io.promokit.spi.ContainerLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole path for a container step on Kubernetes: the seed's {@code sleep} definition and template from
 * {@code examples/}, loaded as the CLI loads them, run by {@link PromotionSequence} in Pods on the mock API
 * server and the fake kubelet. Only the image changes (the seed's {@code ubuntu} cannot be pulled here).
 * Prints the Pod spec the runtime created for the first step.
 */
@ExtendWith(RequiresDocker.class)
class SeedSleepPromotionTest {

  private static final Path EXAMPLES = Path.of("..", "examples", "custom-steps");

  private static KubeTestCluster cluster;

  @BeforeAll
  static void startCluster() {
    Docker.assumeAvailable();
    cluster = KubeTestCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theSeedSleepTemplateRunsInPodsAndRecordsWhatRan() throws Exception {
    DocumentSet documents = PromotionDocuments.load(EXAMPLES.resolve("steps"))
        .merge(PromotionDocuments.load(EXAMPLES.resolve("sleep-template.yaml")));
    StepRegistry.Builder registry = StepRegistry.builder().withBuiltins();
    for (CustomStepDefinition step : documents.customSteps()) {
      registry.replace(step.toBuilder().image(TestImages.BUSYBOX).build());
    }
    Path workdir = Files.createDirectory(cluster.workdirRoot().resolve("deploy-7f3a"));
    List<Pod> created = new CopyOnWriteArrayList<>();

    PromotionRecord record;
    try (KubernetesContainerRuntime runtime = KubernetesContainerRuntime.create(cluster.client(),
            cluster.settings().build());
        Watch watch = cluster.direct().pods().inNamespace(KubeTestCluster.NAMESPACE).watch(collectAdded(created));
        PromotionEngine engine = PromotionEngine.builder()
            .registry(registry.build())
            .containerRuntime(runtime)
            .engineId("engine-1")
            .build()) {
      record = engine.sequence(documents.singleTemplate(), documents.taskCatalog())
          .context(PromotionContext.builder().project("shop").stage("prod").promotion("deploy-7f3a").build())
          .workdir(workdir)
          .build()
          .run();
    }

    assertThat(record.phase()).as(record.message()).isEqualTo(PromotionPhase.SUCCEEDED);
    StepRecord first = record.step("my-sleep-step").orElseThrow();
    assertThat(first.outputs()).isEqualTo(Map.of("slept", "1"));
    assertThat(first.container().runtime()).isEqualTo("kubernetes");
    assertThat(first.container().exitCode()).isZero();
    // <promotion>-<alias>-a<attempt>-<hash of the three>: deterministic, a valid DNS label
    assertThat(first.container().containerId()).matches("deploy-7f3a-my-sleep-step-a1-[0-9a-f]{6}");
    assertThat(record.step("short-sleep").map(StepRecord::outputs)).contains(Map.of("slept", "1"));

    assertThat(created).extracting(p -> p.getMetadata().getName())
        .containsExactly(first.container().containerId(), record.step("short-sleep").orElseThrow().container().containerId());
    Pod pod = created.get(0);
    System.out.println("The Pod of the seed's sleep step (my-sleep-step):\n" + Serialization.asYaml(pod));
    assertThat(pod.getMetadata().getLabels()).containsEntry(ContainerLabels.ENGINE, "engine-1")
        .containsEntry(ContainerLabels.PROMOTION, "deploy-7f3a").containsEntry(ContainerLabels.STEP, "my-sleep-step")
        .containsEntry(ContainerLabels.ATTEMPT, "1");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    Container step = pod.getSpec().getContainers().get(0);
    assertThat(step.getArgs()).containsExactly("sh", "-c",
        "sleep 1 && echo slept=1 >> \"$KARGO_OUTPUT\"");
    assertThat(step.getEnv()).extracting(EnvVar::getName).contains("KARGO_OUTPUT", "PROMOKIT_STEP_ALIAS");
    // Every value of the request comes from the Secret; the Pod spec itself sets only the runtime's own.
    assertThat(step.getEnv()).filteredOn(e -> !e.getName().equals("KARGO_OUTPUT") && !e.getName().equals("HOME"))
        .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef()).isNotNull());
    assertThat(RestrictedPodSecurity.violations(pod)).isEmpty();
    assertThat(step.getVolumeMounts()).anySatisfy(m -> assertThat(m.getSubPath()).isEqualTo("deploy-7f3a"));

    cluster.assertNothingLeft();
  }

  private static Watcher<Pod> collectAdded(List<Pod> created) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (action == Action.ADDED) {
          created.add(pod);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // closed by the test
      }
    };
  }
}
