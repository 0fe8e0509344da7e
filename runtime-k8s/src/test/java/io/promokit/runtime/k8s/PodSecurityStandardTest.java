package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.AppArmorProfileBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SELinuxOptionsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptionsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.promokit.spi.ContainerFile;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerNetwork;
import io.promokit.spi.ContainerPolicy;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Step Pods pass the restricted Pod Security Standard, control by control ({@link RestrictedPodSecurity}),
 * unless the host allows a definition more; and no secret value is ever in the Pod spec.
 */
class PodSecurityStandardTest {

  private static final Path ROOT = Path.of("/var/lib/promokit");
  private static final StepWrapper WRAPPER = new StepWrapper("k3y5q8w1m2n4b6v7", 1024 * 1024);
  private static final String SECRET = "db-pa55word-9f8e7d";

  private static ContainerRequest.Builder request() {
    return ContainerRequest.builder()
        .name("deploy-7f3a-check-a1-123abc")
        .definition("check")
        .image("registry.example/check:1")
        .command(List.of("/check", "--all"))
        .workdir(ROOT.resolve("deploy-7f3a"))
        .env("MODE", "strict")
        .label(ContainerLabels.ENGINE, "engine-1")
        .label(ContainerLabels.PROMOTION, "deploy-7f3a")
        .label(ContainerLabels.STEP, "check")
        .label(ContainerLabels.ATTEMPT, "1");
  }

  private static Pod pod(KubernetesRuntimeSettings settings, ContainerRequest request) {
    Optional<String> subPath = KubernetesContainerHandle.subPath(settings, request);
    return new PodFactory(settings, "promotions").build(request, WRAPPER, subPath).pod();
  }

  private static KubernetesRuntimeSettings.Builder settings() {
    return KubernetesRuntimeSettings.builder().namespace("promotions");
  }

