package io.promokit.steps.argocd;

import io.promokit.StepException;
import java.time.Duration;

/**
 * What the two steps share: the API (null when the host gave no client), the default namespace, the polling
 * interval of a waiting step, and who starts syncs for promotions without an actor.
 */
record ArgoCdSettings(ArgoCdApi apiOrNull, String namespace, Duration pollInterval, String initiator) {

  /**
   * The API.
   *
   * @throws StepException (Kargo's {@code E}) when the host configured no Argo CD client
   */
  ArgoCdApi api(String verb) {
    if (apiOrNull == null) {
      throw new StepException("Argo CD integration is not configured (no Kubernetes client for Argo CD was given "
          + "to ArgoCdSteps); cannot " + verb + " Argo CD Application resources");
    }
    return apiOrNull;
  }
}
