package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.records.PromotionRecord;
import io.promokit.testkit.gitops.ArgoCdApplication;
import io.promokit.testkit.gitops.ArgoCdCluster;
import io.promokit.testkit.gitops.RevisionResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --argocd-kubeconfig} and {@code --argocd-namespace}: a promotion that may run an Argo CD step connects to
 * the cluster and checks it before anything runs (exit 2 with what is wrong); one that will not needs no cluster.
 */
class ArgoCdOptionsTest {

  private static final String COMMIT = "3333333333333333333333333333333333333333";

  @TempDir Path dir;
  private final ArgoCdCluster argocd = ArgoCdCluster.start();

  @AfterEach
  void close() {
    argocd.close();
  }

  private Path template() throws Exception {
    return Files.writeString(dir.resolve("sync.yaml"), """
        vars:
        - name: syncArgoCD
          value: "true"
        steps:
        - uses: argocd-update
          as: sync
          if: ${{ vars.syncArgoCD }}
          config:
            apps:
            - name: shop
              sources:
              - repoURL: https://git.example.com/gitops.git
                desiredRevision: "%s"
        - uses: argocd-wait
          as: healthy
          if: ${{ success() && vars.syncArgoCD == 'true' }}
          config:
            apps: [{name: shop}]
        """.formatted(COMMIT));
  }

  @Test
  void aPromotionSyncsThroughTheClusterOfTheKubeconfig() throws Exception {
    argocd.create(ArgoCdApplication.named("shop").namespace("apps").repoURL("https://git.example.com/gitops.git")
        .targetRevision("stage/prod").authorizedStage("shop:prod"));
    argocd.controller().revisions(RevisionResolver.of(Map.of("stage/prod", COMMIT))).start(Duration.ofMillis(50));
    Path record = dir.resolve("record.json");

    Cli cli = Cli.run("run", template().toString(), "--argocd-kubeconfig",
        argocd.writeKubeconfig(dir.resolve("kubeconfig")).toString(), "--argocd-namespace", "apps",
        "--ctx", "project=shop", "--ctx", "stage=prod", "--ctx", "promotion=p-7", "--record", record.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.err).contains("promokit: Argo CD steps use the cluster at " + argocd.url() + " (--argocd-kubeconfig "
        + dir.resolve("kubeconfig") + "), Applications in namespace apps unless a step names another")
        .contains("[wait] sync (argocd-update) Running attempt 1")
        .contains("[end]  healthy (argocd-wait) Succeeded");
    PromotionRecord result = PromotionRecord.fromJson(Files.readString(record));
    assertThat(result.step("sync").orElseThrow().outputs().get("apps"))
        .isEqualTo(List.of(Map.of("name", "shop", "namespace", "apps")));
  }

  @Test
  void anArgoCdStepThatWillNotRunNeedsNoCluster() throws Exception {
    Cli cli = Cli.run("run", template().toString(), "--var", "syncArgoCD=false",
        "--argocd-kubeconfig", dir.resolve("missing-kubeconfig").toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.err).contains("[skip] sync (argocd-update) Skipped").doesNotContain("Argo CD steps use");
  }

