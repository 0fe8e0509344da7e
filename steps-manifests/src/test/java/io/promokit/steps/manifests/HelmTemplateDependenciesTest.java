package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import io.promokit.testkit.TestStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * helm-template with {@code buildDependencies} from HTTP chart repositories served on 127.0.0.1: with a
 * Chart.lock (the locked versions, not the newest), and behind basic auth.
 */
class HelmTemplateDependenciesTest {

  @TempDir
  Path workdir;

  @TempDir
  Path temp;

  /** Versions of a chart whose one ConfigMap names the version it came from. */
  private static void addVersion(ChartRepositoryServer repo, String version) throws Exception {
    repo.add("examplechart", version, Map.of("templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-" + version.replace('.', '-') + "\n"));
  }

  private void umbrella(String repository) throws Exception {
    TestCharts.umbrella(workdir.resolve("umbrella"), "examplechart", ">=0.1.0", repository);
  }

  private static Map<String, Object> template() {
    return Map.of("path", "umbrella", "outPath", "out.yaml", "releaseName", "r", "buildDependencies", true);
  }

  @Test
  void aChartLockWithAnHttpRepositoryIsBuiltAtTheLockedVersions() throws Exception {
    try (ChartRepositoryServer repo = new ChartRepositoryServer(null, null);
        ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      addVersion(repo, "0.1.0");
      umbrella(repo.url());
      Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "umbrella")));
      byte[] lock = Files.readAllBytes(workdir.resolve("umbrella/Chart.lock"));
      Files.delete(workdir.resolve("umbrella/charts/examplechart-0.1.0.tgz"));
      addVersion(repo, "0.2.0");

      Steps.run(steps, "helm-template", Steps.context(workdir, template()));

      assertThat(Files.readString(workdir.resolve("out.yaml"))).contains("name: from-0-1-0")
          .doesNotContain("from-0-2-0");
      assertThat(workdir.resolve("umbrella/charts/examplechart-0.1.0.tgz")).exists();
      assertThat(Files.readAllBytes(workdir.resolve("umbrella/Chart.lock"))).isEqualTo(lock);
    }
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void aChartLockThatNoLongerMatchesChartYamlIsRefusedAsHelmRefusesIt() throws Exception {
    try (ChartRepositoryServer repo = new ChartRepositoryServer(null, null);
        ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      addVersion(repo, "0.1.0");
      umbrella(repo.url());
      Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "umbrella")));
      Files.writeString(workdir.resolve("umbrella/Chart.yaml"),
          Files.readString(workdir.resolve("umbrella/Chart.yaml")).replace(">=0.1.0", ">=0.0.1"));

      assertThatThrownBy(() -> Steps.run(steps, "helm-template", Steps.context(workdir, template())))
          .isInstanceOf(StepException.class)
          .hasMessage("failed to build dependencies: the lock file (Chart.lock) is out of sync with the "
              + "dependencies file (Chart.yaml). Please update the dependencies");
    }
  }

  @Test
  void dependenciesBehindBasicAuthAreBuiltWithTheirCredentials() throws Exception {
    String password = "s3cret-" + System.nanoTime();
    try (ChartRepositoryServer repo = new ChartRepositoryServer("charts", password)) {
      addVersion(repo, "0.1.0");
      umbrella(repo.url());
      CredentialsProvider credentials = CredentialsProvider.builder()
          .add(CredentialType.HELM, repo.url(), Credentials.usernamePassword("charts", password)).build();
      try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).credentials(credentials)
          .credentialsOverHttp(true).build()) {
        TestStepContext first = Steps.context(workdir, template());
        Steps.run(steps, "helm-template", first);

        assertThat(Files.readString(workdir.resolve("out.yaml"))).contains("name: from-0-1-0");
        assertThat(ChartYaml.readFile(workdir.resolve("umbrella/Chart.lock"), true).get("dependencies"))
            .as("Helm's build writes the lock a chart lacks, with the chart's own repository")
            .isEqualTo(java.util.List.of(Map.of("name", "examplechart", "repository", repo.url(),
                "version", "0.1.0")));

        addVersion(repo, "0.2.0");
        Files.delete(workdir.resolve("umbrella/charts/examplechart-0.1.0.tgz"));
        TestStepContext second = Steps.context(workdir, template());
        Steps.run(steps, "helm-template", second);

        assertThat(Files.readString(workdir.resolve("out.yaml"))).contains("name: from-0-1-0");
        assertThat(repo.anonymousRequests()).isEmpty();
        String log = String.join("\n", first.lines()) + String.join("\n", second.lines());
        assertThat(log).doesNotContain(password).as("Helm's note on the stand-in's charts/ symlink is left out")
            .doesNotContain("symbolic link");
      }
    }
    assertThat(temp).isEmptyDirectory();
  }
}
