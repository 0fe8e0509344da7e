package io.promokit.steps.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.testkit.gitops.ArgoCdApplication;
import io.promokit.testkit.gitops.SyncBehavior;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** argocd-wait's readiness rules (reference section 5), one by one, and a wait on the fake controller's sync. */
class ArgoCdWaitStepTest extends ArgoCdTest {

  private static final Map<String, Object> WAIT_SHOP = Map.of("apps", List.of(Map.of("name", "shop")));

  private static Map<String, Object> waitShopFor(String... conditions) {
    return Map.of("apps", List.of(Map.of("name", "shop", "waitFor", List.of(conditions))));
  }

  /** The last promotion's finished operation and a reconciliation at or after it, with this health and sync. */
  private void settled(String health, String sync) {
    Map<String, Object> state = new LinkedHashMap<>(at(operationState("Succeeded", "promo-1", COMMIT_1), "operationState"));
    status("shop", Map.of("operationState", state, "reconciledAt", state.get("finishedAt"),
        "health", Map.of("status", health), "sync", Map.of("status", sync, "revision", COMMIT_2)));
  }

  @Test
  void healthyAndSyncedWithNoOperationIsReady() throws Exception {
    argocd.create(shop());
    settled("Healthy", "Synced");

    StepResult result = waitFor(WAIT_SHOP, Map.of());

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).isEqualTo(Map.of("apps", List.of(Map.of("name", "shop", "namespace", "argocd")),
        "healthStatus", Map.of("argocd/shop", "Healthy")));
  }

  @Test
  void progressingOrOutOfSyncIsNotReadyYet() throws Exception {
    argocd.create(shop());
    settled("Progressing", "Synced");
    StepResult progressing = waitFor(WAIT_SHOP, Map.of());
    settled("Healthy", "OutOfSync");
    StepResult outOfSync = waitFor(WAIT_SHOP, Map.of());

    assertThat(progressing.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(progressing.message())
        .isEqualTo("waiting for Argo CD Application \"shop\" in namespace \"argocd\": health is Progressing");
    assertThat(outOfSync.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(outOfSync.message())
        .isEqualTo("waiting for Argo CD Application \"shop\" in namespace \"argocd\": sync status is OutOfSync");
  }

  @Test
  void anOperationInProgressIsNotReady() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Running", "promo-2", null));
    StepResult running = waitFor(WAIT_SHOP, Map.of());
    settled("Healthy", "Synced");
    argocd.update("shop", app -> {
      app.put("operation", Map.of("sync", Map.of()));
      return app;
    });
    StepResult requested = waitFor(WAIT_SHOP, Map.of());

    assertThat(running.message())
        .isEqualTo("waiting for Argo CD Application \"shop\" in namespace \"argocd\": an operation is in progress");
    assertThat(requested.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(waitFor(waitShopFor("health", "sync"), Map.of()).status()).isEqualTo(StepStatus.SUCCEEDED);
  }

  @Test
  void healthAssessedBeforeTheLastOperationFinishedIsNotTrustedAndARefreshIsRequested() throws Exception {
    argocd.create(shop());
    Map<String, Object> state = at(operationState("Succeeded", "promo-2", COMMIT_2), "operationState");
    status("shop", Map.of("operationState", state, "reconciledAt", "2026-11-26T10:00:29Z",
        "health", Map.of("status", "Healthy"), "sync", Map.of("status", "Synced")));

    StepResult stale = waitFor(WAIT_SHOP, Map.of());

    assertThat(stale.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(stale.message()).isEqualTo("waiting for Argo CD Application \"shop\" in namespace \"argocd\": its health "
        + "was last assessed before its last operation finished (a refresh was requested)");
    assertThat(at(argocd.application("shop"), "metadata", "annotations"))
        .containsEntry("argocd.argoproj.io/refresh", "hard");
    assertThat(waitFor(waitShopFor("sync", "operation"), Map.of()).status())
        .as("without a health condition the time of the assessment does not matter").isEqualTo(StepStatus.SUCCEEDED);
  }

  @Test
  void healthValuesAreAlternatives() throws Exception {
    argocd.create(shop());
    settled("Suspended", "Synced");

    assertThat(waitFor(waitShopFor("health", "suspended"), Map.of()).status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(waitFor(waitShopFor("health"), Map.of()).status()).isEqualTo(StepStatus.RUNNING);
    settled("Degraded", "Synced");
    assertThat(waitFor(waitShopFor("degraded"), Map.of()).status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(waitFor(waitShopFor("sync"), Map.of()).status()).as("only sync: Degraded is ignored")
        .isEqualTo(StepStatus.SUCCEEDED);
    status("shop", operationState("Succeeded", "promo-2", COMMIT_2));
    assertThat(waitFor(waitShopFor("operation"), Map.of()).status()).as("only operation: health and sync ignored")
        .isEqualTo(StepStatus.SUCCEEDED);
  }

  @Test
  void aRegressionToDegradedSeenAgainstThePreviousPollEndsTheStepAndKeepsTheOutputs() throws Exception {
    argocd.create(shop());
    settled("Degraded", "Synced");

    StepResult firstSeen = waitFor(WAIT_SHOP, Map.of());
    StepResult fromUnknown = waitFor(WAIT_SHOP, Map.of("healthStatus", Map.of("argocd/shop", "Unknown")));

    assertThat(firstSeen.status()).as("Degraded without a previous status is not a regression")
        .isEqualTo(StepStatus.RUNNING);
    assertThat(fromUnknown.status()).isEqualTo(StepStatus.RUNNING);
    assertThatThrownBy(() -> waitFor(WAIT_SHOP, Map.of("healthStatus", Map.of("argocd/shop", "Progressing",
        "argocd/other", "Healthy"))))
        .isInstanceOfSatisfying(StepException.class, e -> {
          assertThat(e.isTerminal()).isTrue();
          assertThat(e.outputs()).isEqualTo(Map.of("apps", List.of(Map.of("name", "shop", "namespace", "argocd")),
              "healthStatus", Map.of("argocd/shop", "Degraded", "argocd/other", "Healthy")));
        })
        .hasMessage("Argo CD Application \"shop\" in namespace \"argocd\" health has regressed from Progressing to "
            + "Degraded");
  }

  @Test
  void anErrorConditionEndsTheStepAtOnce() throws Exception {
    argocd.create(shop());
    status("shop", Map.of("health", Map.of("status", "Healthy"), "conditions", List.of(
        Map.of("type", "SharedResourceWarning", "message", "ignored"),
        Map.of("type", "ComparisonError", "message", "failed to load target state: unable to resolve 'stage/prod'"),
        Map.of("type", "InvalidSpecError", "message", "application destination is not permitted"))));

    assertThatThrownBy(() -> waitFor(WAIT_SHOP, Map.of()))
        .isInstanceOfSatisfying(StepException.class, e -> {
          assertThat(e.isTerminal()).isTrue();
          assertThat(e.outputs()).containsEntry("healthStatus", Map.of("argocd/shop", "Healthy"));
        })
        .hasMessage("Argo CD Application \"shop\" in namespace \"argocd\" has \"ComparisonError\" condition: failed to "
            + "load target state: unable to resolve 'stage/prod'\nArgo CD Application \"shop\" in namespace \"argocd\" "
            + "has \"InvalidSpecError\" condition: application destination is not permitted");
  }

  @Test
  void anAppDeletedMidWaitErrs() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Running", "promo-2", null));
    StepResult waiting = waitFor(WAIT_SHOP, Map.of());
    argocd.delete("argocd", "shop");

    assertThat(waiting.status()).isEqualTo(StepStatus.RUNNING);
    assertThatThrownBy(() -> waitFor(WAIT_SHOP, waiting.outputs()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("unable to find Argo CD Application \"shop\" in namespace \"argocd\"");
  }

  @Test
  void selectorsWaitForEveryMatchAndNoMatchErrs() throws Exception {
    argocd.create(shop().label("team", "web"));
    argocd.create(ArgoCdApplication.named("cart").repoURL(REPO).label("team", "web"));
    settled("Healthy", "Synced");
    Map<String, Object> byLabel = Map.of("apps", List.of(Map.of("selector", Map.of("matchExpressions", List.of(
        Map.of("key", "team", "operator", "Exists"))))));

    StepResult result = waitFor(byLabel, Map.of());

    assertThat(result.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(result.message()).isEqualTo("waiting for Argo CD Application \"cart\" in namespace \"argocd\": health is "
        + "not reported");
    assertThat(result.outputs().get("apps")).isEqualTo(List.of(Map.of("name", "cart", "namespace", "argocd"),
        Map.of("name", "shop", "namespace", "argocd")));
    assertThatThrownBy(() -> waitFor(Map.of("apps", List.of(Map.of("selector", Map.of("matchLabels",
        Map.of("team", "none"))))), Map.of()))
        .hasMessage("no Argo CD Applications found matching selector in namespace \"argocd\"");
  }

  @Test
  void waitsThroughARealSyncUntilArgoCdReportsTheAppHealthy() throws Exception {
    argocd.create(shop());
    argocd.controller().behavior("shop", SyncBehavior.succeed());
    assertThat(update(updateShop(COMMIT_2)).status()).isEqualTo(StepStatus.RUNNING);
    Map<String, Object> previous = Map.of();
    StepResult result = null;
    for (int poll = 0; poll < 6; poll++) {
      result = waitFor(WAIT_SHOP, previous);
      previous = result.outputs();
      if (result.status() != StepStatus.RUNNING) {
        break;
      }
      argocd.controller().reconcile("argocd", "shop");
    }

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(argocd.controller().history()).containsExactly("argocd/shop: STARTED_OPERATION",
        "argocd/shop: FINISHED_OPERATION", "argocd/shop: REFRESHED");
    assertThat(result.outputs().get("healthStatus")).isEqualTo(Map.of("argocd/shop", "Healthy"));
  }

  @Test
  void aSyncThatLeavesTheAppDegradedIsARegression() throws Exception {
    argocd.create(shop());
    settled("Healthy", "Synced");
    StepResult healthy = waitFor(WAIT_SHOP, Map.of());
    argocd.controller().behavior("shop", SyncBehavior.succeedThenHealth("Degraded"));
    update(updateShop(COMMIT_2));
    argocd.controller().settle("argocd", "shop");

    assertThatThrownBy(() -> waitFor(WAIT_SHOP, healthy.outputs()))
        .hasMessage("Argo CD Application \"shop\" in namespace \"argocd\" health has regressed from Healthy to Degraded");
  }
}
