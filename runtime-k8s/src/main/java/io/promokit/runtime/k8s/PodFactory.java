package io.promokit.runtime.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.promokit.spi.ContainerFile;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerNetwork;
import io.promokit.spi.ContainerPolicy;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.Hardening;
import io.promokit.spi.ResourceRequirements;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link ContainerRequest} into the objects of one attempt: the Pod and, when the request has env
 * values or files, a Secret holding them (env values may be secrets, and a Pod spec is readable by anyone
 * who may list Pods).
 *
 * <p>The Pod passes the restricted Pod Security Standard unless the host's {@link ContainerPolicy} allows
 * the definition root or capabilities beyond {@code NET_BIND_SERVICE}: a non-root user ({@code runAsNonRoot},
 * uid and primary group never 0) with the {@code RuntimeDefault} seccomp profile; in every container no
 * privilege escalation, all capabilities dropped, a read-only root filesystem; a memory-backed {@code /tmp}
 * of the policy's size; memory and CPU limits (the definition's, else the policy's).
 */
final class PodFactory {

  /** The Pod and its Secret (null when there is nothing to put in one). */
  record PodObjects(Pod pod, Secret secret) {}

  private final KubernetesRuntimeSettings settings;
  private final String namespace;

  PodFactory(KubernetesRuntimeSettings settings, String namespace) {
    this.settings = settings;
    this.namespace = namespace;
  }

  /**
   * @param subPath the workdir's sub-path inside the claim, or empty for the whole claim
   */
  PodObjects build(ContainerRequest request, StepWrapper wrapper, Optional<String> subPath) {
    Hardening hardening = settings.policy().harden(request, "kubernetes");
    long runAsGroup = request.group() != null ? request.group() : fsGroup(request);
    hardening.requireNonRootGroup(runAsGroup);
    hardening.requireNonRootGroup(fsGroup(request));
    String podName = request.name();
    String secretName = PodLayout.secretName(podName);
    Map<String, String> secretData = new LinkedHashMap<>();
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("KARGO_OUTPUT").withValue(PodLayout.OUTPUT_FILE).build());
    boolean hasFiles = !request.files().isEmpty();
    if (hasFiles) {
      env.add(new EnvVarBuilder().withName("PROMOKIT_FILES").withValue(PodLayout.FILES_DIR).build());
    }
    if (!request.env().containsKey("HOME")) {
      // The root filesystem is read-only: tools that write to their home write to /tmp.
      env.add(new EnvVarBuilder().withName("HOME").withValue(ContainerPolicy.TMP).build());
    }
    int index = 0;
    for (Map.Entry<String, String> e : request.env().entrySet()) {
      if (e.getKey().equals("KARGO_OUTPUT") || e.getKey().equals("PROMOKIT_FILES")) {
        continue;
      }
      String key = "env-" + index++;
      String value = e.getValue().replace("$(PROMOKIT_FILES)", PodLayout.FILES_DIR);
      secretData.put(key, base64(value.getBytes(StandardCharsets.UTF_8)));
      env.add(new EnvVarBuilder().withName(e.getKey())
          .withNewValueFrom().withNewSecretKeyRef().withName(secretName).withKey(key).endSecretKeyRef().endValueFrom().build());
    }
    List<KeyToPath> fileItems = new ArrayList<>();
    int fileIndex = 0;
    for (ContainerFile file : request.files()) {
      String key = "file-" + fileIndex++;
      secretData.put(key, base64(file.content()));
      fileItems.add(new KeyToPathBuilder().withKey(key).withPath(file.name()).build());
    }

    Map<String, String> labels = new LinkedHashMap<>(settings.podLabels());
    labels.putAll(request.labels());
    // What reap and list select by, whoever built the request.
    labels.putIfAbsent(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE);
    Map<String, String> secretLabels = new LinkedHashMap<>(request.labels());
    secretLabels.putIfAbsent(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE);
    if (request.network() == ContainerNetwork.NONE) {
      labels.put(PodLayout.NETWORK_LABEL, PodLayout.NETWORK_NONE);
    }
    Map<String, String> annotations = new LinkedHashMap<>(settings.podAnnotations());
    annotations.put(PodLayout.ATTEMPT_ID_ANNOTATION, wrapper.id());

    Secret secret = secretData.isEmpty() ? null : new SecretBuilder()
        .withNewMetadata().withName(secretName).withNamespace(namespace)
        .withLabels(secretLabels)
        .withAnnotations(Map.of(PodLayout.ATTEMPT_ID_ANNOTATION, wrapper.id()))
        .endMetadata()
        .withType("Opaque")
        .withData(secretData)
        .build();

    io.fabric8.kubernetes.api.model.ResourceRequirements resources = resources(hardening.resources());
    SecurityContext containerSecurity = containerSecurity(hardening);
    VolumeMount helperMount = new VolumeMountBuilder()
        .withName(PodLayout.HELPER_VOLUME).withMountPath(PodLayout.HELPER_DIR).build();

    Container init = new ContainerBuilder()
        .withName(PodLayout.INIT_CONTAINER)
        .withImage(settings.helperImage())
        .withImagePullPolicy("IfNotPresent")
        .withCommand(escape(List.of(settings.helperBinary(), "cp", settings.helperBinary(), PodLayout.HELPER_BINARY)))
        .withResources(resources)
        .withSecurityContext(containerSecurity)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withVolumeMounts(helperMount)
        .build();

