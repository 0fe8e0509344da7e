package io.promokit.steps.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.testkit.TestStepContext;
import io.promokit.testkit.gitops.ArgoCdApplication;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kargo's decision table of argocd-update (reference section 5, steps 5 and 7), row by row: the Application is left
 * in the state Argo CD would have it in, the step runs one attempt, and the test checks its status, whether it
 * started a sync (a patch with the operation stamped for this promotion), and its message.
 */
class UpdateDecisionTableTest extends ArgoCdTest {

  @Test
  void noOperationState_syncs_running() throws Exception {
    argocd.create(shop());

    StepResult result = update(updateShop(COMMIT_2));

    assertThat(result.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(result.message())
        .isEqualTo("waiting for the sync of Argo CD Application \"shop\" in namespace \"argocd\" (Running)");
    assertSyncStartedForThisPromotion();
  }

  @Test
  void anotherUsersRunningOperation_waits_running() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Running", null, null));
    TestStepContext ctx = context(updateShop(COMMIT_2)).build();

    StepResult result = ctx.run(step("argocd-update"));

    assertThat(result.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(patches()).isZero();
    assertThat(ctx.lines()).contains("INFO: Argo CD Application \"shop\" in namespace \"argocd\": current operation "
        + "was initiated by \"alice\": waiting for operation to complete");
  }

  @Test
  void anotherUsersFinishedOperation_syncs_running() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Succeeded", null, COMMIT_1));

    assertThat(update(updateShop(COMMIT_2)).status()).isEqualTo(StepStatus.RUNNING);
    assertSyncStartedForThisPromotion();
  }

  @Test
  void anotherPromotionsRunningOperation_waits_running() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Running", "promo-1", null));

