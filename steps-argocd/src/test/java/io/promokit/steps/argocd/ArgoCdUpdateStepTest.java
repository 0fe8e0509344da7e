package io.promokit.steps.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.testkit.TestStepContext;
import io.promokit.testkit.gitops.ArgoCdApplication;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** argocd-update against the fake Argo CD: whole syncs, source updates, authorisation, conflicts and API errors. */
class ArgoCdUpdateStepTest extends ArgoCdTest {

  @Test
  void aSyncRunsUntilArgoCdHasAppliedTheDesiredRevision() throws Exception {
    argocd.create(shop());
    Map<String, Object> config = updateShop(COMMIT_2);

    StepResult first = update(config);
    // As in Kargo: Argo CD has not taken the operation yet (no operation state), so it is written again.
    StepResult beforeArgoCdTookIt = update(config);
    argocd.controller().reconcile("argocd", "shop");
    StepResult running = update(config);
    argocd.controller().reconcile("argocd", "shop");
    StepResult done = update(config);

    assertThat(List.of(first.status(), beforeArgoCdTookIt.status(), running.status(), done.status()))
        .containsExactly(StepStatus.RUNNING, StepStatus.RUNNING, StepStatus.RUNNING, StepStatus.SUCCEEDED);
    assertThat(first.retryAfter()).contains(java.time.Duration.ofSeconds(2));
    assertThat(patches()).as("a sync while none was running, then only waiting for it").isEqualTo(2);
    assertThat(at(argocd.application("shop"), "status", "operationState", "syncResult")).containsEntry("revision",
        COMMIT_2);
  }

