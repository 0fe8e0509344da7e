package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import io.promokit.testkit.TestStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helm-update-chart against chart repositories served on 127.0.0.1, with the real Helm SDK on a Helm worker JVM. */
class HelmUpdateChartStepTest {

  @TempDir
  Path workdir;

  @TempDir
  Path temp;

  private void umbrella(String repository, String version) throws Exception {
    TestCharts.umbrella(workdir.resolve("testchart"), "examplechart", version, repository);
  }

  @Test
  void updatesFromAnHttpRepositoryAndKeepsTheLockWhenNothingChanged() throws Exception {
    try (ChartRepositoryServer repo = new ChartRepositoryServer(null, null);
        ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      repo.add("examplechart", "0.1.0", Map.of("templates/cm.yaml", "kind: ConfigMap\n"));
      umbrella(repo.url(), ">=0.0.1");

      StepResult result = Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "testchart")));

      assertThat(result.outputs()).containsEntry("commitMessage",
          "Updated chart dependencies for testchart\n\n- examplechart: 0.1.0");
      assertThat(workdir.resolve("testchart/charts/examplechart-0.1.0.tgz")).exists();
      byte[] lock = Files.readAllBytes(workdir.resolve("testchart/Chart.lock"));

      StepResult again = Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "testchart")));
      assertThat(again.status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(again.outputs()).isEmpty();
      assertThat(Files.readAllBytes(workdir.resolve("testchart/Chart.lock"))).isEqualTo(lock);
    }
    assertThat(temp).isEmptyDirectory();
  }

  private static CredentialsProvider helmCredentials(String url, String username, String password) {
    return CredentialsProvider.builder()
        .add(CredentialType.HELM, url, Credentials.usernamePassword(username, password)).build();
  }

  private ManifestSteps withCredentials(CredentialsProvider credentials) {
    return ManifestSteps.builder().tempRoot(temp).credentials(credentials).credentialsOverHttp(true).build();
  }

  @Test
  void aRepositoryBehindBasicAuthNeedsItsCredentials() throws Exception {
    try (ChartRepositoryServer repo = new ChartRepositoryServer("charts", "chart-pw");
        ManifestSteps anonymous = ManifestSteps.builder().tempRoot(temp).build()) {
      repo.add("examplechart", "0.2.0", Map.of("templates/cm.yaml", "kind: ConfigMap\n"));
      umbrella(repo.url(), "0.2.0");

      assertThatThrownBy(() -> Steps.run(anonymous, "helm-update-chart",
          Steps.context(workdir, Map.of("path", "testchart"))))
          .isInstanceOf(StepException.class)
          .hasMessage("failed to download the index of chart repository " + repo.url() + ": HTTP 401 (no helm "
              + "credentials for it are sent over plain http unless ALLOW_CREDENTIALS_OVER_HTTP=true)");
    }
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void updatesFromARepositoryBehindBasicAuthWithItsCredentialsWhichNeverReachTheLog() throws Exception {
    String password = "s3cret-pass-" + System.nanoTime();
    try (ChartRepositoryServer repo = new ChartRepositoryServer("charts", password);
        ManifestSteps steps = withCredentials(helmCredentials(repo.url(), "charts", password))) {
      repo.add("examplechart", "0.1.0", Map.of("templates/cm.yaml", "kind: ConfigMap\n"));
      repo.add("examplechart", "0.2.0", Map.of("templates/cm.yaml", "kind: ConfigMap\n"));
      umbrella(repo.url(), ">=0.1.0");
      TestStepContext context = Steps.context(workdir, Map.of("path", "testchart"));

      StepResult result = Steps.run(steps, "helm-update-chart", context);

      assertThat(result.outputs()).containsEntry("commitMessage",
          "Updated chart dependencies for testchart\n\n- examplechart: 0.2.0");
      assertThat(workdir.resolve("testchart/charts/examplechart-0.2.0.tgz")).exists();
      assertThat(ChartYaml.readFile(workdir.resolve("testchart/Chart.lock"), true).get("dependencies"))
          .isEqualTo(java.util.List.of(Map.of("name", "examplechart", "repository", repo.url(), "version", "0.2.0")));
      assertThat(Files.readString(workdir.resolve("testchart/Chart.yaml"))).contains("repository: " + repo.url());
      assertThat(repo.requests).extracting(ChartRepositoryServer.Request::path).contains("examplechart-0.2.0.tgz");
      assertThat(repo.anonymousRequests()).as("every request to the repository carried its credentials").isEmpty();
      assertThat(String.join("\n", context.lines())).doesNotContain(password);
    }
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void chartUrlsRelativeToTheIndexComeThroughTheProxyToo() throws Exception {
    try (ChartRepositoryServer repo = new ChartRepositoryServer("charts", "chart-pw");
        ManifestSteps steps = withCredentials(helmCredentials(repo.url(), "charts", "chart-pw"))) {
      repo.relativeUrls(true);
      repo.add("examplechart", "0.3.0", Map.of());
      umbrella(repo.url(), "0.3.0");

      StepResult result = Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "testchart")));

      assertThat(result.outputs()).containsEntry("commitMessage",
          "Updated chart dependencies for testchart\n\n- examplechart: 0.3.0");
      assertThat(repo.anonymousRequests()).isEmpty();
    }
  }

  /**
   * The lock written through the proxy (Helm's lock for the stand-in, with the chart's own URLs and a digest
   * computed here) is the very lock Helm writes when it can reach the repository itself.
   */
  @Test
  void theLockWrittenThroughTheProxyIsTheLockHelmWritesForTheChart() throws Exception {
    try (ChartRepositoryServer repo = new ChartRepositoryServer("charts", "chart-pw")) {
      repo.add("examplechart", "0.1.0", Map.of());
      repo.add("examplechart", "0.2.0", Map.of());
      Files.createDirectories(workdir.resolve("testchart"));
      Files.writeString(workdir.resolve("testchart/Chart.yaml"), """
          apiVersion: v2
          name: testchart
          version: 0.1.0
          dependencies:
          - name: examplechart
            version: ">=0.1.0 <1.0.0"
            repository: %s
            condition: examplechart.enabled
            tags: [front, "a&b"]
            import-values:
            - child: data
              parent: fromChild
            - defaults
            alias: ex
          """.formatted(repo.url()));
      try (ManifestSteps steps = withCredentials(helmCredentials(repo.url(), "charts", "chart-pw"))) {
        Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "testchart")));
      }
      Map<String, Object> throughProxy = ChartYaml.readFile(workdir.resolve("testchart/Chart.lock"), true);
      Files.delete(workdir.resolve("testchart/Chart.lock"));
      repo.requireAuth(false);
      try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
        Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "testchart")));
      }
      Map<String, Object> byHelm = ChartYaml.readFile(workdir.resolve("testchart/Chart.lock"), true);

      assertThat(throughProxy.get("digest")).isEqualTo(byHelm.get("digest"));
      assertThat(throughProxy.get("dependencies")).isEqualTo(byHelm.get("dependencies"));
    }
  }

  @Test
  void wrongCredentialsGiveAClearErrorWithoutTheSecret() throws Exception {
    String wrong = "wrong-pass-" + System.nanoTime();
    try (ChartRepositoryServer repo = new ChartRepositoryServer("charts", "right");
        ManifestSteps steps = withCredentials(helmCredentials(repo.url(), "charts", wrong))) {
      repo.add("examplechart", "0.2.0", Map.of());
      umbrella(repo.url(), "0.2.0");
      TestStepContext context = Steps.context(workdir, Map.of("path", "testchart"));

      assertThatThrownBy(() -> Steps.run(steps, "helm-update-chart", context))
          .isInstanceOf(StepException.class)
          .hasMessage("failed to download the index of chart repository " + repo.url()
              + ": HTTP 401 (the helm credentials for it were refused)");
      assertThat(String.join("\n", context.lines())).doesNotContain(wrong);
      assertThat(workdir.resolve("testchart/Chart.lock")).doesNotExist();
    }
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void credentialsAreNotSentOverPlainHttpUnlessAllowed() throws Exception {
    try (ChartRepositoryServer repo = new ChartRepositoryServer("charts", "chart-pw")) {
      repo.add("examplechart", "0.2.0", Map.of());
      umbrella(repo.url(), "0.2.0");
      CredentialsProvider credentials = CredentialsProvider.builder()
          .add(CredentialType.HELM, repo.url(), Credentials.usernamePassword("charts", "chart-pw")).build();
      try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).credentials(credentials)
          .credentialsOverHttp(false).build()) {
        assertThatThrownBy(() -> Steps.run(steps, "helm-update-chart",
            Steps.context(workdir, Map.of("path", "testchart"))))
            .isInstanceOf(StepException.class)
            .hasMessage("failed to download the index of chart repository " + repo.url() + ": HTTP 401 (no helm "
                + "credentials for it are sent over plain http unless ALLOW_CREDENTIALS_OVER_HTTP=true)");
      }
      assertThat(repo.requests).isNotEmpty().allMatch(r -> r.authorization() == null);
    }
  }

  @Test
  void aChartsEntrySetsTheVersionInPlaceBeforeTheUpdate() throws Exception {
    try (ChartRepositoryServer repo = new ChartRepositoryServer(null, null);
        ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      repo.add("examplechart", "0.1.0", Map.of());
      repo.add("examplechart", "0.2.0", Map.of());
      umbrella(repo.url(), "0.1.0");
      Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "testchart")));

      StepResult result = Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "testchart",
          "charts", java.util.List.of(Map.of("repository", repo.url(), "name", "examplechart", "version", "0.2.0")))));

      assertThat(result.outputs()).containsEntry("commitMessage",
          "Updated chart dependencies for testchart\n\n- examplechart: 0.1.0 -> 0.2.0");
      assertThat(Files.readString(workdir.resolve("testchart/Chart.yaml"))).contains("  version: \"0.2.0\"\n");
      assertThat(workdir.resolve("testchart/charts/examplechart-0.2.0.tgz")).exists();
      assertThat(workdir.resolve("testchart/charts/examplechart-0.1.0.tgz")).doesNotExist();
    }
  }

  @Test
  void anUpdateThatMatchesNoDependencyIsAnError() throws Exception {
    umbrella("https://charts.example.com", "0.1.0");
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      assertThatThrownBy(() -> Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "testchart",
          "charts", java.util.List.of(Map.of("repository", "https://charts.example.com", "name", "other",
              "version", "1.0.0"))))))
          .isInstanceOf(StepException.class)
          .hasMessage("no dependency in Chart.yaml matches update with repository https://charts.example.com "
              + "and name other");
    }
  }

  @Test
  void localDependenciesMustStayInsideTheWorkdir() throws Exception {
    umbrella("file://../../outside", "0.1.0");
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      assertThatThrownBy(() -> Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "testchart"))))
          .isInstanceOf(StepException.class)
          .hasMessage("dependency examplechart: file://../../outside leads outside the working directory");
    }
  }

  @Test
  void commitMessagesListAdditionsChangesAndRemovalsByName() {
    assertThat(HelmUpdateChartStep.commitMessage("c", Map.of("a", "1", "b", "1", "gone", "2"),
        Map.of("a", "2", "b", "1", "new", "3")))
        .isEqualTo("Updated chart dependencies for c\n\n- a: 1 -> 2\n- gone: removed\n- new: 3");
    assertThat(HelmUpdateChartStep.commitMessage("c", Map.of("a", "1"), Map.of("a", "1"))).isEmpty();
  }
}
