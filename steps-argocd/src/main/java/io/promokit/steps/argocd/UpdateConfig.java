package io.promokit.steps.argocd;

import java.util.List;

/**
 * The config of {@code argocd-update}, bound after the engine checked it against the schema.
 *
 * @param apps the Applications to update and sync
 */
record UpdateConfig(List<App> apps) {

  /** One entry of {@code apps}: an Application by name or selector, and the updates of its sources. */
  record App(String name, String namespace, AppSelector selector, List<SourceUpdate> sources) {

    List<SourceUpdate> sourceUpdates() {
      return sources == null ? List.of() : sources;
    }
  }

  /** An update of the first source that {@code repoURL} (and {@code chart}) match. */
  record SourceUpdate(String repoURL, String chart, String desiredRevision, Boolean updateTargetRevision,
      KustomizeImages kustomize, HelmImages helm) {

    String chartOrEmpty() {
      return chart == null ? "" : chart;
    }

    String desiredOrEmpty() {
      return desiredRevision == null ? "" : desiredRevision;
    }

    boolean updatesTargetRevision() {
      return Boolean.TRUE.equals(updateTargetRevision);
    }
  }

  /** Kustomize images that replace the source's {@code kustomize.images}. */
  record KustomizeImages(List<KustomizeImage> images) {}

  /** One Kustomize image: {@code repoURL[=newName]:tag} or {@code repoURL[=newName]@digest}. */
  record KustomizeImage(String repoURL, String tag, String digest, String newName) {}

  /** Helm parameters set on the source. */
  record HelmImages(List<HelmParameter> images) {}

  /** One Helm parameter. */
  record HelmParameter(String key, String value) {}
}
