package io.promokit.cli;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.promokit.expressions.GoDuration;
import io.promokit.runtime.k8s.KubernetesRuntimeSettings;
import io.promokit.spi.ContainerPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Kubernetes runtime's options, from flags or a small YAML file ({@code --k8s-config}); a flag wins
 * over the file. Everything is checked before anything runs.
 *
 * <pre>
 * namespace: promotions
 * workdirClaim: promokit-workdir     # the PersistentVolumeClaim step Pods mount at /workspace
 * workdirRoot: /var/lib/promokit     # where this host mounts that claim; each promotion gets a sub-path
 * helperImage: busybox:1.36.1-musl   # holds the static BusyBox that runs steps without a shell
 * imagePullGracePeriod: 1m
 * schedulingGracePeriod: 1m
 * podTemplate:                       # node selector, tolerations, service account, annotations, labels
 *   spec:
 *     nodeSelector: {pool: steps}
 * </pre>
 */
final class KubernetesOptions {

  Path configFile;

  String workdirClaim;

  Path workdirRoot;

  String helperImage;

  /** Declares the {@code --k8s-*} options. */
  void declare(Arguments arguments) {
    arguments.value("--k8s-config", "FILE", "kubernetes: a YAML file with the options below.",
        Arguments.path("--k8s-config", file -> configFile = file));
    arguments.value("--k8s-workdir-claim", "PVC", "kubernetes: the PersistentVolumeClaim step pods mount at /workspace.",
        claim -> workdirClaim = claim);
    arguments.value("--k8s-workdir-root", "DIR",
        "kubernetes: where this host mounts that claim; each promotion gets its own sub-path.",
        Arguments.path("--k8s-workdir-root", dir -> workdirRoot = dir));
    arguments.value("--k8s-helper-image", "IMAGE",
        "kubernetes: image holding the static BusyBox that runs steps without a shell.", image -> helperImage = image);
  }

  /** The file's fields, all optional. */
  record FileSettings(String namespace, String workdirClaim, String workdirRoot, String helperImage,
      String imagePullGracePeriod, String schedulingGracePeriod, Map<String, Object> podTemplate) {}

  private static final List<String> FIELDS = List.of("namespace", "workdirClaim", "workdirRoot", "helperImage",
      "imagePullGracePeriod", "schedulingGracePeriod", "podTemplate");

  /** The line of a top-level key (the file is flat: its keys start at column 1). */
  private static int lineOf(String text, String key) {
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].matches(Pattern.quote(key) + "\\s*:.*")) {
        return i + 1;
      }
    }
    return 1;
  }

  boolean anySet() {
    return configFile != null || workdirClaim != null || workdirRoot != null || helperImage != null;
  }

  /** Where engine-created workdirs go: under the claim's mount on this host. */
  Path effectiveWorkdirRoot() {
    if (workdirRoot != null) {
      return workdirRoot.toAbsolutePath();
    }
    FileSettings file = readFile();
    return file == null || file.workdirRoot() == null ? null : Path.of(file.workdirRoot()).toAbsolutePath();
  }

  /**
   * The runtime's settings.
   *
   * @throws BadInputException naming the flag, or the file, line and field, that is wrong
   */
  KubernetesRuntimeSettings settings(String namespaceFlag, ContainerPolicy policy) {
    FileSettings file = readFile();
    String where = configFile == null ? "" : configFile + ": ";
    KubernetesRuntimeSettings.Builder b = KubernetesRuntimeSettings.builder().policy(policy);
    try {
      String namespace = namespaceFlag != null ? namespaceFlag : file == null ? null : file.namespace();
      if (namespace != null) {
        b.namespace(namespace);
      }
      String claim = workdirClaim != null ? workdirClaim : file == null ? null : file.workdirClaim();
      Path root = effectiveWorkdirRoot();
      if (claim != null) {
        if (root != null) {
          b.workdirClaim(claim, root);
        } else {
          b.workdirClaim(claim);
        }
      } else if (root != null) {
        throw new BadInputException("--k8s-workdir-root needs --k8s-workdir-claim (the claim mounted there)");
      }
      String helper = helperImage != null ? helperImage : file == null ? null : file.helperImage();
      if (helper != null) {
        b.helperImage(helper);
      }
      if (file != null) {
        if (file.imagePullGracePeriod() != null) {
          b.imagePullGracePeriod(GoDuration.parse(file.imagePullGracePeriod()));
        }
        if (file.schedulingGracePeriod() != null) {
          b.schedulingGracePeriod(GoDuration.parse(file.schedulingGracePeriod()));
        }
        if (file.podTemplate() != null) {
          b.podTemplate(Serialization.unmarshal(Serialization.asJson(file.podTemplate()), PodTemplateSpec.class));
        }
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new BadInputException(where + "kubernetes settings: " + e.getMessage(), e);
    }
  }

  private FileSettings readFile() {
    if (configFile == null) {
      return null;
    }
    String text = Json.readText(configFile);
    Object parsed = Json.readYamlOrJson(configFile, text);
    if (parsed == null) {
      return null;
    }
    if (!(parsed instanceof Map<?, ?> raw)) {
      throw new BadInputException(configFile + ": must be a map of settings (known: " + String.join(", ", FIELDS)
          + ")");
    }
    for (Object key : raw.keySet()) {
      if (!FIELDS.contains(String.valueOf(key))) {
        throw new BadInputException(configFile + ":" + lineOf(text, String.valueOf(key)) + ":1: unknown field \""
            + key + "\" (known: " + String.join(", ", FIELDS) + ")");
      }
    }
    try {
      return Json.COMPACT.convertValue(raw, FileSettings.class); // unknown fields were refused above
    } catch (IllegalArgumentException e) {
      throw new BadInputException(configFile + ": " + e.getMessage(), e);
    }
  }
}
