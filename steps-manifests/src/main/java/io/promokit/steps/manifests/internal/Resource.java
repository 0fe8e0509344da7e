package io.promokit.steps.manifests.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One Kubernetes resource read from rendered YAML: its fields in their original order, and the parts of
 * its identity that file names are made of.
 */
public record Resource(Map<String, Object> fields) {

  /**
   * Kinds that live outside namespaces (kustomize decides this from its built-in OpenAPI schema; these are
   * its cluster-scoped built-in kinds). Any other kind counts as namespaced, as in kustomize.
   */
  private static final Set<String> CLUSTER_SCOPED = Set.of("APIService", "CSIDriver", "CSINode",
      "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
      "CustomResourceDefinition", "FlowSchema", "IngressClass", "MutatingWebhookConfiguration", "Namespace",
      "Node", "PersistentVolume", "PodSecurityPolicy", "PriorityClass", "PriorityLevelConfiguration",
      "RuntimeClass", "SelfSubjectAccessReview", "SelfSubjectRulesReview", "StorageClass",
      "SubjectAccessReview", "TokenReview", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
      "ValidatingWebhookConfiguration", "VolumeAttachment");

  public String apiVersion() {
    return text(fields.get("apiVersion"));
  }

  public String kind() {
    return text(fields.get("kind"));
  }

  public String name() {
    return text(metadata().get("name"));
  }

  public String namespace() {
    return text(metadata().get("namespace"));
  }

  /** The API group: the apiVersion without its last segment (empty for the core group). */
  public String group() {
    String apiVersion = apiVersion();
    int slash = apiVersion.lastIndexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The version: the apiVersion's last segment. */
  public String version() {
    String apiVersion = apiVersion();
    return apiVersion.substring(apiVersion.lastIndexOf('/') + 1);
  }

  public boolean isClusterScoped() {
    return CLUSTER_SCOPED.contains(kind());
  }

  /** Kargo's name for the file of this resource: {@code [<namespace>-]<kind>-<name>.yaml}, lower-cased. */
  public String kargoFileName() {
    String namespace = namespace();
    String base = namespace.isEmpty() ? kind() + "-" + name() : namespace + "-" + kind() + "-" + name();
    return (base + ".yaml").toLowerCase(Locale.ROOT);
  }

  /**
   * kustomize's name for the file of this resource: {@code <group>_<version>_<kind>_<name>.yaml}, empty parts
   * left out, prefixed with {@code <namespace>_} when the output spans several namespaces.
   */
  public String kustomizeFileName(boolean severalNamespaces) {
    StringBuilder gvk = new StringBuilder();
    for (String part : new String[] {group(), version(), kind()}) {
      if (!part.isEmpty()) {
        gvk.append(gvk.length() == 0 ? "" : "_").append(part);
      }
    }
    String base = (gvk + "_" + name()).toLowerCase(Locale.ROOT) + ".yaml";
    String namespace = namespace();
    return severalNamespaces && !namespace.isEmpty() ? namespace.toLowerCase(Locale.ROOT) + "_" + base : base;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> metadata() {
    Object metadata = fields.get("metadata");
    return metadata instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }
}
