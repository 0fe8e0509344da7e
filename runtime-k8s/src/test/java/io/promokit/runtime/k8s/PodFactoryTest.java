package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.promokit.runtime.k8s.cluster.KubeletExpansion;
import io.promokit.spi.ContainerFile;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.PullPolicy;
import io.promokit.spi.ResourceRequirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodFactoryTest {
  private static final Path ROOT = Path.of("/var/lib/promokit");
  private static final StepWrapper WRAPPER = new StepWrapper("k3y5q8w1m2n4b6v7", 1024 * 1024);

  private static KubernetesRuntimeSettings.Builder settings() {
    return KubernetesRuntimeSettings.builder().namespace("promotions").workdirClaim("promokit-workdir", ROOT);
  }

  /** The seed's sleep example, as the engine asks for it. */
  static ContainerRequest sleepExample() {
    return ContainerRequest.builder()
        .name("deploy-7f3a-sleep-1")
        .image("ubuntu")
        .command(List.of("sh", "-c", "sleep 10"))
        .workdir(ROOT.resolve("deploy-7f3a"))
        .env(Map.of("PROMOKIT_STEP_ALIAS", "sleep"))
        .label(ContainerLabels.ENGINE, "engine-1")
        .label(ContainerLabels.PROMOTION, "deploy-7f3a")
        .label(ContainerLabels.STEP, "sleep")
        .label(ContainerLabels.ATTEMPT, "1")
        .label(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE)
        .build();
  }

  private static PodFactory.PodObjects build(KubernetesRuntimeSettings settings, ContainerRequest request) {
    Optional<String> subPath = KubernetesContainerHandle.subPath(settings, request);
    return new PodFactory(settings, "promotions").build(request, WRAPPER, subPath);
  }

  private static Container step(Pod pod) {
    return pod.getSpec().getContainers().get(0);
  }

  @Test
  void sleepExampleBecomesOnePodThatRunsTheArgvUnderTheHelper() {
    Pod pod = build(settings().build(), sleepExample()).pod();

    assertThat(pod.getMetadata().getName()).isEqualTo("deploy-7f3a-sleep-1");
    assertThat(pod.getMetadata().getNamespace()).isEqualTo("promotions");
    assertThat(pod.getMetadata().getLabels()).containsEntry(ContainerLabels.ENGINE, "engine-1")
        .containsEntry(ContainerLabels.PROMOTION, "deploy-7f3a").containsEntry(ContainerLabels.STEP, "sleep")
        .containsEntry(ContainerLabels.ATTEMPT, "1").containsEntry(ContainerLabels.MANAGED_BY, "promokit");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry(PodLayout.ATTEMPT_ID_ANNOTATION, WRAPPER.id());
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(10L);
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();

    Container init = pod.getSpec().getInitContainers().get(0);
    assertThat(init.getImage()).isEqualTo(KubernetesRuntimeSettings.DEFAULT_HELPER_IMAGE);
    assertThat(init.getCommand()).containsExactly("/bin/busybox", "cp", "/bin/busybox", "/promokit/busybox");

    Container step = step(pod);
    assertThat(step.getImage()).isEqualTo("ubuntu");
    assertThat(step.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(step.getCommand()).hasSize(5).startsWith("/promokit/busybox", "sh", "-c").endsWith("promokit");
    assertThat(step.getArgs()).containsExactly("sh", "-c", "sleep 10");
    assertThat(step.getWorkingDir()).isEqualTo("/workspace");
    assertThat(step.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/workspace");
      assertThat(m.getSubPath()).isEqualTo("deploy-7f3a");
    });
    assertThat(pod.getSpec().getVolumes()).anySatisfy(v ->
        assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("promokit-workdir"));
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSpec().getSecurityContext().getFsGroup()).isEqualTo(65532L);
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(step.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(step.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void printsTheSleepExampleAsYaml() {
    PodFactory.PodObjects objects = build(settings().build(), sleepExample());
    String yaml = Serialization.asYaml(objects.pod());
    System.out.println(yaml);
    System.out.println(Serialization.asYaml(objects.secret()));
    assertThat(yaml).contains("restartPolicy: \"Never\"").contains("claimName: \"promokit-workdir\"");
  }

  @Test
  void envValuesGoToTheSecretAndThePodOnlyReferencesThem() {
    ContainerRequest request = ContainerRequest.builder().name("p-1").image("img").command(List.of("run"))
        .workdir(ROOT.resolve("p")).env("TOKEN", "s3cr3t").env("CONFIG", "$(PROMOKIT_FILES)/kubeconfig")
        .env("KARGO_OUTPUT", "/elsewhere").file(new ContainerFile("kubeconfig", "apiVersion: v1".getBytes()))
        .build();
    PodFactory.PodObjects objects = build(settings().build(), request);

    Secret secret = objects.secret();
    assertThat(secret.getMetadata().getName()).isEqualTo("p-1-promokit");
    List<EnvVar> env = step(objects.pod()).getEnv();
    assertThat(env).extracting(EnvVar::getName)
        .containsExactly("KARGO_OUTPUT", "PROMOKIT_FILES", "HOME", "TOKEN", "CONFIG");
    assertThat(env.get(0).getValue()).isEqualTo("/promokit/output");
    assertThat(env.get(1).getValue()).isEqualTo("/promokit-files");
    assertThat(env.get(2).getValue()).as("the root filesystem is read-only").isEqualTo("/tmp");
    EnvVar token = env.get(3);
    assertThat(token.getValue()).isNull();
    assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("p-1-promokit");
    assertThat(decode(secret, token.getValueFrom().getSecretKeyRef().getKey())).isEqualTo("s3cr3t");
    assertThat(decode(secret, env.get(4).getValueFrom().getSecretKeyRef().getKey()))
        .isEqualTo("/promokit-files/kubeconfig");
    assertThat(Serialization.asYaml(objects.pod())).doesNotContain("s3cr3t");

    Volume files = objects.pod().getSpec().getVolumes().stream().filter(v -> v.getSecret() != null).findFirst()
        .orElseThrow();
    assertThat(files.getSecret().getSecretName()).isEqualTo("p-1-promokit");
    assertThat(files.getSecret().getItems()).singleElement().satisfies(item -> {
      assertThat(item.getPath()).isEqualTo("kubeconfig");
      assertThat(decode(secret, item.getKey())).isEqualTo("apiVersion: v1");
    });
    assertThat(step(objects.pod()).getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/promokit-files");
      assertThat(m.getReadOnly()).isTrue();
    });
  }

  @Test
  void requestWithoutEnvOrFilesNeedsNoSecret() {
    ContainerRequest request = ContainerRequest.builder().name("p-1").image("img").command(List.of("run"))
        .workdir(ROOT.resolve("p")).build();
    assertThat(build(settings().build(), request).secret()).isNull();
  }

  @Test
  void dollarSignsAreEscapedSoTheKubeletPassesTheArgvAsGiven() {
    ContainerRequest request = ContainerRequest.builder().name("p-1").image("img")
        .command(List.of("echo", "$(HOME)", "$$", "cost: $5")).workdir(ROOT.resolve("p")).build();
    Container step = step(build(settings().build(), request).pod());

    assertThat(step.getArgs()).containsExactly("echo", "$$(HOME)", "$$$", "cost: $5");
    assertThat(step.getCommand().get(3)).doesNotContain("$(", "$$");
    assertThat(step.getArgs()).map(a -> KubeletExpansion.expand(a,
        Map.of("HOME", "/root"))).containsExactly("echo", "$(HOME)", "$$", "cost: $5");
  }

  @Test
  void resourcesPullSecretsAndPullPolicyMapToThePodSpec() {
    ContainerRequest request = ContainerRequest.builder().name("p-1").image("registry.example/app:1")
        .command(List.of("run")).workdir(ROOT.resolve("p")).pullPolicy(PullPolicy.ALWAYS)
        .pullSecretNames(List.of("regcred"))
        .resources(new ResourceRequirements(Map.of("cpu", "250m", "memory", "64Mi"), Map.of("memory", "128Mi")))
        .gracePeriod(Duration.ofMillis(2500))
        .build();
    Pod pod = build(settings().build(), request).pod();

    assertThat(step(pod).getImagePullPolicy()).isEqualTo("Always");
    assertThat(pod.getSpec().getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("regcred");
    assertThat(step(pod).getResources().getRequests()).containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("64Mi"));
    assertThat(step(pod).getResources().getLimits()).containsEntry("memory", new Quantity("128Mi"));
    assertThat(pod.getSpec().getInitContainers().get(0).getResources()).isEqualTo(step(pod).getResources());
    assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(3L);
  }

  @Test
  void podTemplateSettingsAreApplied() {
    KubernetesRuntimeSettings settings = settings()
        .nodeSelector(Map.of("pool", "steps"))
        .tolerations(List.of(new TolerationBuilder().withKey("dedicated").withValue("steps")
            .withEffect("NoSchedule").build()))
        .serviceAccountName("promokit-steps")
        .priorityClassName("batch")
        .podAnnotations(Map.of("sidecar.istio.io/inject", "false"))
        .podLabels(Map.of("team", "platform"))
        .build();
    Pod pod = build(settings, sleepExample()).pod();

    assertThat(pod.getSpec().getNodeSelector()).containsExactly(Map.entry("pool", "steps"));
    assertThat(pod.getSpec().getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("promokit-steps");
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isNull();
    assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("batch");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("sidecar.istio.io/inject", "false");
    assertThat(pod.getMetadata().getLabels()).containsEntry("team", "platform")
        .containsEntry(ContainerLabels.STEP, "sleep");
  }

  @Test
  void fsGroupIsTheRequestsGroupElseTheSettingsElseTheUser() {
    ContainerRequest.Builder request = ContainerRequest.builder().name("p-1").image("img").command(List.of("run"))
        .workdir(ROOT.resolve("p")).user(1000);
    assertThat(build(settings().build(), request.build()).pod().getSpec().getSecurityContext().getFsGroup())
        .isEqualTo(1000L);
    assertThat(build(settings().fsGroup(2000).build(), request.build()).pod().getSpec().getSecurityContext()
        .getFsGroup()).isEqualTo(2000L);
    Pod withGroup = build(settings().fsGroup(2000).build(), request.group(3000).build()).pod();
    assertThat(withGroup.getSpec().getSecurityContext().getFsGroup()).isEqualTo(3000L);
    assertThat(withGroup.getSpec().getSecurityContext().getRunAsGroup()).isEqualTo(3000L);
    assertThat(withGroup.getSpec().getSecurityContext().getFsGroupChangePolicy()).isEqualTo("Always");
  }

  @Test
  void rootIsRefusedUnlessTheHostAllowsItAndThenKeepsOnlyTheUid() {
    ContainerRequest.Builder request = ContainerRequest.builder().name("p-1").image("img").command(List.of("run"))
        .workdir(ROOT.resolve("p")).user(0);
    assertThatThrownBy(() -> build(settings().build(), request.build()))
        .isInstanceOf(ContainerRuntimeException.class)
        .hasMessage("the kubernetes runtime refuses to run container p-1 as root (uid 0, runAsUser: 0): containers run "
            + "as a non-root user with a non-zero group unless the host allows root; run it from a definition the host "
            + "allows to run as root");

    KubernetesRuntimeSettings relaxed = settings().policy(io.promokit.spi.ContainerPolicy.builder()
        .allow("root-step", io.promokit.spi.ContainerPolicy.Allowance.builder().runAsRoot(true).build()).build()).build();
    Pod pod = build(relaxed, request.definition("root-step").build()).pod();
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isNull();
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isZero();
    assertThat(step(pod).getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(step(pod).getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void withoutAClaimTheWorkspaceIsAnEmptyDirectory() {
    KubernetesRuntimeSettings settings = KubernetesRuntimeSettings.builder().namespace("promotions").build();
    Pod pod = build(settings, sleepExample()).pod();
    Volume workspace = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals("workspace"))
        .findFirst().orElseThrow();
    assertThat(workspace.getEmptyDir()).isNotNull();
    assertThat(step(pod).getVolumeMounts().get(0).getSubPath()).isNull();
  }

  @Test
  void aClaimWithoutHostRootIsMountedWhole() {
    Pod pod = build(KubernetesRuntimeSettings.builder().workdirClaim("shared").build(), sleepExample()).pod();
    assertThat(step(pod).getVolumeMounts().get(0).getSubPath()).isNull();
  }

  @Test
  void aWorkdirOutsideTheClaimsHostRootIsRejected() {
    ContainerRequest request = ContainerRequest.builder().name("p-1").image("img").command(List.of("run"))
        .workdir(Path.of("/tmp/elsewhere")).build();
    assertThatThrownBy(() -> build(settings().build(), request))
        .isInstanceOf(ContainerRuntimeException.class)
        .hasMessage("the workdir /tmp/elsewhere is not under /var/lib/promokit, where the host mounts the workdir "
            + "claim \"promokit-workdir\": the step Pod could not see it")
        .satisfies(e -> assertThat(((ContainerRuntimeException) e).isRetryable()).isFalse());
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
