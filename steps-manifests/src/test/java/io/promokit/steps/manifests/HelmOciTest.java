package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promokit.StepException;
import io.promokit.StepResult;
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
 * helm-update-chart and helm-template's buildDependencies with a chart in the private test registry
 * (scripts/test-env.sh), which needs credentials. Fails, not skips, when PROMOKIT_REQUIRE_DOCKER=true.
 */
class HelmOciTest {

  private static final String REGISTRY = System.getenv("PROMOKIT_TEST_REGISTRY");
  private static final String USER = System.getenv("PROMOKIT_TEST_REGISTRY_USER");
  private static final String PASSWORD = System.getenv("PROMOKIT_TEST_REGISTRY_PASSWORD");

  @TempDir
  Path workdir;

  @TempDir
  Path temp;

  @TempDir
  Path pushFolder;

  private String pushChart() throws Exception {
    boolean required = Boolean.parseBoolean(System.getenv("PROMOKIT_REQUIRE_DOCKER"));
    if (REGISTRY == null) {
      if (required) {
        throw new IllegalStateException("PROMOKIT_TEST_REGISTRY is not set (run scripts/test-env.sh start)");
      }
      assumeTrue(false, "no test registry: PROMOKIT_TEST_REGISTRY is not set (scripts/test-env.sh start)");
    }
    String repository = "promokit-c2-test/r" + System.nanoTime();
    OciChartPush.push(pushFolder, TestCharts.packaged("ocichart", "1.2.3", Map.of("templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-oci\n")), "ocichart-1.2.3.tgz",
        "oci://" + REGISTRY + "/" + repository, REGISTRY, USER, PASSWORD);
    return "oci://" + REGISTRY + "/" + repository;
  }

  private void umbrella(String repository) throws Exception {
    TestCharts.umbrella(workdir.resolve("umbrella"), "ocichart", ">=1.0.0", repository);
  }

  @Test
  void updatesFromAPrivateOciRegistryWithHelmCredentials() throws Exception {
    String repository = pushChart();
    umbrella(repository);
    CredentialsProvider credentials = CredentialsProvider.builder().add(CredentialType.HELM,
        repository + "/ocichart", Credentials.usernamePassword(USER, PASSWORD)).build();
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).credentials(credentials).build()) {
      TestStepContext context = Steps.context(workdir, Map.of("path", "umbrella"));
      StepResult result = Steps.run(steps, "helm-update-chart", context);

      assertThat(result.outputs()).containsEntry("commitMessage",
          "Updated chart dependencies for umbrella\n\n- ocichart: 1.2.3");
      assertThat(workdir.resolve("umbrella/charts/ocichart-1.2.3.tgz")).exists();
      assertThat(String.join("\n", context.lines())).doesNotContain(PASSWORD);

      Files.delete(workdir.resolve("umbrella/charts/ocichart-1.2.3.tgz"));
      Steps.run(steps, "helm-template", Steps.context(workdir, Map.of("path", "umbrella", "outPath", "out.yaml",
          "releaseName", "r", "buildDependencies", true)));
      assertThat(Files.readString(workdir.resolve("out.yaml"))).contains("name: from-oci");
    }
    assertThat(temp).isEmptyDirectory();
  }

  /**
   * A registry login is written to the Helm home, the one place a worker could carry credentials from one call
   * to the next: the same worker that logged in for one call must be refused for the next call without them.
   */
  @Test
  void aLoginDoesNotOutliveItsCallOnTheSameWorker() throws Exception {
    String repository = pushChart();
    umbrella(repository);
    java.util.concurrent.atomic.AtomicBoolean granted = new java.util.concurrent.atomic.AtomicBoolean(true);
    Credentials login = Credentials.usernamePassword(USER, PASSWORD);
    CredentialsProvider credentials = (type, url) -> granted.get() && type == CredentialType.HELM
        && url.equals(repository + "/ocichart") ? java.util.Optional.of(login) : java.util.Optional.empty();
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).helmWorkers(1).credentials(credentials)
        .build()) {
      Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "umbrella")));
      assertThat(workdir.resolve("umbrella/charts/ocichart-1.2.3.tgz")).exists();
      java.util.List<Long> worker = HelmWorkerProcesses.pids(temp);
      Files.delete(workdir.resolve("umbrella/charts/ocichart-1.2.3.tgz"));
      Files.delete(workdir.resolve("umbrella/Chart.lock"));
      granted.set(false);

      assertThatThrownBy(() -> Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "umbrella"))))
          .isInstanceOf(StepException.class)
          .hasMessageStartingWith("failed to update chart dependencies: ");
      assertThat(HelmWorkerProcesses.pids(temp)).as("the same worker served both calls").hasSize(1)
          .isEqualTo(worker);
      assertThat(workdir.resolve("umbrella/charts/ocichart-1.2.3.tgz")).doesNotExist();
    }
  }

  @Test
  void withoutCredentialsThePrivateRegistryRefuses() throws Exception {
    umbrella(pushChart());
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      assertThatThrownBy(() -> Steps.run(steps, "helm-update-chart", Steps.context(workdir, Map.of("path", "umbrella"))))
          .isInstanceOf(StepException.class)
          .hasMessageStartingWith("failed to update chart dependencies: ");
    }
  }
}
