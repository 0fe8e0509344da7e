package io.promokit.testkit.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.promokit.testkit.gitops.FakeArgoCdController.Pass;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake Argo CD answers as a real API server and Argo CD's controller would. */
class ArgoCdClusterTest {

  private static final String COMMIT_1 = "1111111111111111111111111111111111111111";
  private static final String COMMIT_2 = "2222222222222222222222222222222222222222";

  private final ArgoCdCluster argocd = ArgoCdCluster.start();

  @AfterEach
  void close() {
    argocd.close();
  }

  private void patch(String name, String json) {
    argocd.client().genericKubernetesResources(ArgoCdCluster.APPLICATIONS).inNamespace("argocd").withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  @Test
  void aMergePatchReplacesListsAndRemovesNullKeysAsRfc7386Says() {
    argocd.create(ArgoCdApplication.named("shop").repoURL("https://git.example.com/shop.git")
        .sourceField("kustomize", Map.of("images", List.of("app:v1", "db:v1"))).annotation("keep", "me"));

    patch("shop", "{\"metadata\":{\"annotations\":{\"keep\":null,\"new\":\"x\"}},"
        + "\"spec\":{\"source\":{\"kustomize\":{\"images\":[\"app:v2\"]}}}}");

    Map<String, Object> app = argocd.application("shop");
    assertThat(app).extractingByKey("metadata").extracting("annotations").isEqualTo(Map.of("new", "x"));
    assertThat(app).extractingByKey("spec").extracting("source").extracting("kustomize")
        .isEqualTo(Map.of("images", List.of("app:v2")));
    assertThat(app).extractingByKey("spec").extracting("source").extracting("repoURL")
        .isEqualTo("https://git.example.com/shop.git");
  }

  @Test
  void aPatchWithAStaleResourceVersionIsAConflict() {
    Map<String, Object> created = argocd.create(ArgoCdApplication.named("shop").repoURL("https://git.example.com/a"));
    @SuppressWarnings("unchecked")
    String version = (String) ((Map<String, Object>) created.get("metadata")).get("resourceVersion");
    argocd.update("shop", app -> {
      app.put("spec", Map.of("project", "other"));
      return app;
    });

    assertThatThrownBy(() -> patch("shop", "{\"metadata\":{\"resourceVersion\":\"" + version + "\"},\"spec\":{}}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getStatus().getMessage()).isEqualTo("Operation cannot be fulfilled on applications.argoproj.io "
              + "\"shop\": the object has been modified; please apply your changes to the latest version and try again");
        });
  }

  @Test
  void aMissingApplicationIsA404NamingIt() {
    assertThatThrownBy(() -> patch("nope", "{}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(404);
          assertThat(e.getStatus().getMessage()).isEqualTo("applications.argoproj.io \"nope\" not found");
          assertThat(e.getStatus().getDetails().getName()).isEqualTo("nope");
        });
  }