  static Stream<Arguments> podsThePolicyMakes() {
    return Stream.of(
        Arguments.of("defaults", settings().build(), request().build()),
        Arguments.of("workdir claim", settings().workdirClaim("promokit-workdir", ROOT).build(), request().build()),
        Arguments.of("secrets and files", settings().build(), request().secretEnv("DB_PASSWORD", SECRET)
            .file(new ContainerFile("kubeconfig", "apiVersion: v1".getBytes(StandardCharsets.UTF_8))).build()),
        Arguments.of("user and group", settings().fsGroup(3000).build(), request().user(1000).group(2000).build()),
        Arguments.of("no network", settings().build(), request().network(ContainerNetwork.NONE).build()),
        Arguments.of("NET_BIND_SERVICE allowed", settings().policy(ContainerPolicy.builder()
            .allow("check", ContainerPolicy.Allowance.builder().capabilities("NET_BIND_SERVICE").build()).build())
            .build(), request().build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podsThePolicyMakes")
  void everyPodPassesTheRestrictedStandard(String name, KubernetesRuntimeSettings settings, ContainerRequest request) {
    Pod pod = pod(settings, request);

    assertThat(RestrictedPodSecurity.violations(pod)).as(Serialization.asYaml(pod)).isEmpty();
    // And more than the standard asks: read-only root filesystems, a bounded memory-backed /tmp, limits.
    for (Container c : List.of(pod.getSpec().getInitContainers().get(0), pod.getSpec().getContainers().get(0))) {
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
      assertThat(c.getSecurityContext().getPrivileged()).as(c.getName()).isFalse();
      assertThat(c.getResources().getLimits()).as(c.getName()).containsKeys("memory", "cpu");
    }
    assertThat(pod.getSpec().getSecurityContext().getRunAsGroup()).isNotNull().isNotZero();
    assertThat(pod.getSpec().getSecurityContext().getFsGroup()).isNotZero();
    assertThat(pod.getSpec().getVolumes()).filteredOn(v -> v.getName().equals(PodLayout.TMP_VOLUME)).singleElement()
        .satisfies(v -> {
          assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory");
          assertThat(v.getEmptyDir().getSizeLimit().toString()).isEqualTo("128Mi");
        });
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
  }

  @Test
  void theDefaultsInDetail() {
    Pod pod = pod(settings().build(), request().build());

    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSpec().getSecurityContext().getRunAsGroup()).isEqualTo(65532L);
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container step = pod.getSpec().getContainers().get(0);
    assertThat(step.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(step.getSecurityContext().getCapabilities().getAdd()).isEmpty();
    assertThat(step.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    assertThat(step.getResources().getLimits().get("cpu").toString()).isEqualTo("1");
    assertThat(step.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("HOME");
      assertThat(e.getValue()).isEqualTo("/tmp");
    });
    assertThat(pod.getMetadata().getLabels()).doesNotContainKey(PodLayout.NETWORK_LABEL);
    assertThat(pod(settings().build(), request().network(ContainerNetwork.NONE).build()).getMetadata().getLabels())
        .containsEntry(PodLayout.NETWORK_LABEL, "none");
  }

  @Test
  void noSecretValueIsInThePodSpecOnlyInItsSecret() {
    ContainerRequest request = request().secretEnv("DB_PASSWORD", SECRET).env("PLAIN_BUT_PRIVATE", "pl41n-v4lue")
        .build();
    PodFactory.PodObjects objects = new PodFactory(settings().build(), "promotions")
        .build(request, WRAPPER, Optional.empty());

    String podJson = Serialization.asJson(objects.pod());
    assertThat(podJson).doesNotContain(SECRET).doesNotContain("pl41n-v4lue")
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
    assertThat(objects.secret().getData().values()).map(v -> new String(java.util.Base64.getDecoder().decode(v),
        StandardCharsets.UTF_8)).contains(SECRET, "pl41n-v4lue");
  }

  @Test
  void rootAndGroupZeroAreRefusedUnlessAllowedAndThenNamedAsViolations() {
    assertThatThrownBy(() -> pod(settings().build(), request().user(0).build()))
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageStartingWith("the kubernetes runtime refuses to run step \"check\" as root (uid 0, runAsUser: 0)");
    assertThatThrownBy(() -> pod(settings().fsGroup(0).build(), request().build()))
        .hasMessageStartingWith("the kubernetes runtime refuses to run step \"check\" as root (gid 0, group 0)");

    KubernetesRuntimeSettings relaxed = settings().policy(ContainerPolicy.builder()
        .allow("check", ContainerPolicy.Allowance.builder().runAsRoot(true).capabilities("SYS_PTRACE").build())
        .build()).build();
    Pod root = pod(relaxed, request().user(0).group(0).build());

    assertThat(RestrictedPodSecurity.violations(root)).containsExactly(
        "Capabilities (baseline): spec.initContainers[promokit-init].securityContext.capabilities.add has SYS_PTRACE",
        "Capabilities (baseline): spec.containers[step].securityContext.capabilities.add has SYS_PTRACE",
        "Running as Non-root user: spec.securityContext.runAsUser is 0",
        "Running as Non-root: spec.initContainers[promokit-init] may run as root (runAsNonRoot is not true here or for the Pod)",
        "Capabilities: spec.initContainers[promokit-init].securityContext.capabilities.add has SYS_PTRACE",
        "Running as Non-root: spec.containers[step] may run as root (runAsNonRoot is not true here or for the Pod)",
        "Capabilities: spec.containers[step].securityContext.capabilities.add has SYS_PTRACE");
    // Even a root step keeps the rest: no escalation, everything else dropped, read-only root filesystem.
    SecurityContext sc = root.getSpec().getContainers().get(0).getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
  }

  /** Each control of the standard, broken in an otherwise passing Pod: the checker names it. */
  static Stream<Arguments> brokenControls() {
    return Stream.of(
        broken("hostProcess", p -> p.getSpec().getSecurityContext().setWindowsOptions(
                new WindowsSecurityContextOptionsBuilder().withHostProcess(true).build()),
            "HostProcess: spec.securityContext.windowsOptions.hostProcess is true"),
        broken("hostNetwork", p -> p.getSpec().setHostNetwork(true), "Host Namespaces: spec.hostNetwork is true"),
        broken("hostPID", p -> p.getSpec().setHostPID(true), "Host Namespaces: spec.hostPID is true"),
        broken("hostIPC", p -> p.getSpec().setHostIPC(true), "Host Namespaces: spec.hostIPC is true"),
        broken("privileged", p -> step(p).setPrivileged(true),
            "Privileged Containers: spec.containers[step].securityContext.privileged is true"),
        broken("hostPath", p -> p.getSpec().getVolumes().add(new VolumeBuilder().withName("host")
                .withNewHostPath().withPath("/").endHostPath().build()),
            "HostPath Volumes: spec.volumes[host].hostPath is set", "Volume Types: spec.volumes[host] is hostPath"),
        broken("hostPort", p -> p.getSpec().getContainers().get(0).setPorts(List.of(
                new ContainerPortBuilder().withContainerPort(80).withHostPort(80).build())),
            "Host Ports: spec.containers[step].ports hostPort 80"),
        broken("apparmor annotation", p -> p.getMetadata().getAnnotations()
                .put("container.apparmor.security.beta.kubernetes.io/step", "unconfined"),
            "AppArmor: metadata.annotations[container.apparmor.security.beta.kubernetes.io/step] is unconfined"),
        broken("apparmor field", p -> step(p).setAppArmorProfile(new AppArmorProfileBuilder().withType("Unconfined")
                .build()),
            "AppArmor: spec.containers[step].securityContext.appArmorProfile.type is Unconfined"),
        broken("selinux", p -> step(p).setSeLinuxOptions(new SELinuxOptionsBuilder().withType("spc_t").withUser("u")
                .build()),
            "SELinux: spec.containers[step].securityContext.seLinuxOptions.type is spc_t",
            "SELinux: spec.containers[step].securityContext.seLinuxOptions.user is set"),
        broken("procMount", p -> step(p).setProcMount("Unmasked"),
            "/proc Mount Type: spec.containers[step].securityContext.procMount is Unmasked"),
        broken("seccomp unconfined", p -> p.getSpec().getSecurityContext().setSeccompProfile(
                new SeccompProfileBuilder().withType("Unconfined").build()),
            "Seccomp (baseline): spec.securityContext.seccompProfile.type is Unconfined",
            "Seccomp: spec.initContainers[promokit-init] has no RuntimeDefault or Localhost seccomp profile",
            "Seccomp: spec.containers[step] has no RuntimeDefault or Localhost seccomp profile"),
        broken("sysctl", p -> p.getSpec().getSecurityContext().setSysctls(List.of(new Sysctl("kernel.msgmax", "1"))),
            "Sysctls: spec.securityContext.sysctls has kernel.msgmax"),
        broken("nfs volume", p -> p.getSpec().getVolumes().add(new VolumeBuilder().withName("share")
                .withNewNfs().withServer("nfs").withPath("/").endNfs().build()),
            "Volume Types: spec.volumes[share] is nfs"),
        broken("privilege escalation", p -> step(p).setAllowPrivilegeEscalation(null),
            "Privilege Escalation: spec.containers[step].securityContext.allowPrivilegeEscalation is not false"),
        broken("runAsNonRoot", p -> p.getSpec().getSecurityContext().setRunAsNonRoot(null),
            "Running as Non-root: spec.initContainers[promokit-init] may run as root (runAsNonRoot is not true here or "
                + "for the Pod)",
            "Running as Non-root: spec.containers[step] may run as root (runAsNonRoot is not true here or for the Pod)"),
        broken("container runAsUser 0", p -> step(p).setRunAsUser(0L),
            "Running as Non-root user: spec.containers[step].securityContext.runAsUser is 0"),
        broken("capabilities not dropped", p -> step(p).getCapabilities().setDrop(List.of("NET_RAW")),
            "Capabilities: spec.containers[step].securityContext.capabilities.drop does not hold ALL"),
        broken("capability added", p -> step(p).getCapabilities().setAdd(List.of("CHOWN")),
            "Capabilities: spec.containers[step].securityContext.capabilities.add has CHOWN"),
        broken("ephemeral container", p -> p.getSpec().setEphemeralContainers(List.of(new EphemeralContainerBuilder()
                .withName("debug").withImage("busybox").build())),
            "Privilege Escalation: spec.ephemeralContainers[debug].securityContext.allowPrivilegeEscalation is not false",
            "Capabilities: spec.ephemeralContainers[debug].securityContext.capabilities.drop does not hold ALL"));
  }

  private static Arguments broken(String name, Consumer<Pod> change, String... expected) {
    return Arguments.of(name, change, List.of(expected));
  }

  private static SecurityContext step(Pod pod) {
    return pod.getSpec().getContainers().get(0).getSecurityContext();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenControls")
  void theCheckerNamesEachBrokenControl(String name, Consumer<Pod> change, List<String> expected) {
    Pod pod = pod(settings().build(), request().build());
    pod.getMetadata().setAnnotations(new java.util.LinkedHashMap<>(pod.getMetadata().getAnnotations()));
    pod.getSpec().setVolumes(new java.util.ArrayList<>(pod.getSpec().getVolumes()));
    assertThat(RestrictedPodSecurity.violations(pod)).isEmpty();

    change.accept(pod);

    assertThat(RestrictedPodSecurity.violations(pod)).containsExactlyElementsOf(expected);
  }

  @Test
  void theDefinitionsLimitsWinOverThePolicysDefaults() {
    Pod pod = pod(settings().policy(ContainerPolicy.builder().memoryLimit("2Gi").tmpSize("1Gi").build()).build(),
        request().resources(new io.promokit.spi.ResourceRequirements(Map.of("cpu", "250m"), Map.of("cpu", "2")))
            .build());

    Container step = pod.getSpec().getContainers().get(0);
    assertThat(step.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
    assertThat(step.getResources().getLimits().get("cpu").toString()).isEqualTo("2");
    assertThat(step.getResources().getRequests().get("cpu").toString()).isEqualTo("250m");
    assertThat(pod.getSpec().getVolumes()).filteredOn(v -> v.getName().equals(PodLayout.TMP_VOLUME)).singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit().toString()).isEqualTo("1Gi"));
  }
}
