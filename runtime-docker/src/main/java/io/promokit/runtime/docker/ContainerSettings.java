package io.promokit.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ResourceRequirements;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a {@link ContainerRequest} becomes a Docker container: the command replaces the image's
 * entrypoint; the workdir, the output folder and the files folder are bind mounts; the user is the
 * request's uid with the shared group; {@code --init} reaps orphans and forwards signals; resources
 * become cgroup limits (memory without swap, so that going over the limit is an OOM kill rather than
 * swapping); the output is only streamed to the runtime (log driver {@code none}), never kept in a log
 * file on the daemon's disk.
 *
 * @param request what to run
 * @param image the request's image, parsed
 * @param attempt the attempt's folder
 * @param sharedGroup the workdir's group, which the container must have
 */
record ContainerSettings(ContainerRequest request, ImageReference image, AttemptDirectory attempt, int sharedGroup) {

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

  /** The request's env with {@code $(PROMOKIT_FILES)} expanded, then {@code KARGO_OUTPUT} and {@code PROMOKIT_FILES}. */
  List<String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    request.env().forEach((name, value) -> env.put(name, value.replace(FILES_PLACEHOLDER, AttemptDirectory.FILES_MOUNT)));
    env.put("KARGO_OUTPUT", AttemptDirectory.OUTPUT_MOUNT + "/" + AttemptDirectory.OUTPUT_FILE);
    env.put("PROMOKIT_FILES", AttemptDirectory.FILES_MOUNT);
    List<String> list = new ArrayList<>(env.size());
    env.forEach((name, value) -> list.add(name + "=" + value));
    return list;
  }

  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>(request.labels());
    labels.putIfAbsent(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE);
    return labels;
  }

  HostConfig hostConfig() {
    HostConfig host = HostConfig.newHostConfig()
        .withInit(true)
        .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE))
        .withMounts(List.of(
            bind(request.workdir().toString(), ContainerRequest.WORKSPACE, false),
            bind(attempt.outputDirectory().toString(), AttemptDirectory.OUTPUT_MOUNT, false),
            bind(attempt.filesDirectory().toString(), AttemptDirectory.FILES_MOUNT, true)));
    if (group() != sharedGroup) {
      host.withGroupAdd(List.of(Integer.toString(sharedGroup)));
    }
    ResourceRequirements resources = request.resources();
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
        .withEntrypoint(request.command())
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
