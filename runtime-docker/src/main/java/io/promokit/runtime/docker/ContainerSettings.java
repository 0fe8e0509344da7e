package io.promokit.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerNetwork;
import io.promokit.spi.ContainerPolicy;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.Hardening;
import io.promokit.spi.ResourceRequirements;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a {@link ContainerRequest} becomes a Docker container: the command replaces the image's
 * entrypoint; the workdir, the output folder and the files folder are bind mounts; the user is the
 * request's uid with the shared group; {@code --init} reaps orphans and forwards signals; the output is
 * only streamed to the runtime (log driver {@code none}), never kept in a log file on the daemon's disk.
 *
 * <p>Hardened as the {@link Hardening} says: every capability dropped (the host's allowance adds some
 * back), {@code no-new-privileges} (a setuid binary does not make its caller root), a read-only root
 * filesystem with a size-bounded tmpfs at {@code /tmp} ({@code HOME} is {@code /tmp} unless the request
 * sets it, so tools that write to their home work), a process limit, memory (without swap, so going over
 * it is an OOM kill) and CPU limits, a private IPC namespace, and the network the host chose or none.
 * Secret env values never appear in {@code Config.Env}: the {@link SecretLauncher} reads them from files.
 *
 * @param request what to run
 * @param image the request's image, parsed
 * @param attempt the attempt's folder
 * @param sharedGroup the workdir's group, which the container must have
 * @param hardening the limits and allowances for this request
 * @param network the Docker network for requests that do not ask for none
 * @param helper the static launcher's host path, or null when the request has no secret env
 */
record ContainerSettings(ContainerRequest request, ImageReference image, AttemptDirectory attempt, int sharedGroup,
    Hardening hardening, String network, Path helper) {

  /** Replaced in env values by the container's path of the files folder. */
  static final String FILES_PLACEHOLDER = "$(PROMOKIT_FILES)";

  /** The primary gid: the request's group, else the shared group. */
  int group() {
    return request.group() != null ? request.group() : sharedGroup;
  }

  /** {@code uid:gid}, numeric, so that images without {@code /etc/passwd} work too. */
  String user() {
    return request.user() + ":" + group();
  }

  /** A request's env value with {@code $(PROMOKIT_FILES)} expanded. */
  static String expand(String value) {
    return value.replace(FILES_PLACEHOLDER, AttemptDirectory.FILES_MOUNT);
  }

  /** The secret env values, expanded, in the order of {@link ContainerRequest#secretEnvNames()}. */
  List<String> secretValues() {
    return request.secretEnvNames().stream().map(name -> expand(request.env().get(name))).toList();
  }

  /**
   * {@code Config.Env}: the request's env without its secrets, {@code $(PROMOKIT_FILES)} expanded, then
   * {@code HOME} (unless set), {@code KARGO_OUTPUT} and {@code PROMOKIT_FILES}.
   */
  List<String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    request.env().forEach((name, value) -> {
      if (!request.isSecretEnv(name)) {
        env.put(name, expand(value));
      }
    });
    if (!request.env().containsKey("HOME")) {
      env.put("HOME", ContainerPolicy.TMP);
    }
    env.put("KARGO_OUTPUT", AttemptDirectory.OUTPUT_MOUNT + "/" + AttemptDirectory.OUTPUT_FILE);
    env.put("PROMOKIT_FILES", AttemptDirectory.FILES_MOUNT);
    List<String> list = new ArrayList<>(env.size());
    env.forEach((name, value) -> list.add(name + "=" + value));
    return list;
  }

  /** The argv: the request's, or the launcher's around it when there are secrets. */
  List<String> entrypoint() {
    if (helper == null) {
      return request.command();
    }
    return SecretLauncher.entrypoint(List.copyOf(request.secretEnvNames()), request.command());
  }

  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>(request.labels());
    labels.putIfAbsent(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE);
    return labels;
  }

  /** The network mode: {@code none} when the request asks for it, else the host's network. */
  String networkMode() {
    return request.network() == ContainerNetwork.NONE ? "none" : network;
  }

  HostConfig hostConfig() {
    List<Mount> mounts = new ArrayList<>(List.of(
        bind(request.workdir().toString(), ContainerRequest.WORKSPACE, false),
        bind(attempt.outputDirectory().toString(), AttemptDirectory.OUTPUT_MOUNT, false),
        bind(attempt.filesDirectory().toString(), AttemptDirectory.FILES_MOUNT, true)));
    if (helper != null) {
      mounts.add(bind(helper.toString(), HelperBinary.MOUNT, true));
      mounts.add(bind(attempt.envDirectory().toString(), SecretLauncher.ENV_MOUNT, false));
    }
    HostConfig host = HostConfig.newHostConfig()
        .withInit(true)
        .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE))
        .withMounts(mounts)
        .withPrivileged(false)
        .withCapDrop(Capability.ALL)
        .withSecurityOpts(List.of("no-new-privileges"))
        .withReadonlyRootfs(true)
        .withTmpFs(Map.of(ContainerPolicy.TMP, "rw,nosuid,nodev,size=" + hardening.tmpBytes() + ",mode=1777"))
        .withPidsLimit((long) hardening.pidsLimit())
        .withIpcMode("private")
        .withNetworkMode(networkMode());
    if (!hardening.addedCapabilities().isEmpty()) {
      host.withCapAdd(hardening.addedCapabilities().stream().map(Capability::valueOf).toArray(Capability[]::new));
    }
    if (group() != sharedGroup) {
      host.withGroupAdd(List.of(Integer.toString(sharedGroup)));
    }
    ResourceRequirements resources = hardening.resources();
    resources.memoryLimitBytes().ifPresent(bytes -> host.withMemory(bytes).withMemorySwap(bytes));
    resources.memoryRequestBytes().ifPresent(host::withMemoryReservation);
    resources.cpuLimitMillis().ifPresent(millis -> host.withNanoCPUs(millis * 1_000_000L));
    // As the kubelet does: 1024 shares per requested core, at least 2.
    resources.cpuRequestMillis().ifPresent(millis -> host.withCpuShares((int) Math.max(2, millis * 1024 / 1000)));
    return host;
  }

  CreateContainerCmd createCommand(DockerClient client, String name) {
    return client.createContainerCmd(image.text())
        .withName(name)
        .withEntrypoint(entrypoint())
        .withEnv(environment())
        .withUser(user())
        .withWorkingDir(ContainerRequest.WORKSPACE)
        .withLabels(labels())
        .withAttachStdin(false)
        .withAttachStdout(true)
        .withAttachStderr(true)
        .withTty(false)
        .withStdinOpen(false)
        .withHostConfig(hostConfig());
  }

  private static Mount bind(String source, String target, boolean readOnly) {
    return new Mount().withType(MountType.BIND).withSource(source).withTarget(target).withReadOnly(readOnly);
  }
}