  @Test
  void aMissingKubeconfigExitsWithTwo() throws Exception {
    Cli cli = Cli.run("run", template().toString(), "--argocd-kubeconfig", dir.resolve("nope").toString());

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).contains("promokit run: --argocd-kubeconfig " + dir.resolve("nope") + ": no such file (step "
        + "\"sync\" uses argocd-update)").doesNotContain("[start]");
  }

  @Test
  void aClusterThatDoesNotAnswerExitsWithTwoBeforeAnyStepRuns() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), Files.readString(
        argocd.writeKubeconfig(dir.resolve("real"))).replace(argocd.url().replaceAll("/$", ""),
        "http://127.0.0.1:" + closedPort));

    Cli cli = Cli.run("run", template().toString(), "--argocd-kubeconfig", kubeconfig.toString());

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(cli.err).contains("promokit run: step \"sync\" uses argocd-update, and the cluster of "
        + "--argocd-kubeconfig " + kubeconfig + " (http://127.0.0.1:" + closedPort + "/) cannot be used: the Kubernetes "
        + "API did not answer to list Argo CD Applications in namespace \"argocd\" after 1 try: ")
        .doesNotContain("[start]");
  }

  @Test
  void aClusterWithoutArgoCdExitsWithTwo() throws Exception {
    argocd.argoCdInstalled(false);

    Cli cli = Cli.run("run", template().toString(), "--argocd-kubeconfig",
        argocd.writeKubeconfig(dir.resolve("kubeconfig")).toString());

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).contains("cannot be used: the cluster serves no Argo CD Applications (argoproj.io/v1alpha1) "
        + "(asked to list Argo CD Applications in namespace \"argocd\"): 404 NotFound: the server could not find the "
        + "requested resource; is Argo CD installed there");
  }

  @Test
  void forbiddenSaysWhatTheIdentityNeeds() throws Exception {
    argocd.failNext("GET", "/applications", 1, 403, "applications.argoproj.io is forbidden: User \"ci\" cannot list "
        + "resource \"applications\" in API group \"argoproj.io\" in the namespace \"argocd\"");

    Cli cli = Cli.run("run", template().toString(), "--argocd-kubeconfig",
        argocd.writeKubeconfig(dir.resolve("kubeconfig")).toString());

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).contains("Kubernetes denied permission to list Argo CD Applications in namespace \"argocd\": "
        + "403 Forbidden: applications.argoproj.io is forbidden: User \"ci\" cannot list resource \"applications\" in "
        + "API group \"argoproj.io\" in the namespace \"argocd\"; the Argo CD client's identity needs get, list and "
        + "patch on applications.argoproj.io, and create on events, in namespace \"argocd\"");
  }

  @Test
  void aBadNamespaceExitsWithTwo() throws Exception {
    Cli cli = Cli.run("run", template().toString(), "--argocd-kubeconfig",
        argocd.writeKubeconfig(dir.resolve("kubeconfig")).toString(), "--argocd-namespace", "Not_A_Namespace");

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).contains("promokit run: --argocd-namespace: namespace must be a Kubernetes namespace name "
        + "(lower-case letters, digits and '-', at most 63), but was \"Not_A_Namespace\"");
  }

  @Test
  void onlyAnIfThatIsFalseFromVarsAndCtxWhateverCameBeforeSparesTheCluster() {
    io.promokit.PromotionContext ctx = io.promokit.PromotionContext.builder().stage("prod").build();
    java.util.function.Function<String, java.util.Optional<String>> first = condition -> ArgoCdOptions.firstThatMayRun(
        io.promokit.documents.PromotionPlan.inflate(io.promokit.documents.PromotionDocuments.parse("""
            vars: [{name: sync, value: "false"}]
            steps:
            - uses: compose-output
              as: out
              config: {a: 1}
            - uses: argocd-wait
              as: wait
              if: %s
              config: {apps: [{name: shop}]}
            """.formatted(condition), "t.yaml").singleTemplate(), io.promokit.documents.TaskCatalog.empty()),
        Map.of(), ctx).map(io.promokit.documents.PlannedStep::alias);

    assertThat(first.apply("${{ vars.sync }}")).isEmpty();
    assertThat(first.apply("${{ success() && vars.sync == 'true' }}")).isEmpty();
    assertThat(first.apply("${{ always() && ctx.stage == 'dev' }}")).isEmpty();
    assertThat(first.apply("${{ vars.sync == 'false' }}")).contains("wait");
    assertThat(first.apply("${{ failure() }}")).as("true after a failure").contains("wait");
    assertThat(first.apply("${{ status('out') == 'Succeeded' }}")).contains("wait");
    assertThat(first.apply("${{ outputs.out.a == 2 }}")).contains("wait");
    assertThat(ArgoCdOptions.firstThatMayRun(io.promokit.documents.PromotionPlan.inflate(io.promokit.documents.PromotionDocuments.parse(
        "steps:\n- uses: argocd-wait\n  as: w\n  if: ${{ vars.sync }}\n  config: {apps: [{name: a}]}\n",
        "u.yaml").singleTemplate(), io.promokit.documents.TaskCatalog.empty()), Map.of("sync", "true"), ctx)).isPresent();
  }

  @Test
  void validateAndStepsNeedNoCluster() throws Exception {
    Cli validate = Cli.run("validate", template().toString());
    Cli steps = Cli.run("steps");

    assertThat(validate.exitCode).as(validate.toString()).isZero();
    assertThat(steps.out).contains("argocd-update").contains("argocd-wait").contains("set-metadata")
        .contains("set-freight-alias");
  }
}
