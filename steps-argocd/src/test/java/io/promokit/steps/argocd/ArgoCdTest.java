package io.promokit.steps.argocd;

import io.promokit.PromotionContext;
import io.promokit.RegisteredStep;
import io.promokit.StepResult;
import io.promokit.testkit.TestStepContext;
import io.promokit.testkit.gitops.ArgoCdApplication;
import io.promokit.testkit.gitops.ArgoCdCluster;
import io.promokit.testkit.gitops.RevisionResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the steps' tests: an Argo CD on the mock API server (its controller driven pass by pass), the steps
 * built on its client, and a way to run one attempt as the engine does.
 */
abstract class ArgoCdTest {

  static final String REPO = "https://git.example.com/acme/gitops.git";
  static final String COMMIT_1 = "1111111111111111111111111111111111111111";
  static final String COMMIT_2 = "2222222222222222222222222222222222222222";
  static final PromotionContext PROMOTION = PromotionContext.builder().project("shop").stage("prod")
      .promotion("promo-2").build();

  @TempDir Path workdir;

  final ArgoCdCluster argocd = ArgoCdCluster.start();
  final ArgoCdSteps steps = ArgoCdSteps.builder().client(argocd.client()).apiBackoff(Duration.ofMillis(10))
      .pollInterval(Duration.ofSeconds(2)).build();

  ArgoCdTest() {
    argocd.controller().revisions(RevisionResolver.of(Map.of("stage/prod", COMMIT_2, "main", COMMIT_1)));
  }

  @AfterEach
  void closeCluster() {
    argocd.close();
  }

  /** An Application "shop" following stage/prod of {@link #REPO}, that Stage shop:prod may change. */
  static ArgoCdApplication shop() {
    return ArgoCdApplication.named("shop").repoURL(REPO).path("env/prod").targetRevision("stage/prod")
        .authorizedStage("shop:prod");
  }

  RegisteredStep step(String name) {
    return steps.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  TestStepContext.Builder context(Map<String, ?> config) {
    return TestStepContext.builder(workdir).alias("sync").promotion(PROMOTION).config(config);
  }

  StepResult update(Map<String, ?> config) throws Exception {
    return context(config).build().run(step("argocd-update"));
  }

  StepResult waitFor(Map<String, ?> config, Map<String, ?> previousOutputs) throws Exception {
    return context(config).previousOutputs(previousOutputs).build().run(step("argocd-wait"));
  }

  /** {@code apps: [{name: shop, sources: [{repoURL, desiredRevision}]}]}. */
  static Map<String, Object> updateShop(String desiredRevision) {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("repoURL", REPO);
    if (desiredRevision != null) {
      source.put("desiredRevision", desiredRevision);
    }
    return Map.of("apps", List.of(Map.of("name", "shop", "sources", List.of(source))));
  }

  /** Sets the Application's status (and optionally clears its operation) as Argo CD would have left it. */
  void status(String name, Map<String, Object> status) {
    argocd.update(name, app -> {
      app.put("status", new LinkedHashMap<>(status));
      return app;
    });
  }

  /** An operation state of another client or promotion, or of this one ({@code promo-2}). */
  static Map<String, Object> operationState(String phase, String promotion, String revision) {
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("initiatedBy", Map.of("username", promotion == null ? "alice" : "kargo-controller"));
    operation.put("info", promotion == null ? List.of()
        : List.of(Map.of("name", "kargo.akuity.io/promotion", "value", promotion)));
    operation.put("sync", Map.of());
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("operation", operation);
    state.put("phase", phase);
    state.put("message", phase.equals("Failed") ? "one or more objects failed to apply" : "");
    state.put("startedAt", "2026-11-26T10:00:00Z");
    if (!phase.equals("Running") && !phase.equals("Terminating")) {
      state.put("finishedAt", "2026-11-26T10:00:30Z");
    }
    if (revision != null) {
      state.put("syncResult", Map.of("revision", revision, "source", Map.of("repoURL", REPO)));
    }
    return Map.of("operationState", state);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> at(Map<String, Object> json, String... path) {
    Object node = json;
    for (String key : path) {
      node = ((Map<String, Object>) node).get(key);
    }
    return (Map<String, Object>) node;
  }

  long patches() {
    return argocd.count("PATCH", "/applications/");
  }
}
