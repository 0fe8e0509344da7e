package io.promokit.runtime.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.promokit.spi.ContainerPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How {@link KubernetesContainerRuntime} runs step Pods: the namespace, the shared workdir volume, the
 * helper image that lets step images without a shell report their output, what the host adds to every
 * Pod (node selector, tolerations, service account, annotations), and the grace periods it waits before
 * calling a pending Pod a failure. Immutable; built with {@link #builder()}, whose setters check each
 * value and say what was wrong.
 *
 * <pre>{@code
 * KubernetesRuntimeSettings settings = KubernetesRuntimeSettings.builder()
 *     .namespace("promotions")
 *     .workdirClaim("promokit-workdir", Path.of("/var/lib/promokit"))
 *     .nodeSelector(Map.of("pool", "steps"))
 *     .build();
 * }</pre>
 */
public final class KubernetesRuntimeSettings {

  /** The default helper image: the official BusyBox image, whose {@code /bin/busybox} is static. */
  public static final String DEFAULT_HELPER_IMAGE = "busybox:1.36.1-musl";
  /** Where the default helper image keeps its static BusyBox binary. */
  public static final String DEFAULT_HELPER_BINARY = "/bin/busybox";
  /** The default time a Pod may keep failing to pull its image from an unreachable registry. */
  public static final Duration DEFAULT_IMAGE_PULL_GRACE_PERIOD = Duration.ofMinutes(1);
  /** The default time a Pod may stay unschedulable. */
  public static final Duration DEFAULT_SCHEDULING_GRACE_PERIOD = Duration.ofMinutes(1);
  /** The default time {@code stop} waits past the grace period for the Pod to be gone. */
  public static final Duration DEFAULT_DELETION_TIMEOUT = Duration.ofSeconds(30);
  /** The default number of tries of one Kubernetes API call (transient errors only). */
  public static final int DEFAULT_API_ATTEMPTS = 5;
  /** The default wait before the second try of an API call; doubled for each further try. */
  public static final Duration DEFAULT_API_BACKOFF = Duration.ofMillis(500);
  /**
   * The default number of bytes of {@code KARGO_OUTPUT} a Pod reports: 16 MiB, what the engine reads of any
   * output source (a {@code transform} may shrink a large output under the 256 KiB limit of the result).
   */
  public static final int DEFAULT_OUTPUT_CAPTURE_LIMIT = 16 * 1024 * 1024;
  /** The smallest output capture limit: the engine's limit on a step's output map. */
  public static final int MIN_OUTPUT_CAPTURE_LIMIT = 256 * 1024;
  /** The largest output capture limit: the engine's cap on a raw output source. */
  public static final int MAX_OUTPUT_CAPTURE_LIMIT = 16 * 1024 * 1024;

  /** How the kubelet applies {@code fsGroup} to the workdir volume. */
  public enum FsGroupChangePolicy {
    /** Every Pod start: files the host wrote since the last step become group-writable too. */
    ALWAYS("Always"),
    /** Only when the volume's root does not match yet: faster for large workdirs. */
    ON_ROOT_MISMATCH("OnRootMismatch");

    private final String word;

    FsGroupChangePolicy(String word) {
      this.word = word;
    }

    /** The Pod spec's word for it. */
    public String word() {
      return word;
    }
  }

  private static final Set<String> TEMPLATE_SPEC_FIELDS =
      Set.of("nodeSelector", "tolerations", "affinity", "serviceAccountName", "priorityClassName");
  private static final Set<String> TEMPLATE_METADATA_FIELDS = Set.of("labels", "annotations");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final String namespace;
  private final String workdirClaim;
  private final Path workdirHostRoot;
  private final String helperImage;
  private final String helperBinary;
  private final Map<String, String> nodeSelector;
  private final List<Toleration> tolerations;
  private final Affinity affinity;
  private final String serviceAccountName;
  private final String priorityClassName;
  private final Map<String, String> podAnnotations;
  private final Map<String, String> podLabels;
  private final Long fsGroup;
  private final FsGroupChangePolicy fsGroupChangePolicy;
  private final Duration imagePullGracePeriod;
  private final Duration schedulingGracePeriod;
  private final Duration deletionTimeout;
  private final int apiAttempts;
  private final Duration apiBackoff;
  private final int outputCaptureLimit;
  private final ContainerPolicy policy;

  private KubernetesRuntimeSettings(Builder b) {
    this.namespace = b.namespace;
    this.workdirClaim = b.workdirClaim;
    this.workdirHostRoot = b.workdirHostRoot;
    this.helperImage = b.helperImage;
    this.helperBinary = b.helperBinary;
    this.nodeSelector = Collections.unmodifiableMap(new LinkedHashMap<>(b.nodeSelector));
    this.tolerations = b.tolerations.stream().map(KubernetesRuntimeSettings::copy).toList();
    this.affinity = b.affinity == null ? null : copy(b.affinity);
    this.serviceAccountName = b.serviceAccountName;
    this.priorityClassName = b.priorityClassName;
    this.podAnnotations = Collections.unmodifiableMap(new LinkedHashMap<>(b.podAnnotations));
    this.podLabels = Collections.unmodifiableMap(new LinkedHashMap<>(b.podLabels));
    this.fsGroup = b.fsGroup;
    this.fsGroupChangePolicy = b.fsGroupChangePolicy;
    this.imagePullGracePeriod = b.imagePullGracePeriod;
    this.schedulingGracePeriod = b.schedulingGracePeriod;
    this.deletionTimeout = b.deletionTimeout;
    this.apiAttempts = b.apiAttempts;
    this.apiBackoff = b.apiBackoff;
    this.outputCaptureLimit = b.outputCaptureLimit;
    this.policy = b.policy;
  }

  /** A builder with every default; the namespace then comes from the client's configuration. */
  public static Builder builder() {
    return new Builder();
  }

  /** The settings with every default. */
  public static KubernetesRuntimeSettings defaults() {
    return builder().build();
  }

  /** The namespace for step Pods, or empty to use the client's (kubeconfig context or in-cluster). */
  public Optional<String> namespace() {
    return Optional.ofNullable(namespace);
  }

  /** The PersistentVolumeClaim mounted at {@code /workspace}, or empty for a per-Pod empty directory. */
  public Optional<String> workdirClaim() {
    return Optional.ofNullable(workdirClaim);
  }

  /**
   * Where the host mounts the same claim, or empty. When set, each request's workdir must lie under it
   * and its relative path becomes the Pod's {@code subPath}: one directory per promotion.
   */
  public Optional<Path> workdirHostRoot() {
    return Optional.ofNullable(workdirHostRoot);
  }

  /** The image of the init container that provides the static helper. */
  public String helperImage() {
    return helperImage;
  }

  /** The path of the static BusyBox binary inside the helper image. */
  public String helperBinary() {
    return helperBinary;
  }

  /** The node selector of every Pod. */
  public Map<String, String> nodeSelector() {
    return nodeSelector;
  }

  /** The tolerations (copies; changing them changes nothing here). */
  public List<Toleration> tolerations() {
    return tolerations.stream().map(KubernetesRuntimeSettings::copy).toList();
  }

  /** The affinity (a copy), if any. */
  public Optional<Affinity> affinity() {
    return Optional.ofNullable(affinity).map(KubernetesRuntimeSettings::copy);
  }

  /** The service account every Pod runs as, or empty for the namespace default (its token not mounted). */
  public Optional<String> serviceAccountName() {
    return Optional.ofNullable(serviceAccountName);
  }

  /** The priority class of every Pod, if any. */
  public Optional<String> priorityClassName() {
    return Optional.ofNullable(priorityClassName);
  }

  /** Annotations for every Pod. */
  public Map<String, String> podAnnotations() {
    return podAnnotations;
  }

  /** Extra labels for every Pod (never overriding promokit's own). */
  public Map<String, String> podLabels() {
    return podLabels;
  }

  /** The Pod's {@code fsGroup} when the request names no group; empty means the request's user id. */
  public Optional<Long> fsGroup() {
    return Optional.ofNullable(fsGroup);
  }

  /** How the kubelet applies {@code fsGroup} to the workdir volume. */
  public FsGroupChangePolicy fsGroupChangePolicy() {
    return fsGroupChangePolicy;
  }

  /** How long an image may fail to pull for a passing reason before the attempt fails (retryable). */
  public Duration imagePullGracePeriod() {
    return imagePullGracePeriod;
  }

  /** How long a Pod may stay unschedulable before the attempt fails (retryable). */
  public Duration schedulingGracePeriod() {
    return schedulingGracePeriod;
  }

  /** How long {@code stop} waits, past the grace period, for a deleted Pod to be gone. */
  public Duration deletionTimeout() {
    return deletionTimeout;
  }

  /** How many times one API call is tried on transient errors. */
  public int apiAttempts() {
    return apiAttempts;
  }

  /** The wait before the second try of an API call (doubled for each further try). */
  public Duration apiBackoff() {
    return apiBackoff;
  }

  /** How many bytes of {@code KARGO_OUTPUT} a Pod reports. */
  public int outputCaptureLimit() {
    return outputCaptureLimit;
  }

  /** How hardened step Pods are, and what the host allows particular definitions. */
  public ContainerPolicy policy() {
    return policy;
  }

  @Override
  public String toString() {
    return "KubernetesRuntimeSettings[namespace=" + namespace + ", workdirClaim=" + workdirClaim
        + ", workdirHostRoot=" + workdirHostRoot + ", helperImage=" + helperImage + "]";
  }

  private static Toleration copy(Toleration t) {
    return Serialization.clone(t);
  }

  private static Affinity copy(Affinity a) {
    return Serialization.clone(a);
  }

  /** Builds {@link KubernetesRuntimeSettings}; each setter rejects a bad value with the reason. */
  public static final class Builder {
    private String namespace;
    private String workdirClaim;
    private Path workdirHostRoot;
    private String helperImage = DEFAULT_HELPER_IMAGE;
    private String helperBinary = DEFAULT_HELPER_BINARY;
    private final Map<String, String> nodeSelector = new LinkedHashMap<>();
    private final List<Toleration> tolerations = new ArrayList<>();
    private Affinity affinity;
    private String serviceAccountName;
    private String priorityClassName;
    private final Map<String, String> podAnnotations = new LinkedHashMap<>();
    private final Map<String, String> podLabels = new LinkedHashMap<>();
    private Long fsGroup;
    private FsGroupChangePolicy fsGroupChangePolicy = FsGroupChangePolicy.ALWAYS;
    private Duration imagePullGracePeriod = DEFAULT_IMAGE_PULL_GRACE_PERIOD;
    private Duration schedulingGracePeriod = DEFAULT_SCHEDULING_GRACE_PERIOD;
    private Duration deletionTimeout = DEFAULT_DELETION_TIMEOUT;
    private int apiAttempts = DEFAULT_API_ATTEMPTS;
    private Duration apiBackoff = DEFAULT_API_BACKOFF;
    private int outputCaptureLimit = DEFAULT_OUTPUT_CAPTURE_LIMIT;
    private ContainerPolicy policy = ContainerPolicy.defaults();

    private Builder() {}

    /**
     * How hardened step Pods are (default {@link ContainerPolicy#defaults()}: the restricted Pod Security
     * Standard, a read-only root filesystem with a 128 MiB memory-backed {@code /tmp}, 1 GiB and one core
     * unless the definition sets limits), and what the host allows particular definitions (root, added
     * capabilities, another {@code /tmp} size). The policy's process limit is not applied on Kubernetes:
     * the kubelet's {@code podPidsLimit} sets it per node.
     */
    public Builder policy(ContainerPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy must not be null");
      return this;
    }

    /** The namespace step Pods run in (a DNS-1123 label). */
    public Builder namespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace must not be null");
      if (!DNS_LABEL.matcher(namespace).matches()) {
        throw new IllegalArgumentException("namespace must be a DNS-1123 label (at most 63 lower-case letters, "
            + "digits and dashes), but was \"" + namespace + "\"");
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * Mounts the whole claim at {@code /workspace}: for a host that mounts the same claim as its workdir
     * (ReadWriteMany, or ReadWriteOnce with every Pod on the host's node).
     */
    public Builder workdirClaim(String claimName) {
      this.workdirClaim = checkClaim(claimName);
      this.workdirHostRoot = null;
      return this;
    }

    /**
     * Mounts the claim at {@code /workspace} with a sub-path per promotion: the host mounts the claim at
     * {@code hostRoot}, and each request's workdir (under it) becomes the Pod's {@code subPath}.
     */
    public Builder workdirClaim(String claimName, Path hostRoot) {
      String claim = checkClaim(claimName);
      Objects.requireNonNull(hostRoot, "workdir host root must not be null");
      if (!hostRoot.isAbsolute()) {
        throw new IllegalArgumentException("workdir host root must be an absolute path, but was " + hostRoot);
      }
      this.workdirClaim = claim;
      this.workdirHostRoot = hostRoot.normalize();
      return this;
    }

    /** The image of the init container that copies a static BusyBox into each Pod. */
    public Builder helperImage(String image) {
      Objects.requireNonNull(image, "helper image must not be null");
      if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("helper image must be an image reference without spaces, but was \""
            + image + "\"");
      }
      this.helperImage = image;
      return this;
    }

    /** Where the helper image keeps a static BusyBox binary (with sh, awk, base64, mkfifo). */
    public Builder helperBinary(String path) {
      Objects.requireNonNull(path, "helper binary must not be null");
      if (!path.startsWith("/") || path.endsWith("/") || path.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("helper binary must be an absolute file path without spaces, but was \""
            + path + "\"");
      }
      this.helperBinary = path;
      return this;
    }

    /** The Pods' node selector (replaces any earlier one). */
    public Builder nodeSelector(Map<String, String> selector) {
      Objects.requireNonNull(selector, "node selector must not be null");
      selector.forEach((k, v) -> checkEntry("node selector", k, v));
      nodeSelector.clear();
      nodeSelector.putAll(selector);
      return this;
    }

    /** The Pods' tolerations (replaces any earlier ones). */
    public Builder tolerations(List<Toleration> values) {
      Objects.requireNonNull(values, "tolerations must not be null");
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) == null) {
          throw new IllegalArgumentException("tolerations[" + i + "] must not be null");
        }
      }
      tolerations.clear();
      values.forEach(t -> tolerations.add(copy(t)));
      return this;
    }

    /** The Pods' affinity, or null for none. */
    public Builder affinity(Affinity value) {
      this.affinity = value == null ? null : copy(value);
      return this;
    }

    /** The service account the Pods run as; its token is mounted as that account says. */
    public Builder serviceAccountName(String name) {
      this.serviceAccountName = name == null ? null : checkSubdomain("service account name", name);
      return this;
    }

    /** The Pods' priority class, or null for the cluster default. */
    public Builder priorityClassName(String name) {
      this.priorityClassName = name == null ? null : checkSubdomain("priority class name", name);
      return this;
    }

    /** Annotations for every Pod (replaces any earlier ones). */
    public Builder podAnnotations(Map<String, String> annotations) {
      Objects.requireNonNull(annotations, "pod annotations must not be null");
      annotations.forEach((k, v) -> checkEntry("pod annotations", k, v));
      podAnnotations.clear();
      podAnnotations.putAll(annotations);
      return this;
    }

    /** Extra labels for every Pod (replaces any earlier ones); promokit's own labels cannot be set. */
    public Builder podLabels(Map<String, String> labels) {
      Objects.requireNonNull(labels, "pod labels must not be null");
      labels.forEach((k, v) -> {
        checkEntry("pod labels", k, v);
        if (k.startsWith("promokit.io/") || k.equals("app.kubernetes.io/managed-by")) {
          throw new IllegalArgumentException("pod labels must not set promokit's own label \"" + k + "\"");
        }
      });
      podLabels.clear();
      podLabels.putAll(labels);
      return this;
    }

    /**
     * Takes node selector, tolerations, affinity, service account, priority class, annotations and labels
     * from a Pod template (for example one read from YAML with fabric8's {@code Serialization}). Anything
     * else in it (containers, volumes, security context...) is rejected: promokit builds those.
     */
    public Builder podTemplate(PodTemplateSpec template) {
      Objects.requireNonNull(template, "pod template must not be null");
      PodTemplateSpec t = Serialization.clone(template);
      ObjectMeta meta = t.getMetadata() == null ? new ObjectMeta() : t.getMetadata();
      PodSpec spec = t.getSpec() == null ? new PodSpec() : t.getSpec();
      rejectUnsupported(spec, meta);
      nodeSelector(nullToEmpty(spec.getNodeSelector()));
      tolerations(spec.getTolerations() == null ? List.of() : spec.getTolerations());
      affinity(spec.getAffinity());
      serviceAccountName(spec.getServiceAccountName());
      priorityClassName(spec.getPriorityClassName());
      podAnnotations(nullToEmpty(meta.getAnnotations()));
      podLabels(nullToEmpty(meta.getLabels()));
      return this;
    }

    /** The Pods' {@code fsGroup} when a request names no group. */
    public Builder fsGroup(long gid) {
      if (gid < 0) {
        throw new IllegalArgumentException("fsGroup must not be negative, but was " + gid);
      }
      this.fsGroup = gid;
      return this;
    }

    /** How the kubelet applies {@code fsGroup} to the workdir volume ({@code ALWAYS} by default). */
    public Builder fsGroupChangePolicy(FsGroupChangePolicy policy) {
      this.fsGroupChangePolicy = Objects.requireNonNull(policy, "fsGroup change policy must not be null");
      return this;
    }

    /**
     * How long a Pod may keep failing to pull its image for a reason that may pass (registry unreachable,
     * 5xx) before the attempt is reported as a retryable error. Missing images and denied access are
     * reported at once.
     */
    public Builder imagePullGracePeriod(Duration period) {
      this.imagePullGracePeriod = checkNotNegative("image pull grace period", period);
      return this;
    }

    /** How long a Pod may stay unschedulable (waiting for a node or the autoscaler) before it is reported. */
    public Builder schedulingGracePeriod(Duration period) {
      this.schedulingGracePeriod = checkNotNegative("scheduling grace period", period);
      return this;
    }

    /** How long {@code stop} waits, past the grace period, for a deleted Pod to be gone. */
    public Builder deletionTimeout(Duration timeout) {
      this.deletionTimeout = checkPositive("deletion timeout", timeout);
      return this;
    }

    /** How many times a Kubernetes API call is tried on transient errors (429, 5xx, connection reset). */
    public Builder apiAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("API attempts must be at least 1, but was " + attempts);
      }
      this.apiAttempts = attempts;
      return this;
    }

    /** The wait before the second try of an API call; each further try waits twice as long (at most 30 s). */
    public Builder apiBackoff(Duration backoff) {
      this.apiBackoff = checkPositive("API backoff", backoff);
      return this;
    }

    /** How many bytes of {@code KARGO_OUTPUT} a Pod reports through its log (256 KiB to 16 MiB). */
    public Builder outputCaptureLimit(int bytes) {
      if (bytes < MIN_OUTPUT_CAPTURE_LIMIT || bytes > MAX_OUTPUT_CAPTURE_LIMIT) {
        throw new IllegalArgumentException("output capture limit must be between " + MIN_OUTPUT_CAPTURE_LIMIT
            + " and " + MAX_OUTPUT_CAPTURE_LIMIT + " bytes, but was " + bytes);
      }
      this.outputCaptureLimit = bytes;
      return this;
    }

    /** The settings; every value was checked when it was set. */
    public KubernetesRuntimeSettings build() {
      return new KubernetesRuntimeSettings(this);
    }

    private static String checkClaim(String claimName) {
      Objects.requireNonNull(claimName, "workdir claim must not be null");
      return checkSubdomain("workdir claim", claimName);
    }

    private static String checkSubdomain(String what, String name) {
      if (!DNS_SUBDOMAIN.matcher(name).matches()) {
        throw new IllegalArgumentException(what + " must be a DNS-1123 subdomain (lower-case letters, digits, "
            + "dashes and dots), but was \"" + name + "\"");
      }
      return name;
    }

    private static void checkEntry(String what, String key, String value) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(what + " must not have a blank key");
      }
      if (value == null) {
        throw new IllegalArgumentException(what + " must not have a null value (key \"" + key + "\")");
      }
    }

    private static Duration checkNotNegative(String what, Duration d) {
      Objects.requireNonNull(d, what + " must not be null");
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative, but was " + d);
      }
      return d;
    }

    private static Duration checkPositive(String what, Duration d) {
      Objects.requireNonNull(d, what + " must not be null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, but was " + d);
      }
      return d;
    }

    private static Map<String, String> nullToEmpty(Map<String, String> m) {
      return m == null ? Map.of() : m;
    }

    private static void rejectUnsupported(PodSpec spec, ObjectMeta meta) {
      List<String> found = new ArrayList<>();
      setFields(spec).stream().filter(k -> !TEMPLATE_SPEC_FIELDS.contains(k)).forEach(k -> found.add("spec." + k));
      setFields(meta).stream().filter(k -> !TEMPLATE_METADATA_FIELDS.contains(k))
          .forEach(k -> found.add("metadata." + k));
      if (!found.isEmpty()) {
        throw new IllegalArgumentException("pod template may only set metadata.labels, metadata.annotations, "
            + "spec.nodeSelector, spec.tolerations, spec.affinity, spec.serviceAccountName and "
            + "spec.priorityClassName, but sets " + String.join(", ", found));
      }
    }

    /** The names of the fields that hold a value (null, empty lists and empty maps do not count). */
    private static List<String> setFields(Object model) {
      Map<?, ?> fields = JSON.convertValue(model, Map.class);
      List<String> names = new ArrayList<>();
      fields.forEach((k, v) -> {
        boolean empty = v == null || (v instanceof Map<?, ?> m && m.isEmpty())
            || (v instanceof List<?> l && l.isEmpty());
        if (!empty) {
          names.add(String.valueOf(k));
        }
      });
      return names;
    }
  }
}
