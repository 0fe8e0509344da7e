package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import io.promokit.event.LogStream;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerNetwork;
import io.promokit.spi.ContainerPolicy;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.ResourceRequirements;
import io.promokit.testkit.LogCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers are hardened by default (issue 18): each setting checked in {@code docker inspect} and from
 * inside a real container, with a real setuid-root binary and a real fork bomb.
 */
@ExtendWith(RequiresDocker.class)
class ContainerHardeningTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir
  Path workdir;

  private final List<DockerContainerRuntime> runtimes = new java.util.ArrayList<>();
  private String engine;
  private int step;

  @BeforeAll
  static void needsDocker() {
    DockerTestEnvironment.require();
  }

  @BeforeEach
  void prepare() {
    engine = "hardening-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void nothingLeftBehind() {
    runtimes.forEach(DockerContainerRuntime::close);
    assertThat(DockerTestEnvironment.containersOf(engine)).as("containers of engine %s", engine).isEmpty();
  }

  private DockerContainerRuntime runtime(ContainerPolicy policy) {
    DockerContainerRuntime runtime = DockerContainerRuntime.builder().policy(policy).build();
    runtimes.add(runtime);
    return runtime;
  }

  private ContainerRequest.Builder request(String image, String script) {
    step++;
    return ContainerRequest.builder()
        .name("hardening-" + step)
        .definition("probe")
        .image(image)
        .command(List.of("sh", "-c", script))
        .workdir(workdir)
        .label(ContainerLabels.ENGINE, engine)
        .label(ContainerLabels.PROMOTION, "hardening")
        .label(ContainerLabels.STEP, "step-" + step)
        .label(ContainerLabels.ATTEMPT, "1");
  }

  private ContainerRequest.Builder shell(String script) {
    return request(DockerTestEnvironment.busyboxImage(), script);
  }

  private static ContainerExit run(DockerContainerRuntime runtime, ContainerRequest request, LogCollector logs)
      throws InterruptedException {
    try (ContainerHandle handle = runtime.start(request, logs)) {
      return handle.await(PATIENCE).orElseThrow(() -> new AssertionError(handle.id() + " did not exit"));
    }
  }

  /** Starts the request, waits for its "ready" line, and inspects the running container. */
  private static InspectContainerResponse inspectRunning(DockerContainerRuntime runtime, ContainerRequest request)
      throws InterruptedException {
    LogCollector logs = new LogCollector();
    try (ContainerHandle handle = runtime.start(request, logs)) {
      logs.awaitLine(LogStream.STDOUT, "ready", PATIENCE);
      return DockerTestEnvironment.client().inspectContainerCmd(handle.id()).exec();
    }
  }

  @Test
  void dockerInspectShowsEveryHardeningSettingByDefault() throws Exception {
    InspectContainerResponse info = inspectRunning(runtime(ContainerPolicy.defaults()), shell("echo ready; sleep 300")
        .build());

    HostConfig host = info.getHostConfig();
    assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
    assertThat(host.getCapAdd()).isNullOrEmpty();
    assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
    assertThat(host.getPrivileged()).isFalse();
    assertThat(host.getReadonlyRootfs()).isTrue();
    assertThat(host.getTmpFs()).containsOnlyKeys("/tmp");
    assertThat(host.getTmpFs().get("/tmp")).contains("size=" + (128L << 20)).contains("nosuid").contains("nodev");
    assertThat(host.getPidsLimit()).isEqualTo(512L);
    assertThat(host.getMemory()).isEqualTo(1L << 30);
    assertThat(host.getMemorySwap()).as("no swap").isEqualTo(1L << 30);
    assertThat(host.getNanoCPUs()).isEqualTo(1_000_000_000L);
    assertThat(host.getNetworkMode()).isEqualTo("bridge");
    assertThat(host.getIpcMode()).isEqualTo("private");
    assertThat(info.getConfig().getUser()).isEqualTo("65532:65532").doesNotEndWith(":0");
    assertThat(info.getConfig().getEnv()).contains("HOME=/tmp");
  }

  @Test
  void fromInsideNoCapabilityNoPrivilegeGainReadOnlyRootWritableTmpAndTheLimits() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerExit exit = run(runtime(ContainerPolicy.defaults()), shell(String.join("; ",
        "id",
        "grep -E '^(CapEff|CapBnd|CapPrm|NoNewPrivs):' /proc/self/status | tr -s '\\t' ' '",
        "touch /root-file 2>/dev/null && echo root-writable || echo root-read-only",
        "echo hello > /tmp/file && cat /tmp/file",
        "echo home=$HOME",
        "df -k /tmp | tail -n 1 | awk '{print \"tmp-kib=\" $2}'",
        "cat /sys/fs/cgroup/pids/pids.max",
        "cat /sys/fs/cgroup/memory/memory.limit_in_bytes",
        "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us")).build(), logs);

    assertThat(exit.exitCode()).as("%s", logs.all()).isZero();
    assertThat(logs.stdout()).containsExactly(
        "uid=65532(nonroot) gid=65532(nonroot) groups=65532(nonroot)",
        "CapPrm: 0000000000000000",
        "CapEff: 0000000000000000",
        "CapBnd: 0000000000000000",
        "NoNewPrivs: 1",
        "root-read-only",
        "hello",
        "home=/tmp",
        "tmp-kib=131072",
        "512",
        Long.toString(1L << 30),
        "100000",
        "100000");
  }

  @Test
  void aSetuidRootBinaryInTheImageDoesNotMakeTheStepRoot() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerExit exit = run(runtime(ContainerPolicy.defaults()),
        request(DockerTestEnvironment.setuidImage(), "ls -ln /usr/local/bin/setuid-probe | awk '{print $1, $3}'; "
            + "setuid-probe /workspace/made-by-setuid-probe").build(), logs);

    assertThat(exit.exitCode()).as("%s", logs.all()).isZero();
    // The binary is setuid root in the image; without no-new-privileges it prints euid=0 and the file is root's.
    assertThat(logs.stdout()).containsExactly("-rwsr-xr-x 0", "ruid=65532 euid=65532",
        "created /workspace/made-by-setuid-probe");
    assertThat(Files.getAttribute(workdir.resolve("made-by-setuid-probe"), "unix:uid")).isEqualTo(65532);
  }

  @Test
  void aForkBombStopsAtThePidsLimit() throws Exception {
    LogCollector logs = new LogCollector();
    // The bomb runs in the background; the shell then only uses built-ins (it could not fork any more).
    ContainerExit exit = run(runtime(ContainerPolicy.builder().pidsLimit(64).build()), shell(String.join("\n",
        "read max < /sys/fs/cgroup/pids/pids.max; echo max=$max",
        "(bomb() { bomb | bomb & }; bomb) 2>/dev/null &",
        // until the kernel has refused a fork (or a bound far beyond it), reading the count with built-ins
        "refused=0; i=0",
        "while [ \"$refused\" = 0 ] && [ $i -lt 1000000 ]; do i=$((i+1));",
        "  while read key count; do [ \"$key\" = max ] && refused=$count; done < /sys/fs/cgroup/pids/pids.events",
        "done",
        "echo refused-forks=$refused",
        "echo survived")).build(), logs);

    assertThat(exit.exitCode()).as("%s", logs.all()).isZero();
    assertThat(logs.stdout()).hasSize(3);
    assertThat(logs.stdout().get(0)).isEqualTo("max=64");
    assertThat(logs.stdout().get(1)).as("forks the kernel refused at the limit").startsWith("refused-forks=")
        .isNotEqualTo("refused-forks=0");
    assertThat(logs.stdout().get(2)).isEqualTo("survived");
  }

  @Test
  void rootIsRefusedUnlessTheHostAllowsTheDefinition() throws Exception {
    assertThatThrownBy(() -> runtime(ContainerPolicy.defaults()).start(shell("id -u").user(0).build(), new LogCollector()))
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessage("the docker runtime refuses to run step \"probe\" as root (uid 0, runAsUser: 0): containers run as "
            + "a non-root user with a non-zero group unless the host allows root; the host may allow it with "
            + "ContainerPolicy.builder().allow(\"probe\", Allowance.builder().runAsRoot(true).build()) in the docker "
            + "runtime's settings");
    assertThatThrownBy(() -> runtime(ContainerPolicy.defaults()).start(shell("id -g").group(0).build(), new LogCollector()))
        .hasMessageStartingWith("the docker runtime refuses to run step \"probe\" as root (gid 0, group 0)");

    LogCollector logs = new LogCollector();
    ContainerPolicy allowRoot = ContainerPolicy.builder()
        .allow("probe", ContainerPolicy.Allowance.builder().runAsRoot(true).build()).build();
    ContainerExit exit = run(runtime(allowRoot), shell("id -u; grep CapEff /proc/self/status").user(0).build(), logs);
    assertThat(exit.exitCode()).isZero();
    // Root, but still without capabilities: the allowance is for the uid only.
    assertThat(logs.stdout()).containsExactly("0", "CapEff:\t0000000000000000");
  }

  @Test
  void aWorkdirOfGroupZeroIsSharedThroughTheStepsUidInstead() throws Exception {
    Files.setAttribute(workdir, "unix:gid", 0);
    Files.writeString(workdir.resolve("from-host.txt"), "host\n");
    LogCollector logs = new LogCollector();
    ContainerExit exit = run(runtime(ContainerPolicy.defaults()),
        shell("id -g; id -G; cat from-host.txt; echo container > from-container.txt").build(), logs);

    assertThat(exit.exitCode()).as("%s", logs.all()).isZero();
    assertThat(logs.stdout()).containsExactly("65532", "65532", "host");
    assertThat(Files.getAttribute(workdir, "unix:gid")).isEqualTo(65532);
    assertThat(Files.readString(workdir.resolve("from-container.txt"))).isEqualTo("container\n");
  }

  @Test
  void theHostAddsCapabilitiesProcessesAndTmpForOneDefinitionOnly() throws Exception {
    ContainerPolicy policy = ContainerPolicy.builder()
        .allow("probe", ContainerPolicy.Allowance.builder().capabilities("NET_BIND_SERVICE").pidsLimit(100)
            .tmpSize("16Mi").build())
        .build();
    DockerContainerRuntime runtime = runtime(policy);

    InspectContainerResponse info = inspectRunning(runtime, shell("echo ready; sleep 300").build());
    assertThat(info.getHostConfig().getCapDrop()).containsExactly(Capability.ALL);
    assertThat(info.getHostConfig().getCapAdd()).containsExactly(Capability.NET_BIND_SERVICE);
    assertThat(info.getHostConfig().getPidsLimit()).isEqualTo(100L);
    assertThat(info.getHostConfig().getTmpFs().get("/tmp")).contains("size=" + (16L << 20));

    LogCollector logs = new LogCollector();
    ContainerExit exit = run(runtime, shell("grep -E '^Cap(Bnd|Eff)' /proc/self/status; "
        + "head -c 20000000 /dev/zero > /tmp/big || echo tmp-full").build(), logs);
    assertThat(exit.exitCode()).isZero();
    // CAP_NET_BIND_SERVICE is bit 10: in the bounding set, not effective for a non-root process (no ambient
    // capabilities, and no-new-privileges blocks file capabilities); a 20 MB file does not fit into 16 MiB.
    assertThat(logs.stdout()).containsExactly("CapEff:\t0000000000000000", "CapBnd:\t0000000000000400", "tmp-full");

    InspectContainerResponse other = inspectRunning(runtime, shell("echo ready; sleep 300").definition("other").build());
    assertThat(other.getHostConfig().getCapAdd()).isNullOrEmpty();
    assertThat(other.getHostConfig().getPidsLimit()).isEqualTo(512L);
  }

  @Test
  void theDefinitionsLimitsReplaceTheDefaults() throws Exception {
    InspectContainerResponse info = inspectRunning(runtime(ContainerPolicy.builder().memoryLimit("256Mi").build()),
        shell("echo ready; sleep 300")
            .resources(new ResourceRequirements(Map.of(), Map.of("memory", "64Mi", "cpu", "250m"))).build());
    assertThat(info.getHostConfig().getMemory()).isEqualTo(64L << 20);
    assertThat(info.getHostConfig().getNanoCPUs()).isEqualTo(250_000_000L);

    InspectContainerResponse defaults = inspectRunning(runtime(ContainerPolicy.builder().memoryLimit("256Mi")
        .cpuLimit("2").build()), shell("echo ready; sleep 300").build());
    assertThat(defaults.getHostConfig().getMemory()).isEqualTo(256L << 20);
    assertThat(defaults.getHostConfig().getNanoCPUs()).isEqualTo(2_000_000_000L);
  }

  @Test
  void aDefinitionAsksForNoNetworkAndTheHostChoosesTheOthers() throws Exception {
    LogCollector none = new LogCollector();
    ContainerExit exit = run(runtime(ContainerPolicy.defaults()), shell("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '")
        .network(ContainerNetwork.NONE).build(), none);
    assertThat(exit.exitCode()).isZero();
    assertThat(none.stdout()).containsExactly("lo");

    LogCollector bridge = new LogCollector();
    run(runtime(ContainerPolicy.defaults()), shell("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort").build(),
        bridge);
    assertThat(bridge.stdout()).containsExactly("eth0", "lo");

    DockerContainerRuntime isolated = DockerContainerRuntime.builder().network("none").build();
    runtimes.add(isolated);
    InspectContainerResponse info = inspectRunning(isolated, shell("echo ready; sleep 300").build());
    assertThat(info.getHostConfig().getNetworkMode()).isEqualTo("none");
    assertThatThrownBy(() -> DockerContainerRuntime.builder().network("host"))
        .hasMessageContaining("\"host\" and \"container:...\" would share another's network namespace");
  }
}
