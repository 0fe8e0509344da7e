package io.promokit.testkit.gitops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The manifest of an Argo CD {@code Application} for tests: one source ({@code spec.source}) unless several are
 * added ({@code spec.sources}), the Kargo authorisation annotation, labels, sync policy.
 *
 * <pre>{@code
 * ArgoCdApplication.named("shop").repoURL("git://127.0.0.1:9418/gitops.git").path("env/prod")
 *     .targetRevision("stage/prod").authorizedStage("shop:prod")
 * }</pre>
 */
public final class ArgoCdApplication {

  private final String name;
  private String namespace = ArgoCdCluster.NAMESPACE;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> annotations = new LinkedHashMap<>();
  private final List<Map<String, Object>> sources = new ArrayList<>();
  private boolean multiSource;
  private Map<String, Object> syncPolicy;

  private ArgoCdApplication(String name) {
    this.name = Objects.requireNonNull(name, "name must not be null");
  }

  /** An Application of that name in {@value ArgoCdCluster#NAMESPACE}. */
  public static ArgoCdApplication named(String name) {
    return new ArgoCdApplication(name);
  }

  /** The Application's namespace (default {@value ArgoCdCluster#NAMESPACE}). */
  public ArgoCdApplication namespace(String namespace) {
    this.namespace = Objects.requireNonNull(namespace);
    return this;
  }

  /** Adds a label (for selectors). */
  public ArgoCdApplication label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  /** Adds an annotation. */
  public ArgoCdApplication annotation(String key, String value) {
    annotations.put(key, value);
    return this;
  }

  /** Kargo's {@code kargo.akuity.io/authorized-stage} annotation, such as {@code shop:prod}. */
  public ArgoCdApplication authorizedStage(String value) {
    return annotation("kargo.akuity.io/authorized-stage", value);
  }

  /** The git repository of the (first) source. */
  public ArgoCdApplication repoURL(String url) {
    first().put("repoURL", url);
    return this;
  }

  /** The path of the (first) source in its repository. */
  public ArgoCdApplication path(String path) {
    first().put("path", path);
    return this;
  }

  /** The target revision of the (first) source: a branch, tag, commit or chart version. */
  public ArgoCdApplication targetRevision(String revision) {
    first().put("targetRevision", revision);
    return this;
  }

  /** Sets another field of the single source ({@code chart}, {@code helm}, {@code kustomize}...). */
  public ArgoCdApplication sourceField(String key, Object value) {
    first().put(key, value);
    return this;
  }

  /**
   * Adds a source as written (repoURL, chart, path, targetRevision, helm, kustomize...): the Application then lists
   * its sources in {@code spec.sources}, which the single-source setters above do not touch.
   */
  public ArgoCdApplication source(Map<String, Object> source) {
    if (!multiSource) {
      sources.clear();
      multiSource = true;
    }
    sources.add(new LinkedHashMap<>(source));
    return this;
  }

  /** The {@code spec.syncPolicy} (syncOptions, retry, automated). */
  public ArgoCdApplication syncPolicy(Map<String, Object> policy) {
    this.syncPolicy = new LinkedHashMap<>(policy);
    return this;
  }

  /** The manifest. */
  public Map<String, Object> toMap() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    if (!labels.isEmpty()) {
      metadata.put("labels", new LinkedHashMap<>(labels));
    }
    if (!annotations.isEmpty()) {
      metadata.put("annotations", new LinkedHashMap<>(annotations));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("project", "default");
    spec.put("destination", Map.of("server", "https://kubernetes.default.svc", "namespace", name));
    if (multiSource) {
      spec.put("sources", new ArrayList<>(sources));
    } else if (!sources.isEmpty()) {
      spec.put("source", sources.get(0));
    }
    if (syncPolicy != null) {
      spec.put("syncPolicy", syncPolicy);
    }
    Map<String, Object> app = new LinkedHashMap<>();
    app.put("apiVersion", "argoproj.io/v1alpha1");
    app.put("kind", "Application");
    app.put("metadata", metadata);
    app.put("spec", spec);
    return app;
  }

  private Map<String, Object> first() {
    if (multiSource) {
      throw new IllegalStateException("a multi-source Application's sources are given whole, with source(...)");
    }
    if (sources.isEmpty()) {
      sources.add(new LinkedHashMap<>());
    }
    return sources.get(0);
  }
}
