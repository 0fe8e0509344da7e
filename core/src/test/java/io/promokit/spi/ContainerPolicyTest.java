package io.promokit.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hardened defaults, and what a host may relax per definition. */
class ContainerPolicyTest {

  private static ContainerRequest.Builder request() {
    return ContainerRequest.builder().name("p-step-a1").definition("scan").image("busybox")
        .command(List.of("true")).workdir(Path.of("/work"));
  }

  @Test
  void limitsMemoryCpuProcessesAndTmpByDefault() {
    Hardening h = ContainerPolicy.defaults().harden(request().build(), "docker");

    assertThat(h.resources().limits()).containsEntry("memory", "1Gi").containsEntry("cpu", "1");
    assertThat(h.resources().requests()).isEmpty();
    assertThat(h.pidsLimit()).isEqualTo(512);
    assertThat(h.tmpSize()).isEqualTo("128Mi");
    assertThat(h.tmpBytes()).isEqualTo(128L << 20);
    assertThat(h.addedCapabilities()).isEmpty();
    assertThat(h.rootAllowed()).isFalse();
  }

  @Test
  void theDefinitionsOwnLimitsWinAndARequestAboveTheDefaultLimitRaisesIt() {
    ResourceRequirements own = new ResourceRequirements(Map.of("memory", "3Gi", "cpu", "250m"), Map.of("cpu", "4"));
    Hardening h = ContainerPolicy.defaults().harden(request().resources(own).build(), "docker");

    assertThat(h.resources().limits()).containsEntry("cpu", "4").containsEntry("memory", "3Gi");
    assertThat(h.resources().requests()).isEqualTo(own.requests());
  }

  @Test
  void refusesRootAndGroupZeroUnlessTheHostAllowsTheDefinition() {
    assertThatThrownBy(() -> ContainerPolicy.defaults().harden(request().user(0).build(), "docker"))
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessage("the docker runtime refuses to run step \"scan\" as root (uid 0, runAsUser: 0): containers run as a "
            + "non-root user with a non-zero group unless the host allows root; the host may allow it with "
            + "ContainerPolicy.builder().allow(\"scan\", Allowance.builder().runAsRoot(true).build()) in the docker "
            + "runtime's settings");
    assertThatThrownBy(() -> ContainerPolicy.defaults().harden(request().group(0).build(), "kubernetes"))
        .hasMessageStartingWith("the kubernetes runtime refuses to run step \"scan\" as root (gid 0, group 0)");
    Hardening h = ContainerPolicy.defaults().harden(request().build(), "docker");
    assertThatThrownBy(() -> h.requireNonRootGroup(0)).hasMessageContaining("(gid 0, group 0)");
    assertThatThrownBy(() -> ContainerPolicy.defaults().harden(
        ContainerRequest.builder().name("by-hand").image("busybox").command(List.of("true")).workdir(Path.of("/w"))
            .user(0).build(), "docker"))
        .hasMessageStartingWith("the docker runtime refuses to run container by-hand as root")
        .hasMessageEndingWith("run it from a definition the host allows to run as root");

    ContainerPolicy relaxed = ContainerPolicy.builder()
        .allow("scan", ContainerPolicy.Allowance.builder().runAsRoot(true).build()).build();
    Hardening root = relaxed.harden(request().user(0).group(0).build(), "docker");
    assertThat(root.rootAllowed()).isTrue();
    root.requireNonRootGroup(0);
    assertThatThrownBy(() -> relaxed.harden(request().definition("other").user(0).build(), "docker"))
        .as("only the named definition").hasMessageContaining("step \"other\" as root");
  }

  @Test
  void aHostAddsCapabilitiesAndOtherLimitsForOneDefinition() {
    ContainerPolicy policy = ContainerPolicy.builder()
        .memoryLimit("2Gi").cpuLimit("500m").pidsLimit(100).tmpSize("64Mi")
        .allow("scan", ContainerPolicy.Allowance.builder().capabilities("CAP_net_bind_service", "SYS_PTRACE")
            .pidsLimit(4096).tmpSize("1Gi").build())
        .build();

    Hardening scan = policy.harden(request().build(), "docker");
    assertThat(scan.addedCapabilities()).containsExactly("NET_BIND_SERVICE", "SYS_PTRACE");
    assertThat(scan.pidsLimit()).isEqualTo(4096);
    assertThat(scan.tmpSize()).isEqualTo("1Gi");
    assertThat(scan.resources().limits()).containsEntry("memory", "2Gi").containsEntry("cpu", "500m");

    Hardening other = policy.harden(request().definition("other").build(), "docker");
    assertThat(other.addedCapabilities()).isEmpty();
    assertThat(other.pidsLimit()).isEqualTo(100);
    assertThat(other.tmpSize()).isEqualTo("64Mi");
  }

  @Test
  void eachSettingIsChecked() {
    assertThatThrownBy(() -> ContainerPolicy.Allowance.builder().capabilities("ALL"))
        .hasMessage("unknown Linux capability \"ALL\"; expected one of capabilities(7), such as NET_BIND_SERVICE or SYS_PTRACE");
    assertThatThrownBy(() -> ContainerPolicy.builder().memoryLimit("lots"))
        .hasMessage("memoryLimit: invalid quantity \"lots\": expected a Kubernetes quantity such as 512Mi or 2Gi");
    assertThatThrownBy(() -> ContainerPolicy.builder().memoryLimit("1Mi"))
        .hasMessage("memoryLimit must be at least 6Mi (Docker's smallest memory limit), but was \"1Mi\"");
    assertThatThrownBy(() -> ContainerPolicy.builder().cpuLimit("0"))
        .hasMessage("cpuLimit must be positive, but was \"0\"");
    assertThatThrownBy(() -> ContainerPolicy.builder().pidsLimit(2))
        .hasMessage("pidsLimit must be at least 8 (the init, the command and a few children), but was 2");
    assertThatThrownBy(() -> ContainerPolicy.builder().allow(" ", ContainerPolicy.Allowance.NONE))
        .hasMessage("definition must not be blank");
  }

  @Test
  void secretEnvValuesAreMarkedAndAPlainValueReplacesTheMark() {
    ContainerRequest r = request().env("A", "plain").secretEnv("TOKEN", "s3cret").secretEnv("B", "x").env("B", "y")
        .build();

    assertThat(r.env()).containsExactly(Map.entry("A", "plain"), Map.entry("TOKEN", "s3cret"), Map.entry("B", "y"));
    assertThat(r.secretEnvNames()).containsExactly("TOKEN");
    assertThat(r.isSecretEnv("TOKEN")).isTrue();
    assertThat(r.isSecretEnv("B")).isFalse();
    assertThat(r.toString()).doesNotContain("s3cret");
    assertThatThrownBy(() -> request().secretEnv("MY-TOKEN", "x"))
        .hasMessage("secret env name must match [A-Za-z_][A-Za-z0-9_]*, but was \"MY-TOKEN\"");
  }
}
