package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promokit.StepException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kustomize-build of a kustomization with helmCharts (the HelmChartInflationGenerator), which needs a helm binary. */
class KustomizeHelmChartsTest {

  @TempDir
  Path workdir;

  private void kustomizationWithChart(String repo) throws Exception {
    Files.createDirectories(workdir.resolve("app"));
    Files.writeString(workdir.resolve("app/kustomization.yaml"), """
        helmCharts:
        - name: demo
          repo: %s
          version: 0.1.0
          releaseName: demo
          namespace: demo
          valuesInline:
            replicas: 3
        """.formatted(repo));
  }

  @Test
  void withoutTheHelmBinaryTheMessageSaysWhatToInstall() throws Exception {
    kustomizationWithChart("http://127.0.0.1:1/");
    try (ManifestSteps steps = ManifestSteps.builder().helmCommand("/nonexistent/helm").build()) {
      assertThatThrownBy(() -> Steps.run(steps, "kustomize-build",
          Steps.context(workdir, Map.of("path", "app", "outPath", "out.yaml"))))
          .isInstanceOf(StepException.class)
          .hasMessageStartingWith("the kustomization in app inflates Helm charts (helmCharts), which needs the helm "
              + "binary \"/nonexistent/helm\", and it was not found: install Helm 3 or set "
              + "ManifestSteps.builder().helmCommand(...)");
    }
  }

  @Test
  void inflatesAChartFromARepositoryOn127001() throws Exception {
    assumeTrue(Tools.findOnPath("helm").isPresent(),
        "no helm binary on PATH: kustomize's HelmChartInflationGenerator needs one (Kargo's own test needs it too)");
    try (ChartRepositoryServer repo = new ChartRepositoryServer(null, null);
        ManifestSteps steps = ManifestSteps.create()) {
      repo.add("demo", "0.1.0", Map.of("templates/deploy.yaml", """
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: demo
            namespace: {{ .Release.Namespace }}
            labels:
              helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
          spec:
            replicas: {{ .Values.replicas }}
          """));
      kustomizationWithChart(repo.url());
      Steps.run(steps, "kustomize-build", Steps.context(workdir, Map.of("path", "app", "outPath", "out.yaml")));
      assertThat(Files.readString(workdir.resolve("out.yaml"))).contains("namespace: demo")
          .contains("helm.sh/chart: demo-0.1.0").contains("replicas: 3");
    }
  }
}