    assertThat(update(updateShop(COMMIT_2)).status()).isEqualTo(StepStatus.RUNNING);
    assertThat(patches()).isZero();
  }

  @Test
  void anotherPromotionsFailedOperation_syncs_running() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Failed", "promo-1", COMMIT_1));

    assertThat(update(updateShop(COMMIT_2)).status()).isEqualTo(StepStatus.RUNNING);
    assertSyncStartedForThisPromotion();
  }

  @Test
  void thisPromotionsRunningOrTerminatingOperation_waits_running() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Running", "promo-2", null));
    assertThat(update(updateShop(COMMIT_2)).status()).isEqualTo(StepStatus.RUNNING);

    status("shop", operationState("Terminating", "promo-2", null));
    StepResult terminating = update(updateShop(COMMIT_2));

    assertThat(terminating.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(terminating.message()).endsWith("(Terminating)");
    assertThat(patches()).isZero();
  }

  @Test
  void thisPromotionsFinishedOperationWithoutSyncResult_syncsAgain_running() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Succeeded", "promo-2", null));

    assertThat(update(updateShop(COMMIT_2)).status()).isEqualTo(StepStatus.RUNNING);
    assertSyncStartedForThisPromotion();
  }

  @Test
  void thisPromotionsFinishedOperationAtAnotherRevision_syncsAgain_running() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Succeeded", "promo-2", COMMIT_1));
    TestStepContext ctx = context(updateShop(COMMIT_2)).build();

    assertThat(ctx.run(step("argocd-update")).status()).isEqualTo(StepStatus.RUNNING);
    assertSyncStartedForThisPromotion();
    assertThat(ctx.lines()).contains("INFO: Argo CD Application \"shop\" in namespace \"argocd\": starting a sync "
        + "(sync result revisions [" + COMMIT_1 + "] do not match desired revisions [" + COMMIT_2 + "])");
  }

  @Test
  void thisPromotionsSucceededOperationAtTheDesiredRevision_succeeded() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Succeeded", "promo-2", COMMIT_2));

    StepResult result = update(updateShop(COMMIT_2));

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(patches()).isZero();
    assertThat(result.outputs()).isEqualTo(Map.of(
        "apps", List.of(Map.of("name", "shop", "namespace", "argocd")),
        "healthCheck", Map.of("kind", "argocd-update", "input", Map.of("apps", List.of(
            Map.of("name", "shop", "namespace", "argocd", "desiredRevisions", List.of(COMMIT_2)))))));
  }

  @Test
  void thisPromotionsSucceededOperationWithNoDesiredRevision_succeeded() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Succeeded", "promo-2", COMMIT_1));

    StepResult result = update(Map.of("apps", List.of(Map.of("name", "shop"))));

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(at(result.outputs(), "healthCheck", "input")).isEqualTo(Map.of("apps", List.of(
        Map.of("name", "shop", "namespace", "argocd", "desiredRevisions", List.of("")))));
  }

  @Test
  void thisPromotionsFailedOperation_errored() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Failed", "promo-2", COMMIT_2));

    assertThatThrownBy(() -> update(updateShop(COMMIT_2)))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("Argo CD Application \"shop\" in namespace \"argocd\" failed with: one or more objects failed to "
            + "apply");
    assertThat(patches()).isZero();
  }

  @Test
  void thisPromotionsErroredOperationWithASyncResult_errored() throws Exception {
    argocd.create(shop());
    Map<String, Object> state = new LinkedHashMap<>(at(operationState("Error", "promo-2", COMMIT_2), "operationState"));
    state.put("message", "rpc error: the hook failed");
    status("shop", Map.of("operationState", state));

    assertThatThrownBy(() -> update(updateShop(COMMIT_2)))
        .hasMessage("Argo CD Application \"shop\" in namespace \"argocd\" failed with: rpc error: the hook failed");
    assertThat(patches()).isZero();
  }

  @Test
  void thisPromotionsErroredOperationWithoutASyncResult_syncsAgain_running() throws Exception {
    // As in Kargo: a finished operation that left no sync result says nothing about the revision; sync again.
    argocd.create(shop());
    Map<String, Object> state = new LinkedHashMap<>(at(operationState("Error", "promo-2", null), "operationState"));
    state.put("message", "ComparisonError: rpc error: repository not accessible");
    status("shop", Map.of("operationState", state));

    assertThat(update(updateShop(COMMIT_2)).status()).isEqualTo(StepStatus.RUNNING);
    assertSyncStartedForThisPromotion();
  }

  @Test
  void aPhaseArgoCdDoesNotUse_errored() throws Exception {
    argocd.create(shop());
    status("shop", operationState("Paused", "promo-2", null));

    assertThatThrownBy(() -> update(updateShop(COMMIT_2)))
        .isInstanceOf(StepException.class)
        .hasMessage("could not determine promotion step status from operation phases: [Paused]");
    assertThat(patches()).isZero();
  }

  @Test
  void multiSourceRevisionsAreComparedSourceBySourceSkippingSourcesWithoutADesiredRevision() throws Exception {
    argocd.create(ArgoCdApplication.named("shop").authorizedStage("shop:prod")
        .source(Map.of("repoURL", REPO, "path", "env/prod", "targetRevision", "stage/prod"))
        .source(Map.of("repoURL", "https://charts.example.com", "chart", "redis", "targetRevision", "18.0.0")));
    Map<String, Object> state = new LinkedHashMap<>(at(operationState("Succeeded", "promo-2", null), "operationState"));
    state.put("syncResult", Map.of("revisions", List.of(COMMIT_2, "17.0.0")));
    status("shop", Map.of("operationState", state));

    StepResult done = update(updateShop(COMMIT_2));
    StepResult chartWanted = update(Map.of("apps", List.of(Map.of("name", "shop", "sources", List.of(
        Map.of("repoURL", REPO, "desiredRevision", COMMIT_2),
        Map.of("repoURL", "https://charts.example.com", "chart", "redis", "desiredRevision", "18.0.0"))))));

    assertThat(done.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(at(done.outputs(), "healthCheck", "input")).isEqualTo(Map.of("apps", List.of(
        Map.of("name", "shop", "namespace", "argocd", "desiredRevisions", List.of(COMMIT_2, "")))));
    assertThat(chartWanted.status()).isEqualTo(StepStatus.RUNNING);
    assertSyncStartedForThisPromotion();
  }

  @Test
  void severalAppsTakeTheWorstPhase_runningBeforeSucceeded_andAFailureErrsAtOnce() throws Exception {
    argocd.create(shop().label("team", "web"));
    argocd.create(ArgoCdApplication.named("cart").repoURL(REPO).path("env/prod/cart").targetRevision("stage/prod")
        .authorizedStage("shop:prod").label("team", "web"));
    status("shop", operationState("Succeeded", "promo-2", COMMIT_2));
    status("cart", operationState("Running", "promo-2", null));
    Map<String, Object> byLabel = Map.of("apps", List.of(Map.of("selector", Map.of("matchLabels", Map.of("team", "web")),
        "sources", List.of(Map.of("repoURL", REPO, "desiredRevision", COMMIT_2)))));

    StepResult mixed = update(byLabel);
    status("cart", operationState("Failed", "promo-2", COMMIT_2));

    assertThat(mixed.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(mixed.message()).isEqualTo("waiting for the sync of Argo CD Application \"cart\" in namespace \"argocd\" "
        + "(Running)");
    assertThat(at(mixed.outputs(), "healthCheck", "input").get("apps")).asList().hasSize(2);
    assertThatThrownBy(() -> update(byLabel))
        .hasMessage("Argo CD Application \"cart\" in namespace \"argocd\" failed with: one or more objects failed to "
            + "apply");
    assertThat(patches()).isZero();
  }

  /** The step patched the Application: a sync for promo-2, a hard refresh, the old operation state gone. */
  private void assertSyncStartedForThisPromotion() {
    Map<String, Object> app = argocd.application("shop");
    assertThat(patches()).isEqualTo(1);
    assertThat(at(app, "operation")).isEqualTo(Map.of(
        "initiatedBy", Map.of("username", "promokit", "automated", true),
        "info", List.of(Map.of("name", "Reason", "value", "Promotion triggered a sync of this Application resource."),
            Map.of("name", "kargo.akuity.io/promotion", "value", "promo-2")),
        "sync", Map.of()));
    assertThat(at(app, "metadata", "annotations")).containsEntry("argocd.argoproj.io/refresh", "hard");
    assertThat(app.get("status") == null ? Map.of() : at(app, "status")).doesNotContainKey("operationState");
  }
}
