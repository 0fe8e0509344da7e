package io.promokit.steps.argocd;

import io.promokit.spi.CredentialType;
import io.promokit.steps.argocd.UpdateConfig.HelmParameter;
import io.promokit.steps.argocd.UpdateConfig.KustomizeImage;
import io.promokit.steps.argocd.UpdateConfig.SourceUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code argocd-update} wants of an Application's sources: the revision each must be synced to, and the
 * sources with the config's updates applied (Kargo's rules, reference section 5).
 */
final class SourceUpdates {

  private SourceUpdates() {}

  /**
   * The desired revision of each source of the Application, in its order: the {@code desiredRevision} of the
   * update whose repoURL and chart equal the source's exactly, else "". (Kargo matches exactly here and by
   * normalised URL when patching; kept as Kargo does.)
   */
  static List<String> desiredRevisions(List<SourceUpdate> updates, Application app) {
    List<String> revisions = new ArrayList<>();
    for (Map<String, Object> source : app.sources()) {
      String desired = "";
      for (SourceUpdate update : updates) {
        if (update.repoURL().equals(text(source, "repoURL")) && update.chartOrEmpty().equals(text(source, "chart"))) {
          desired = update.desiredOrEmpty();
          break;
        }
      }
      revisions.add(desired);
    }
    return revisions;
  }

  /**
   * The Application's sources with every update applied to the first source it matches.
   *
   * @throws IllegalArgumentException when an update matches no source, naming it
   */
  static List<Map<String, Object>> desiredSources(List<SourceUpdate> updates, List<String> desiredRevisions,
      Application app) {
    List<Map<String, Object>> sources = new ArrayList<>();
    app.sources().forEach(s -> sources.add(Application.deepCopy(s)));
    if (sources.size() != desiredRevisions.size()) {
      throw new IllegalArgumentException("Argo CD Application \"" + app.name() + "\" in namespace \"" + app.namespace()
          + "\" has " + sources.size() + " sources but " + desiredRevisions.size() + " desired revisions");
    }
    for (SourceUpdate update : updates) {
      boolean applied = false;
      for (int i = 0; i < sources.size() && !applied; i++) {
        applied = apply(update, desiredRevisions.get(i), sources.get(i));
      }
      if (!applied) {
        throw new IllegalArgumentException("no source of Argo CD Application \"" + app.name() + "\" in namespace \""
            + app.namespace() + "\" matched update for source with repoURL " + update.repoURL()
            + (update.chartOrEmpty().isEmpty() ? "" : " and chart \"" + update.chart() + "\"")
            + "; its sources are " + describe(app.sources()));
      }
    }
    return sources;
  }

  /** Applies the update to the source when it matches; returns whether it did. */
  private static boolean apply(SourceUpdate update, String desiredRevision, Map<String, Object> source) {
    String sourceChart = text(source, "chart");
    if (!sourceChart.isEmpty() || !update.chartOrEmpty().isEmpty()) {
      if (!text(source, "repoURL").equals(update.repoURL()) || !sourceChart.equals(update.chartOrEmpty())) {
        return false;
      }
    } else if (!CredentialType.GIT.normalize(text(source, "repoURL")).equals(CredentialType.GIT.normalize(update.repoURL()))) {
      return false;
    }
    if (update.updatesTargetRevision() && !desiredRevision.isEmpty()) {
      source.put("targetRevision", desiredRevision);
    }
    if (update.kustomize() != null && update.kustomize().images() != null && !update.kustomize().images().isEmpty()) {
      List<Object> images = new ArrayList<>();
      update.kustomize().images().forEach(image -> images.add(kustomizeImage(image)));
      child(source, "kustomize").put("images", images);
    }
    if (update.helm() != null && update.helm().images() != null && !update.helm().images().isEmpty()) {
      Map<String, Object> helm = child(source, "helm");
      List<Map<String, Object>> parameters = new ArrayList<>(Application.maps(helm.get("parameters")));
      for (HelmParameter change : update.helm().images()) {
        Map<String, Object> parameter = new LinkedHashMap<>();
        parameter.put("name", change.key());
        parameter.put("value", change.value());
        int existing = indexOf(parameters, change.key());
        if (existing >= 0) {
          parameters.set(existing, parameter);
        } else {
          parameters.add(parameter);
        }
      }
      helm.put("parameters", new ArrayList<Object>(parameters));
    }
    return true;
  }

  /**
   * {@code repo[=newName]@digest}, else {@code repo[=newName]:tag}. With neither, Kargo writes {@code repo:}; so
   * does this, for the same Argo CD behaviour.
   */
  static String kustomizeImage(KustomizeImage image) {
    String text = image.repoURL();
    if (image.newName() != null && !image.newName().isEmpty()) {
      text += "=" + image.newName();
    }
    if (image.digest() != null && !image.digest().isEmpty()) {
      return text + "@" + image.digest();
    }
    return text + ":" + (image.tag() == null ? "" : image.tag());
  }

  private static int indexOf(List<Map<String, Object>> parameters, String name) {
    for (int i = 0; i < parameters.size(); i++) {
      if (name.equals(parameters.get(i).get("name"))) {
        return i;
      }
    }
    return -1;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> source, String key) {
    if (!(source.get(key) instanceof Map<?, ?>)) {
      source.put(key, new LinkedHashMap<String, Object>());
    }
    return (Map<String, Object>) source.get(key);
  }

  private static String describe(List<Map<String, Object>> sources) {
    List<String> parts = new ArrayList<>();
    for (Map<String, Object> s : sources) {
      parts.add(text(s, "repoURL") + (text(s, "chart").isEmpty() ? "" : " (chart \"" + text(s, "chart") + "\")"));
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  private static String text(Map<String, Object> source, String key) {
    Object v = source.get(key);
    return v == null ? "" : String.valueOf(v);
  }
}