  @Test
  void aSyncThatArgoCdAppliedAtAnotherRevisionIsStartedAgain() throws Exception {
    argocd.create(shop());
    argocd.controller().revisions(io.promokit.testkit.gitops.RevisionResolver.of(Map.of("stage/prod", COMMIT_1)));
    update(updateShop(COMMIT_2));
    argocd.controller().settle("argocd", "shop");

    StepResult result = update(updateShop(COMMIT_2));

    assertThat(result.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(patches()).isEqualTo(2);
  }

  @Test
  void aFailedSyncErrsTheStepWithArgoCdsMessage() throws Exception {
    argocd.create(shop());
    argocd.controller().behavior("shop", io.promokit.testkit.gitops.SyncBehavior.fail(
        "one or more synchronization tasks completed unsuccessfully"));
    update(updateShop(COMMIT_2));
    argocd.controller().settle("argocd", "shop");

    assertThatThrownBy(() -> update(updateShop(COMMIT_2)))
        .hasMessage("Argo CD Application \"shop\" in namespace \"argocd\" failed with: one or more synchronization tasks "
            + "completed unsuccessfully");
  }

  @Test
  void aPromotionActorStartsTheSyncAsAManualOne() throws Exception {
    argocd.create(shop().syncPolicy(Map.of("syncOptions", List.of("CreateNamespace=true"),
        "retry", Map.of("limit", 3))));

    context(updateShop(COMMIT_2)).promotion(PROMOTION.toBuilder().actor("alice@example.com").build()).build()
        .run(step("argocd-update"));

    Map<String, Object> operation = at(argocd.application("shop"), "operation");
    assertThat(operation.get("initiatedBy")).isEqualTo(Map.of("username", "alice@example.com"));
    assertThat(operation.get("sync")).isEqualTo(Map.of("syncOptions", List.of("CreateNamespace=true")));
    assertThat(operation.get("retry")).isEqualTo(Map.of("limit", 3));
  }

  @Test
  void theSyncIsRecordedAsAnOperationStartedEvent() throws Exception {
    argocd.create(shop());

    update(Map.of("apps", List.of(Map.of("name", "shop", "sources", List.of(
        Map.of("repoURL", REPO, "desiredRevision", COMMIT_2, "updateTargetRevision", true))))));

    List<Event> events = argocd.events("argocd");
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.getReason()).isEqualTo("OperationStarted");
      assertThat(e.getType()).isEqualTo("Normal");
      assertThat(e.getMessage()).isEqualTo("promokit initiated sync to " + COMMIT_2);
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("Application");
      assertThat(e.getInvolvedObject().getName()).isEqualTo("shop");
      assertThat(e.getMetadata().getName()).startsWith("shop.");
    });
  }

  @Test
  void anEventThatCannotBeRecordedDoesNotStopTheSync() throws Exception {
    argocd.create(shop());
    argocd.failNext("POST", "/events", 1, 403, "events is forbidden: User \"promokit\" cannot create resource "
        + "\"events\"");
    TestStepContext ctx = context(updateShop(COMMIT_2)).build();

    assertThat(ctx.run(step("argocd-update")).status()).isEqualTo(StepStatus.RUNNING);
    assertThat(ctx.lines()).anySatisfy(line -> assertThat(line).startsWith(
        "INFO: warning: could not record the sync of Argo CD Application \"shop\" in namespace \"argocd\" as an Event: "
            + "Kubernetes denied permission to create Event"));
  }

  // ---- source updates ----

  @Test
  void targetRevisionKustomizeImagesAndHelmParametersAreSetOnTheMatchingSource() throws Exception {
    argocd.create(ArgoCdApplication.named("shop").authorizedStage("shop:prod")
        .source(Map.of("repoURL", "https://charts.example.com", "chart", "shop", "targetRevision", "1.0.0",
            "helm", Map.of("parameters", List.of(Map.of("name", "image.tag", "value", "v1"),
                Map.of("name", "replicas", "value", "2")))))
        .source(Map.of("repoURL", REPO, "path", "env/prod", "targetRevision", "main",
            "kustomize", Map.of("images", List.of("old:v0"), "namePrefix", "prod-"))));
    Map<String, Object> config = Map.of("apps", List.of(Map.of("name", "shop", "sources", List.of(
        Map.of("repoURL", "https://charts.example.com", "chart", "shop", "desiredRevision", "1.2.0",
            "updateTargetRevision", true,
            "helm", Map.of("images", List.of(Map.of("key", "image.tag", "value", "v2"),
                Map.of("key", "image.repository", "value", "ghcr.io/acme/shop")))),
        Map.of("repoURL", REPO, "desiredRevision", COMMIT_2, "updateTargetRevision", true,
            "kustomize", Map.of("images", List.of(
                Map.of("repoURL", "ghcr.io/acme/shop", "tag", "v2"),
                Map.of("repoURL", "ghcr.io/acme/db", "digest", "sha256:abc", "newName", "mirror.example.com/db"),
                Map.of("repoURL", "ghcr.io/acme/cache"))))))));

    update(config);

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> sources = (List<Map<String, Object>>) at(argocd.application("shop"), "spec").get("sources");
    assertThat(sources.get(0)).isEqualTo(Map.of("repoURL", "https://charts.example.com", "chart", "shop",
        "targetRevision", "1.2.0", "helm", Map.of("parameters", List.of(Map.of("name", "image.tag", "value", "v2"),
            Map.of("name", "replicas", "value", "2"), Map.of("name", "image.repository", "value", "ghcr.io/acme/shop")))));
    assertThat(sources.get(1)).isEqualTo(Map.of("repoURL", REPO, "path", "env/prod",
        "targetRevision", COMMIT_2, "kustomize", Map.of("namePrefix", "prod-", "images", List.of("ghcr.io/acme/shop:v2",
            "ghcr.io/acme/db=mirror.example.com/db@sha256:abc", "ghcr.io/acme/cache:"))));
  }

  @Test
  void aGitSourceMatchedOnlyAfterNormalisationGetsItsImagesButNoDesiredRevision() throws Exception {
    // Kargo's quirk, kept: the patch matches git URLs normalised, the desired revisions match them exactly.
    argocd.create(ArgoCdApplication.named("shop").authorizedStage("shop:prod").repoURL("https://GIT.example.com/acme/gitops")
        .targetRevision("main"));

    StepResult result = update(Map.of("apps", List.of(Map.of("name", "shop", "sources", List.of(Map.of(
        "repoURL", REPO, "desiredRevision", COMMIT_2, "updateTargetRevision", true,
        "kustomize", Map.of("images", List.of(Map.of("repoURL", "app", "tag", "v2")))))))));

    Map<String, Object> source = at(argocd.application("shop"), "spec", "source");
    assertThat(source).containsEntry("targetRevision", "main").containsEntry("kustomize", Map.of("images", List.of("app:v2")));
    assertThat(at(result.outputs(), "healthCheck", "input")).isEqualTo(Map.of("apps", List.of(
        Map.of("name", "shop", "namespace", "argocd", "desiredRevisions", List.of("")))));
  }

  @Test
  void anUpdateMatchingNoSourceErrsNamingTheSources() throws Exception {
    argocd.create(shop());

    assertThatThrownBy(() -> update(Map.of("apps", List.of(Map.of("name", "shop", "sources", List.of(
        Map.of("repoURL", "https://charts.example.com", "chart", "shop")))))))
        .isInstanceOf(StepException.class)
        .hasMessage("error building desired sources for Argo CD Application \"shop\" in namespace \"argocd\": no source "
            + "of Argo CD Application \"shop\" in namespace \"argocd\" matched update for source with repoURL "
            + "https://charts.example.com and chart \"shop\"; its sources are " + REPO);
    assertThat(patches()).isZero();
  }

  @Test
  void selectedAppsMustAllTakeTheUpdatesBeforeAnyIsTouched() throws Exception {
    for (String name : List.of("a", "b", "c", "d", "e")) {
      ArgoCdApplication app = ArgoCdApplication.named(name).authorizedStage("shop:prod").label("tier", "web")
          .repoURL(name.equals("a") ? REPO : "https://git.example.com/other/" + name).targetRevision("main");
      argocd.create(app);
    }

    assertThatThrownBy(() -> update(Map.of("apps", List.of(Map.of(
        "selector", Map.of("matchExpressions", List.of(Map.of("key", "tier", "operator", "In", "values", List.of("web")))),
        "sources", List.of(Map.of("repoURL", REPO, "desiredRevision", COMMIT_2)))))))
        .hasMessageStartingWith("selected Applications must have compatible sources; 4 incompatible (showing first 3). "
            + "No Applications were updated:\nApplication \"b\" in namespace \"argocd\": no source of Argo CD "
            + "Application \"b\"");
    assertThat(patches()).isZero();
  }

  // ---- authorisation ----

  @Test
  void anAppWithoutTheAnnotationIsNotAuthorizedAndTheMessageSaysWhatToAdd() throws Exception {
    argocd.create(ArgoCdApplication.named("shop").repoURL(REPO));

    assertThatThrownBy(() -> update(updateShop(COMMIT_2)))
        .hasMessage("Argo CD Application \"shop\" in namespace \"argocd\" is not authorized for Stage shop:prod: it has "
            + "no annotation kargo.akuity.io/authorized-stage; add kargo.akuity.io/authorized-stage: \"shop:prod\" to it");
    assertThat(patches()).isZero();
  }

  @Test
  void theAnnotationIsAListAndMustNameThisStage() throws Exception {
    argocd.create(ArgoCdApplication.named("shop").repoURL(REPO).targetRevision("stage/prod")
        .authorizedStage(" shop : dev , shop:prod "));
    argocd.create(ArgoCdApplication.named("other").repoURL(REPO).authorizedStage("shop:dev,other:prod"));
    argocd.create(ArgoCdApplication.named("glob").repoURL(REPO).authorizedStage("shop:*"));

    assertThat(update(updateShop(COMMIT_2)).status()).isEqualTo(StepStatus.RUNNING);
    assertThatThrownBy(() -> update(Map.of("apps", List.of(Map.of("name", "other")))))
        .hasMessage("Argo CD Application \"other\" in namespace \"argocd\" is not authorized for Stage shop:prod: its "
            + "annotation kargo.akuity.io/authorized-stage is \"shop:dev,other:prod\", which does not list \"shop:prod\"");
    assertThatThrownBy(() -> update(Map.of("apps", List.of(Map.of("name", "glob")))))
        .hasMessage("Argo CD Application \"glob\" in namespace \"argocd\" is not authorized for Stage shop:prod: its "
            + "annotation kargo.akuity.io/authorized-stage (\"shop:*\") is invalid: entry \"shop:*\" is a glob, which "
            + "Kargo no longer supports");
  }

  @Test
  void aSelectorSkipsUnauthorizedAppsAndErrsWhenNoneIsLeft() throws Exception {
    argocd.create(shop().label("team", "web"));
    argocd.create(ArgoCdApplication.named("foreign").repoURL(REPO).label("team", "web"));
    argocd.create(ArgoCdApplication.named("lonely").repoURL(REPO).label("team", "ops"));
    TestStepContext ctx = context(Map.of("apps", List.of(Map.of("selector", Map.of("matchLabels", Map.of("team", "web"))))))
        .build();

    StepResult result = ctx.run(step("argocd-update"));

    assertThat(result.outputs().get("apps")).isEqualTo(List.of(Map.of("name", "shop", "namespace", "argocd")));
    assertThat(ctx.lines()).contains("INFO: warning: skipping Argo CD Application \"foreign\" in namespace \"argocd\": "
        + "Stage shop:prod may not change it: it has no annotation kargo.akuity.io/authorized-stage; add "
        + "kargo.akuity.io/authorized-stage: \"shop:prod\" to it");
    assertThatThrownBy(() -> update(Map.of("apps", List.of(Map.of("selector", Map.of("matchLabels",
        Map.of("team", "ops")))))))
        .hasMessage("found 1 Application(s) matching selector in namespace \"argocd\", but none are authorized for Stage "
            + "shop:prod");
    assertThatThrownBy(() -> update(Map.of("apps", List.of(Map.of("selector", Map.of("matchLabels",
        Map.of("team", "nobody")))))))
        .hasMessage("no Argo CD Applications found matching selector in namespace \"argocd\"");
  }

  @Test
  void aMissingAppErrs() throws Exception {
    assertThatThrownBy(() -> update(updateShop(COMMIT_2)))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("unable to find Argo CD Application \"shop\" in namespace \"argocd\"");
  }

  // ---- conflicts and API errors ----

  @Test
  void aConcurrentChangeIsAConflictAndThePatchIsMadeAgainFromAFreshRead() throws Exception {
    argocd.create(shop().sourceField("kustomize", Map.of("images", List.of("app:v1"))));
    argocd.changeBeforeNext("PATCH", "argocd", "shop", app -> {
      at(app, "metadata").put("labels", Map.of("changed-by", "someone"));
      return app;
    });
    TestStepContext ctx = context(updateShop(COMMIT_2)).build();

    assertThat(ctx.run(step("argocd-update")).status()).isEqualTo(StepStatus.RUNNING);

    Map<String, Object> app = argocd.application("shop");
    assertThat(patches()).isEqualTo(2);
    assertThat(at(app, "metadata", "labels")).isEqualTo(Map.of("changed-by", "someone"));
    assertThat(app).containsKey("operation");
    assertThat(ctx.lines()).anySatisfy(line -> assertThat(line).startsWith("INFO: Argo CD Application \"shop\" in "
        + "namespace \"argocd\" changed while it was patched (409 Conflict: Operation cannot be fulfilled on "
        + "applications.argoproj.io \"shop\""));
  }

  @Test
  void anAppThatKeepsChangingErrsAfterFiveConflicts() throws Exception {
    argocd.create(shop());
    for (int i = 0; i < ArgoCdUpdateStep.CONFLICT_TRIES; i++) {
      argocd.changeBeforeNext("PATCH", "argocd", "shop", app -> {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("n", String.valueOf(System.nanoTime()));
        at(app, "metadata").put("labels", labels);
        return app;
      });
    }

    assertThatThrownBy(() -> update(updateShop(COMMIT_2)))
        .hasMessageStartingWith("error syncing Argo CD Application \"shop\" in namespace \"argocd\": it kept changing while "
            + "it was patched (5 conflicts in a row, the last: 409 Conflict: Operation cannot be fulfilled");
    assertThat(argocd.application("shop")).doesNotContainKey("operation");
  }

  @Test
  void anAppDeletedBetweenReadAndPatchErrsAsNotFound() throws Exception {
    argocd.create(shop());
    argocd.changeBeforeNext("PATCH", "argocd", "shop", app -> null);

    assertThatThrownBy(() -> update(updateShop(COMMIT_2)))
        .hasMessage("error syncing Argo CD Application \"shop\" in namespace \"argocd\": not found (asked to patch Argo "
            + "CD Application \"shop\" in namespace \"argocd\"): 404 NotFound: applications.argoproj.io \"shop\" not "
            + "found");
  }

  @Test
  void transientApiErrorsAreTriedAgain() throws Exception {
    argocd.create(shop());
    argocd.failNext("GET", "/applications/shop$", 2, 503, "etcd leader changed");
    argocd.failNext("PATCH", "/applications/shop$", 1, 429, "too many requests");

    assertThat(update(updateShop(COMMIT_2)).status()).isEqualTo(StepStatus.RUNNING);
    assertThat(argocd.count("GET", "/applications/shop$")).as(argocd.requests().toString()).isEqualTo(3);
    assertThat(patches()).isEqualTo(2);
  }

  @Test
  void transientErrorsThatOutlastTheTriesErrTheStepRetryably() throws Exception {
    argocd.create(shop());
    argocd.failNext("GET", "/applications/shop$", 5, 503, "etcd leader changed");

    assertThatThrownBy(() -> update(updateShop(COMMIT_2)))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("the Kubernetes API did not answer to get Argo CD Application \"shop\" in namespace \"argocd\" after "
            + "5 tries: 503 ServiceUnavailable: etcd leader changed");
  }

  @Test
  void forbiddenSaysWhichPermissionsTheClientNeeds() throws Exception {
    argocd.create(shop());
    argocd.failNext("PATCH", "/applications/shop$", 1, 403, "applications.argoproj.io \"shop\" is forbidden: User "
        + "\"system:serviceaccount:ci:promokit\" cannot patch resource \"applications\" in API group \"argoproj.io\"");

    assertThatThrownBy(() -> update(updateShop(COMMIT_2)))
        .hasMessage("error syncing Argo CD Application \"shop\" in namespace \"argocd\": Kubernetes denied permission to "
            + "patch Argo CD Application \"shop\" in namespace \"argocd\": 403 Forbidden: applications.argoproj.io "
            + "\"shop\" is forbidden: User \"system:serviceaccount:ci:promokit\" cannot patch resource \"applications\" "
            + "in API group \"argoproj.io\"; the Argo CD client's identity needs get, list and patch on "
            + "applications.argoproj.io, and create on events, in namespace \"argocd\"");
  }

  @Test
  void aClusterWithoutArgoCdIsNamedAsSuch() throws Exception {
    argocd.argoCdInstalled(false);

    assertThatThrownBy(() -> update(updateShop(COMMIT_2)))
        .hasMessage("the cluster serves no Argo CD Applications (argoproj.io/v1alpha1) (asked to list Argo CD "
            + "Applications in namespace \"argocd\"): 404 NotFound: the server could not find the requested resource; "
            + "is Argo CD installed there, and does the kubeconfig the steps use (the CLI's --argocd-kubeconfig) point "
            + "at its cluster?");
  }

  // ---- configuration ----

  @Test
  void withoutAClientTheStepsErrAsKargosDoWithArgoCdOff() throws Exception {
    TestStepContext ctx = context(updateShop(COMMIT_2)).build();

    assertThatThrownBy(() -> ctx.run(ArgoCdSteps.unconfigured().steps().get(0)))
        .hasMessage("Argo CD integration is not configured (no Kubernetes client for Argo CD was given to "
            + "ArgoCdSteps); cannot update Argo CD Application resources");
  }

  @Test
  void theNamespaceComesFromTheConfigElseTheBuilder() throws Exception {
    argocd.create(shop().namespace("apps"));
    ArgoCdSteps inApps = ArgoCdSteps.builder().client(argocd.client()).namespace("apps").build();

    StepResult byBuilder = context(updateShop(COMMIT_2)).build().run(inApps.steps().get(0));
    StepResult byConfig = update(Map.of("apps", List.of(Map.of("name", "shop", "namespace", "apps"))));

    assertThat(byBuilder.outputs().get("apps")).isEqualTo(List.of(Map.of("name", "shop", "namespace", "apps")));
    assertThat(byConfig.outputs().get("apps")).isEqualTo(List.of(Map.of("name", "shop", "namespace", "apps")));
  }

  @Test
  void invalidConfigIsFailedBeforeAnythingIsAsked() throws Exception {
    StepResult both = update(Map.of("apps", List.of(Map.of("name", "shop",
        "selector", Map.of("matchLabels", Map.of("a", "b"))))));
    StepResult noApps = update(Map.of("apps", List.of()));
    StepResult neither = update(Map.of("apps", List.of(Map.of("namespace", "argocd"))));
    StepResult targetWithoutRevision = update(Map.of("apps", List.of(Map.of("name", "shop", "sources",
        List.of(Map.of("repoURL", REPO, "updateTargetRevision", true))))));
    StepResult tagAndDigest = update(Map.of("apps", List.of(Map.of("name", "shop", "sources", List.of(Map.of(
        "repoURL", REPO, "kustomize", Map.of("images", List.of(Map.of("repoURL", "app", "tag", "v1",
            "digest", "sha256:1")))))))));
    StepResult emptySelector = update(Map.of("apps", List.of(Map.of("selector", Map.of("matchLabels", Map.of())))));
    StepResult inWithoutValues = update(Map.of("apps", List.of(Map.of("selector", Map.of("matchExpressions",
        List.of(Map.of("key", "team", "operator", "In")))))));

    assertThat(List.of(both, neither, noApps, targetWithoutRevision, tagAndDigest, emptySelector, inWithoutValues))
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(StepStatus.FAILED));
    assertThat(noApps.message()).isEqualTo("invalid config: config.apps: must have at least 1 item, but had 0");
    assertThat(targetWithoutRevision.message())
        .isEqualTo("invalid config: config.apps[0].sources[0].desiredRevision: is required");
    assertThat(inWithoutValues.message()).isEqualTo("invalid config: config.apps[0].selector.matchExpressions[0].values: "
        + "the operator In needs at least one value");
    
    assertThat(tagAndDigest.message())
        .isEqualTo("invalid config: config.apps[0].sources[0].kustomize.images[0]: give at most one of tag and digest");
    assertThat(both.message()).isEqualTo("invalid config: config.apps[0]: give either name or selector, not both");
    assertThat(neither.message()).isEqualTo("invalid config: config.apps[0]: matches none of the allowed forms "
        + "(config.apps[0].name: is required; or config.apps[0].selector: is required)");
    assertThat(emptySelector.message()).isEqualTo("invalid config: config.apps[0].selector: matches none of the "
        + "allowed forms (config.apps[0].selector.matchLabels: must have at least 1 field, but had 0; or "
        + "config.apps[0].selector.matchExpressions: is required)");
    assertThat(argocd.requests()).noneMatch(r -> r.contains("/applications"));
  }

  @Test
  void theStepsWaitFiveMinutesByDefaultAsKargos() {
    assertThat(steps.steps()).allSatisfy(s ->
        assertThat(s.options().defaultTimeout()).contains(java.time.Duration.ofMinutes(5)));
  }
}
