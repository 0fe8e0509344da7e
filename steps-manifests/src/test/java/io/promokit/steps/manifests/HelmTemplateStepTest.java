package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helm-template with the real Helm SDK (helm-java) on a Helm worker JVM; Kargo's test cases plus ours. */
class HelmTemplateStepTest {

  @TempDir
  static Path temp;

  private static ManifestSteps steps;

  @TempDir
  Path workdir;

  @BeforeEach
  void chart() throws Exception {
    if (steps == null) {
      steps = ManifestSteps.builder().tempRoot(temp).build();
    }
    TestCharts.testChart(workdir.resolve("charts/test-chart"));
  }

  @AfterAll
  static void close() {
    steps.close();
    assertThat(temp).isEmptyDirectory();
  }

  private StepResult template(Map<String, Object> config) throws Exception {
    return Steps.run(steps, "helm-template", Steps.context(workdir, config));
  }

  private static Map<String, Object> config(Object... pairs) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("path", "charts/test-chart");
    config.put("releaseName", "test-release");
    config.put("namespace", "test-namespace");
    for (int i = 0; i < pairs.length; i += 2) {
      config.put((String) pairs[i], pairs[i + 1]);
    }
    return config;
  }

  @Test
  void rendersToOneFileAsHelmTemplatePrintsIt() throws Exception {
    StepResult result = template(config("outPath", "out/manifest.yaml"));

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(Files.readString(workdir.resolve("out/manifest.yaml"))).isEqualTo("""
        ---
        # Source: test-chart/templates/secret.yaml
        apiVersion: v1
        kind: Secret
        metadata:
          name: test-secret
          namespace: test-namespace
        stringData:
          release: test-release
        ---
        # Source: test-chart/templates/test.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: test-configmap
          namespace: test-namespace
        data:
          value: "default"
          list: "[]"
        """);
  }

  @Test
  void theNamespaceDefaultsToTheProject() throws Exception {
    Map<String, Object> config = config("outPath", "out.yaml");
    config.remove("namespace");
    template(config);
    assertThat(Files.readString(workdir.resolve("out.yaml"))).contains("namespace: test-project");
  }

  @Test
  void flatLayoutWritesOneTrimmedFilePerResource() throws Exception {
    template(config("outPath", "out", "outLayout", "flat"));

    assertThat(Files.readString(workdir.resolve("out/configmap-test-namespace-test-configmap.yaml")))
        .startsWith("# Source: test-chart/templates/test.yaml\napiVersion: v1\nkind: ConfigMap")
        .endsWith("list: \"[]\"");
    assertThat(workdir.resolve("out/secret-test-namespace-test-secret.yaml")).exists();
  }

  @Test
  void flatLayoutNumbersUnnamedDocumentsSoNoneOverwritesAnother() throws Exception {
    TestCharts.chart(workdir.resolve("charts/unnamed"), "unnamed", "0.1.0", Map.of(
        "templates/a.yaml", "note: first\n", "templates/b.yaml", "note: second\n"));
    Map<String, Object> config = config("outPath", "out", "outLayout", "flat");
    config.put("path", "charts/unnamed");
    template(config);

    assertThat(Files.readString(workdir.resolve("out/resource-0.yaml"))).isEqualTo("# Source: unnamed/templates/a.yaml\nnote: first");
    assertThat(Files.readString(workdir.resolve("out/resource-1.yaml"))).isEqualTo("# Source: unnamed/templates/b.yaml\nnote: second");
  }

  @Test
  void helmLayoutWritesTheTemplatesUnderTheChartName() throws Exception {
    template(config("outPath", "output"));
    assertThat(Files.readString(workdir.resolve("output/test-chart/templates/test.yaml")))
        .startsWith("---\n# Source: test-chart/templates/test.yaml\napiVersion: v1\nkind: ConfigMap");
  }

  @Test
  void useReleaseNamePutsTheReleaseFolderFirst() throws Exception {
    template(config("outPath", "output", "useReleaseName", true));
    assertThat(workdir.resolve("output/test-release/test-chart/templates/test.yaml")).exists();
  }

  @Test
  void valuesFilesMergeInOrderThenSetValuesThenLiteralValues() throws Exception {
    Files.writeString(workdir.resolve("v1.yaml"), "value: one\n");
    Files.writeString(workdir.resolve("v2.yaml"), "value: two\n");
    template(config("outPath", "a.yaml", "valuesFiles", List.of("v1.yaml", "v2.yaml")));
    assertThat(Files.readString(workdir.resolve("a.yaml"))).contains("value: \"two\"");

    template(config("outPath", "b.yaml", "valuesFiles", List.of("v1.yaml"), "setValues", List.of(
        Map.of("key", "value", "value", "foo,bar,baz", "literal", true),
        Map.of("key", "value", "value", "set"),
        Map.of("key", "list", "value", "{a,b}"))));
    String out = Files.readString(workdir.resolve("b.yaml"));
    assertThat(out).contains("value: \"foo,bar,baz\"").contains("list: \"[\\\"a\\\",\\\"b\\\"]\"");
  }

  @Test
  void aMissingValuesFileIsAnErrorUnlessIgnored() throws Exception {
    assertThatThrownBy(() -> template(config("outPath", "a.yaml", "valuesFiles", List.of("missing.yaml"))))
        .isInstanceOf(StepException.class)
        .hasMessage("failed to compose values: config.valuesFiles[0]: \"missing.yaml\" does not exist");

    template(config("outPath", "a.yaml", "valuesFiles", List.of("missing.yaml"), "ignoreMissingValueFiles", true));
    assertThat(workdir.resolve("a.yaml")).exists();
  }

  @Test
  void anInvalidChartATemplateErrorAndABadKubeVersionAreErrors() throws Exception {
    Files.writeString(workdir.resolve("charts/test-chart/Chart.yaml"), "name: [broken\n");
    assertThatThrownBy(() -> template(config("outPath", "a.yaml"))).isInstanceOf(StepException.class)
        .hasMessageContaining("failed to render chart");

    TestCharts.testChart(workdir.resolve("charts/test-chart"));
    assertThatThrownBy(() -> template(config("outPath", "a.yaml", "kubeVersion", "not-a-version")))
        .isInstanceOf(StepException.class).hasMessageContaining("failed to render chart");

    Files.writeString(workdir.resolve("charts/test-chart/templates/bad.yaml"), "x: {{ .Values.nothing.deeper }}\n");
    assertThatThrownBy(() -> template(config("outPath", "a.yaml"))).isInstanceOf(StepException.class)
        .hasMessageContaining("failed to render chart").hasMessageContaining("bad.yaml");
  }

  @Test
  void anOutPathThatIsADirectoryButNamedLikeAFileIsAnError() throws Exception {
    Files.createDirectories(workdir.resolve("out.yaml"));
    assertThatThrownBy(() -> template(config("outPath", "out.yaml"))).isInstanceOf(StepException.class)
        .hasMessageStartingWith("failed to write rendered chart");
  }

  @Test
  void aChartWithHooksNeedsDisableHooksBecauseHelmJavaCannotRenderThem() throws Exception {
    Files.writeString(workdir.resolve("charts/test-chart/templates/job.yaml"), """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: migrate
          annotations:
            "helm.sh/hook": pre-install
        """);

    StepResult refused = template(config("outPath", "a.yaml"));
    assertThat(refused.status()).isEqualTo(StepStatus.FAILED);
    assertThat(refused.message()).isEqualTo("invalid config: config.disableHooks: the chart has hook templates "
        + "(test-chart/templates/job.yaml), which helm-java 0.0.21 cannot render; set disableHooks: true to render "
        + "the chart without them");

    assertThat(template(config("outPath", "a.yaml", "disableHooks", true)).status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(Files.readString(workdir.resolve("a.yaml"))).doesNotContain("migrate");
  }

  @Test
  void apiVersionsAreRefusedOnlyForAChartThatReadsThem() throws Exception {
    assertThat(template(config("outPath", "a.yaml", "apiVersions", List.of("x/v1"))).status())
        .isEqualTo(StepStatus.SUCCEEDED);
    Files.writeString(workdir.resolve("charts/test-chart/templates/cap.yaml"),
        "{{ if .Capabilities.APIVersions.Has \"x/v1\" }}a: b{{ end }}\n");
    StepResult refused = template(config("outPath", "a.yaml", "apiVersions", List.of("x/v1")));
    assertThat(refused.message()).isEqualTo("invalid config: config.apiVersions: helm-java 0.0.21 cannot pass API "
        + "versions to Helm, and the chart reads .Capabilities.APIVersions (test-chart/templates/cap.yaml)");
  }

  @Test
  void includeCrdsPutsTheChartsCrdsFirst() throws Exception {
    Files.createDirectories(workdir.resolve("charts/test-chart/crds"));
    Files.writeString(workdir.resolve("charts/test-chart/crds/widgets.yaml"),
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n");

    template(config("outPath", "a.yaml", "includeCRDs", true));
    assertThat(Files.readString(workdir.resolve("a.yaml"))).startsWith("---\n# Source: test-chart/crds/widgets.yaml\n"
        + "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n\n"
        + "---\n# Source: test-chart/templates/secret.yaml\n");

    template(config("outPath", "b.yaml"));
    assertThat(Files.readString(workdir.resolve("b.yaml"))).doesNotContain("CustomResourceDefinition");
  }

  @Test
  void setValuesSyntaxErrorsAreInvalidConfig() throws Exception {
    StepResult result = template(config("outPath", "a.yaml", "setValues", List.of(Map.of("key", "a[x]", "value", "1"))));
    assertThat(result.message()).isEqualTo("invalid config: config.setValues[0]: \"x\" is not a list index");
  }
}