  @Test
  void withoutArgoCdTheResourceIsNotServed() {
    argocd.argoCdInstalled(false);

    assertThatThrownBy(() -> argocd.client().genericKubernetesResources(ArgoCdCluster.APPLICATIONS)
        .inNamespace("argocd").list())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(404);
          assertThat(e.getStatus().getMessage()).isEqualTo("the server could not find the requested resource");
        });
  }

  @Test
  void theControllerAcceptsAnOperationSyncsTheResolvedRevisionAndReportsHealthOnTheNextRefresh() {
    argocd.controller().revisions(RevisionResolver.of(Map.of("stage/prod", COMMIT_1)));
    argocd.create(ArgoCdApplication.named("shop").repoURL("https://git.example.com/a").targetRevision("stage/prod"));
    patch("shop", "{\"operation\":{\"sync\":{},\"info\":[{\"name\":\"kargo.akuity.io/promotion\",\"value\":\"p-1\"}]}}");

    assertThat(argocd.controller().reconcile("argocd", "shop")).isEqualTo(Pass.STARTED_OPERATION);
    Map<String, Object> running = argocd.application("shop");
    assertThat(running).containsKey("operation");
    assertThat(running).extractingByKey("status").extracting("operationState").extracting("phase").isEqualTo("Running");

    assertThat(argocd.controller().reconcile("argocd", "shop")).isEqualTo(Pass.FINISHED_OPERATION);
    Map<String, Object> synced = argocd.application("shop");
    assertThat(synced).doesNotContainKey("operation");
    assertThat(synced).extractingByKey("status").extracting("operationState")
        .extracting("phase", "message").containsExactly("Succeeded", "successfully synced (all tasks run)");
    assertThat(synced).extractingByKey("status").extracting("operationState").extracting("syncResult")
        .extracting("revision").isEqualTo(COMMIT_1);
    assertThat(synced).extractingByKey("status").extracting("health").extracting("status").isEqualTo("Progressing");

    assertThat(argocd.controller().settle("argocd", "shop")).containsExactly(Pass.REFRESHED);
    Map<String, Object> healthy = argocd.application("shop");
    assertThat(healthy).extractingByKey("status").extracting("health").extracting("status").isEqualTo("Healthy");
    assertThat(healthy).extractingByKey("status").extracting("sync").extracting("status", "revision")
        .containsExactly("Synced", COMMIT_1);
  }

  @Test
  void aFailingSyncIsFailedWithItsMessageAndTheAppOutOfSync() {
    argocd.controller().revisions(RevisionResolver.of(Map.of()))
        .behavior("shop", SyncBehavior.fail("one or more objects failed to apply"));
    argocd.create(ArgoCdApplication.named("shop").repoURL("https://git.example.com/a").targetRevision(COMMIT_2));
    patch("shop", "{\"operation\":{\"sync\":{}}}");

    assertThat(argocd.controller().settle("argocd", "shop"))
        .containsExactly(Pass.STARTED_OPERATION, Pass.FINISHED_OPERATION, Pass.REFRESHED);

    Map<String, Object> app = argocd.application("shop");
    assertThat(app).extractingByKey("status").extracting("operationState").extracting("phase", "message")
        .containsExactly("Failed", "one or more objects failed to apply");
    assertThat(app).extractingByKey("status").extracting("health").extracting("status").isEqualTo("Degraded");
  }

  @Test
  void anUnresolvableRevisionErrsTheOperationAndShowsAComparisonError() {
    argocd.controller().revisions(RevisionResolver.of(Map.of()));
    argocd.create(ArgoCdApplication.named("shop").repoURL("https://git.example.com/a").targetRevision("nope"));
    patch("shop", "{\"operation\":{\"sync\":{}}}");

    argocd.controller().settle("argocd", "shop");

    Map<String, Object> app = argocd.application("shop");
    assertThat(app).extractingByKey("status").extracting("operationState").extracting("phase", "message")
        .containsExactly("Error", "ComparisonError: unable to resolve 'nope' to a commit SHA");
    assertThat(app).extractingByKey("status").extracting("conditions").asList().singleElement()
        .extracting("type").isEqualTo("ComparisonError");
  }

  @Test
  void aStalledOperationStaysRunningAndInBackgroundTheControllerSyncsOnItsOwn() throws Exception {
    argocd.controller().revisions(RevisionResolver.of(Map.of())).behavior("stuck", SyncBehavior.stall());
    argocd.create(ArgoCdApplication.named("stuck").repoURL("https://git.example.com/a").targetRevision(COMMIT_1));
    argocd.create(ArgoCdApplication.named("fine").repoURL("https://git.example.com/a").targetRevision(COMMIT_1));
    patch("stuck", "{\"operation\":{\"sync\":{}}}");
    patch("fine", "{\"operation\":{\"sync\":{}}}");

    argocd.controller().start(Duration.ofMillis(20));
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!argocd.controller().history().contains("argocd/fine: REFRESHED") && System.nanoTime() < end) {
      Thread.sleep(20);
    }

    assertThat(argocd.application("fine")).extractingByKey("status").extracting("health").extracting("status")
        .isEqualTo("Healthy");
    assertThat(argocd.application("stuck")).extractingByKey("status").extracting("operationState")
        .extracting("phase").isEqualTo("Running");
  }

  @Test
  void gitResolvesABranchAgainstTheRealRepository(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path repo = dir.resolve("repo");
    TestGit.git(dir, "init", "-q", "--initial-branch=main", repo.toString());
    TestGit.git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "one");
    String head = TestGit.git(repo, "rev-parse", "HEAD").trim();

    assertThat(RevisionResolver.git().resolve(repo.toUri().toString(), "main")).isEqualTo(head);
    assertThat(RevisionResolver.git().resolve(repo.toUri().toString(), COMMIT_2)).isEqualTo(COMMIT_2);
    assertThatThrownBy(() -> RevisionResolver.git().resolve(repo.toUri().toString(), "gone"))
        .hasMessage("unable to resolve 'gone' to a commit SHA");
  }
}