    List<VolumeMount> stepMounts = new ArrayList<>();
    VolumeMountBuilder workspaceMount = new VolumeMountBuilder()
        .withName(PodLayout.WORKSPACE_VOLUME).withMountPath(ContainerRequest.WORKSPACE);
    subPath.ifPresent(workspaceMount::withSubPath);
    stepMounts.add(workspaceMount.build());
    stepMounts.add(helperMount);
    stepMounts.add(new VolumeMountBuilder().withName(PodLayout.TMP_VOLUME).withMountPath(ContainerPolicy.TMP).build());
    if (hasFiles) {
      stepMounts.add(new VolumeMountBuilder()
          .withName(PodLayout.FILES_VOLUME).withMountPath(PodLayout.FILES_DIR).withReadOnly(true).build());
    }
    Container step = new ContainerBuilder()
        .withName(PodLayout.STEP_CONTAINER)
        .withImage(request.image())
        .withImagePullPolicy(request.pullPolicy().word())
        .withCommand(escape(wrapper.command()))
        .withArgs(escape(request.command()))
        .withWorkingDir(ContainerRequest.WORKSPACE)
        .withEnv(env)
        .withResources(resources)
        .withSecurityContext(containerSecurity)
        .withVolumeMounts(stepMounts)
        .build();

    List<Volume> volumes = new ArrayList<>();
    VolumeBuilder workspace = new VolumeBuilder().withName(PodLayout.WORKSPACE_VOLUME);
    settings.workdirClaim().ifPresentOrElse(
        claim -> workspace.withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim(),
        () -> workspace.withNewEmptyDir().endEmptyDir());
    volumes.add(workspace.build());
    volumes.add(new VolumeBuilder().withName(PodLayout.HELPER_VOLUME).withNewEmptyDir().endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName(PodLayout.TMP_VOLUME).withNewEmptyDir().withMedium("Memory")
        .withSizeLimit(new Quantity(hardening.tmpSize())).endEmptyDir().build());
    if (hasFiles) {
      volumes.add(new VolumeBuilder().withName(PodLayout.FILES_VOLUME)
          .withNewSecret().withSecretName(secretName).withItems(fileItems).withDefaultMode(0444).endSecret()
          .build());
    }

    Pod pod = new PodBuilder()
        .withNewMetadata()
        .withName(podName)
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withTerminationGracePeriodSeconds(ceilSeconds(request))
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(settings.serviceAccountName().isPresent() ? null : Boolean.FALSE)
        .withServiceAccountName(settings.serviceAccountName().orElse(null))
        .withPriorityClassName(settings.priorityClassName().orElse(null))
        .withNodeSelector(settings.nodeSelector().isEmpty() ? null : new LinkedHashMap<>(settings.nodeSelector()))
        .withTolerations(settings.tolerations())
        .withAffinity(settings.affinity().orElse(null))
        .withSecurityContext(podSecurity(request, runAsGroup))
        .withImagePullSecrets(request.pullSecretNames().stream().map(LocalObjectReference::new).toList())
        .withInitContainers(init)
        .withContainers(step)
        .withVolumes(volumes)
        .endSpec()
        .build();
    return new PodObjects(pod, secret);
  }

  /** The group the Pod's volumes are shared with: the request's, else the settings', else the user's. */
  long fsGroup(ContainerRequest request) {
    if (request.group() != null) {
      return request.group();
    }
    return settings.fsGroup().orElse((long) request.user());
  }

  private PodSecurityContext podSecurity(ContainerRequest request, long runAsGroup) {
    PodSecurityContextBuilder b = new PodSecurityContextBuilder()
        .withRunAsUser((long) request.user())
        .withRunAsGroup(runAsGroup)
        .withFsGroup(fsGroup(request))
        .withFsGroupChangePolicy(settings.fsGroupChangePolicy().word())
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
    if (request.user() != 0) {
      b.withRunAsNonRoot(true);
    }
    return b.build();
  }

  /**
   * What the restricted Pod Security Standard asks of every container, and a read-only root filesystem;
   * capabilities the host allows the definition are added back (only {@code NET_BIND_SERVICE} keeps the
   * Pod within the restricted standard).
   */
  private static SecurityContext containerSecurity(Hardening hardening) {
    SecurityContextBuilder b = new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withReadOnlyRootFilesystem(true);
    if (hardening.addedCapabilities().isEmpty()) {
      b.withNewCapabilities().withDrop("ALL").endCapabilities();
    } else {
      b.withNewCapabilities().withDrop("ALL").withAdd(List.copyOf(hardening.addedCapabilities())).endCapabilities();
    }
    return b.build();
  }

  private static io.fabric8.kubernetes.api.model.ResourceRequirements resources(ResourceRequirements r) {
    if (r.requests().isEmpty() && r.limits().isEmpty()) {
      return null;
    }
    return new ResourceRequirementsBuilder()
        .withRequests(quantities(r.requests()))
        .withLimits(quantities(r.limits()))
        .build();
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    if (values.isEmpty()) {
      return null;
    }
    Map<String, Quantity> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, new Quantity(v)));
    return out;
  }

  private static long ceilSeconds(ContainerRequest request) {
    long millis = request.gracePeriod().toMillis();
    return (millis + 999) / 1000;
  }

  /**
   * The kubelet expands {@code $(NAME)} in command and args, and reads {@code $$} as one {@code $}. A
   * {@code $} followed by {@code (} or {@code $} is therefore doubled, so that the argv arrives as the
   * request gave it, as on every other runtime; any other {@code $} passes as it is.
   */
  static List<String> escape(List<String> argv) {
    return argv.stream().map(PodFactory::escape).toList();
  }

  private static String escape(String arg) {
    StringBuilder out = new StringBuilder(arg.length());
    for (int i = 0; i < arg.length(); i++) {
      char c = arg.charAt(i);
      out.append(c);
      if (c == '$' && i + 1 < arg.length() && (arg.charAt(i + 1) == '(' || arg.charAt(i + 1) == '$')) {
        out.append('$');
      }
    }
    return out.toString();
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
