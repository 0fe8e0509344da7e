package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kustomize-build against the real {@code kustomize} or {@code kubectl kustomize} (Kargo's test cases). */
class KustomizeBuildStepTest {

  private static final ManifestSteps STEPS = ManifestSteps.create();

  @TempDir
  Path workdir;

  @AfterAll
  static void close() {
    STEPS.close();
  }

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: test-deployment
      spec:
        replicas: 1
        template:
          spec:
            containers:
            - name: nginx
              image: nginx:1.21
      """;

  private void kustomization(String dir, String kustomization, Map<String, String> files) throws IOException {
    Path d = Files.createDirectories(workdir.resolve(dir));
    Files.writeString(d.resolve("kustomization.yaml"), kustomization);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.writeString(d.resolve(f.getKey()), f.getValue());
    }
  }

  private StepResult build(Map<String, ?> config) throws Exception {
    return Steps.run(STEPS, "kustomize-build", Steps.context(workdir, config));
  }

  @Test
  void buildsToOneFileInKustomizesOwnKeyOrder() throws Exception {
    kustomization("app", "resources:\n- deployment.yaml\nnamespace: demo\n", Map.of("deployment.yaml", DEPLOYMENT));

    StepResult result = build(Map.of("path", "app", "outPath", "out/output.yaml"));

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).isEmpty();
    String out = Files.readString(workdir.resolve("out/output.yaml"));
    assertThat(out).startsWith("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: test-deployment\n"
        + "  namespace: demo\n");
  }

  @Test
  void buildsToADirectoryWithKargoNamesAndSortedKeys() throws Exception {
    kustomization("app", "resources:\n- deployment.yaml\n- ns.yaml\n", Map.of("deployment.yaml", DEPLOYMENT,
        "ns.yaml", "kind: Namespace\napiVersion: v1\nmetadata:\n  name: Demo\n"));

    assertThat(build(Map.of("path", "app", "outPath", "out")).status()).isEqualTo(StepStatus.SUCCEEDED);

    assertThat(workdir.resolve("out")).isDirectoryContaining("glob:**/deployment-test-deployment.yaml")
        .isDirectoryContaining("glob:**/namespace-demo.yaml");
    assertThat(Files.readString(workdir.resolve("out/namespace-demo.yaml")))
        .isEqualTo("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Demo\n");
    assertThat(Files.readString(workdir.resolve("out/deployment-test-deployment.yaml"))).isEqualTo("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: test-deployment
        spec:
          replicas: 1
          template:
            spec:
              containers:
              - image: nginx:1.21
                name: nginx
        """);
  }

  @Test
  void kargoNamesIncludeTheNamespace() throws Exception {
    kustomization("app", "resources:\n- deployment.yaml\nnamespace: prod\n", Map.of("deployment.yaml", DEPLOYMENT));

    build(Map.of("path", "app", "outPath", "out", "outputFormat", "kargo"));

    assertThat(workdir.resolve("out/prod-deployment-test-deployment.yaml")).exists();
  }

  @Test
  void kustomizeNamesUseGroupVersionKindAndANamespaceOnlyWhenThereAreSeveral() throws Exception {
    kustomization("app", "resources:\n- deployment.yaml\n- cm.yaml\n", Map.of("deployment.yaml", DEPLOYMENT,
        "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n"));
    build(Map.of("path", "app", "outPath", "one", "outputFormat", "kustomize"));
    assertThat(workdir.resolve("one/apps_v1_deployment_test-deployment.yaml")).exists();
    assertThat(workdir.resolve("one/v1_configmap_cfg.yaml")).exists();

    kustomization("two", "resources:\n- cm.yaml\n- other.yaml\n", Map.of(
        "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: a\n",
        "other.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: b\n"));
    build(Map.of("path", "two", "outPath", "two-out", "outputFormat", "kustomize"));
    assertThat(workdir.resolve("two-out/a_v1_configmap_cfg.yaml")).exists();
    assertThat(workdir.resolve("two-out/b_v1_configmap_cfg.yaml")).exists();
  }

  @Test
  void aKindThatWouldLeaveTheOutputFolderIsRefused() throws Exception {
    kustomization("app", "resources:\n- evil.yaml\n", Map.of("evil.yaml",
        "apiVersion: v1\nkind: ../owned/marker\nmetadata:\n  name: x\n"));

    assertThatThrownBy(() -> build(Map.of("path", "app", "outPath", "out")))
        .isInstanceOf(StepException.class)
        .hasMessage("unsafe generated resource filename \"../owned/marker-x.yaml\": a resource's kind or name would "
            + "lead outside the output folder");
    assertThat(workdir.resolve("owned")).doesNotExist();
  }

  @Test
  void aMissingKustomizationIsAnErrorFromKustomize() throws Exception {
    assertThatThrownBy(() -> build(Map.of("path", "nowhere", "outPath", "out.yaml")))
        .isInstanceOf(StepException.class)
        .hasMessageContaining("no such file or directory");
  }

  @Test
  void anInvalidKustomizationIsAnErrorFromKustomize() throws Exception {
    kustomization("app", "resources: {not: a list}\n", Map.of());
    assertThatThrownBy(() -> build(Map.of("path", "app", "outPath", "out.yaml")))
        .isInstanceOf(StepException.class)
        .hasMessageContaining("invalid Kustomization");
  }

  @Test
  void invalidConfigFailsNamingTheField() throws Exception {
    StepResult result = build(Map.of("path", "app", "outPath", "out", "outputFormat", "yaml"));
    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).startsWith("invalid config: config.outputFormat:");
  }
}
