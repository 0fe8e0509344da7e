package io.promokit.steps.argocd;

import java.util.List;

/**
 * The config of {@code argocd-wait}, bound after the engine checked it against the schema.
 *
 * @param apps the Applications to wait for
 */
record WaitConfig(List<App> apps) {

  /** What is waited for when an entry names nothing: health, sync, operation. */
  static final List<String> DEFAULT_WAIT_FOR = List.of("health", "sync", "operation");

  /** One entry of {@code apps}. */
  record App(String name, String namespace, AppSelector selector, List<String> waitFor) {

    List<String> conditions() {
      return waitFor == null || waitFor.isEmpty() ? DEFAULT_WAIT_FOR : waitFor;
    }
  }
}
