package io.promokit.steps.argocd;

import io.promokit.steps.kit.InvalidConfigException;

/** The config rules the schemas leave to the steps, each failing the step with a message naming the field. */
final class ConfigRules {

  private ConfigRules() {}

  /** An entry of {@code apps} names its Application(s) one way: by name or by selector. */
  static void nameOrSelector(String name, AppSelector selector, String field) {
    if (name != null && selector != null) {
      throw new InvalidConfigException(field + ": give either name or selector, not both");
    }
  }

  /** The Kustomize images of {@code argocd-update}: a tag or a digest, not both. */
  static void check(UpdateConfig config) {
    for (int i = 0; i < config.apps().size(); i++) {
      UpdateConfig.App app = config.apps().get(i);
      String field = "config.apps[" + i + "]";
      nameOrSelector(app.name(), app.selector(), field);
      for (int s = 0; s < app.sourceUpdates().size(); s++) {
        UpdateConfig.KustomizeImages kustomize = app.sourceUpdates().get(s).kustomize();
        if (kustomize == null || kustomize.images() == null) {
          continue;
        }
        for (int k = 0; k < kustomize.images().size(); k++) {
          UpdateConfig.KustomizeImage image = kustomize.images().get(k);
          if (notEmpty(image.tag()) && notEmpty(image.digest())) {
            throw new InvalidConfigException(field + ".sources[" + s + "].kustomize.images[" + k
                + "]: give at most one of tag and digest");
          }
        }
      }
    }
  }

  static void check(WaitConfig config) {
    for (int i = 0; i < config.apps().size(); i++) {
      nameOrSelector(config.apps().get(i).name(), config.apps().get(i).selector(), "config.apps[" + i + "]");
    }
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
