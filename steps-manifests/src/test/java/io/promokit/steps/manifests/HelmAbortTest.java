package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.promokit.StepException;
import io.promokit.testkit.TestStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Helm call that is aborted or runs past its deadline leaves no process and no files behind. */
class HelmAbortTest {

  @TempDir
  Path workdir;

  @TempDir
  Path temp;

  /** A chart whose rendering takes far longer than the tests wait. */
  private void slowChart() throws Exception {
    TestCharts.chart(workdir.resolve("slow"), "slow", "0.1.0", Map.of("templates/slow.yaml",
        "a: {{ range until 200000000 }}{{ end }}x\n"));
  }

  private static Map<String, Object> config() {
    return Map.of("path", "slow", "outPath", "out.yaml", "releaseName", "r");
  }

  private static List<ProcessHandle> helmChildren() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("HelmWorkerMain")).toList();
  }

  private void assertNothingLeft(ManifestSteps steps) throws Exception {
    assertThat(helmChildren()).isEmpty();
    try (Stream<Path> left = Files.walk(temp)) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("call-")).toList()).isEmpty();
    }
    steps.close();
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void anAbortKillsTheHelmChildAndRemovesItsFiles() throws Exception {
    slowChart();
    ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build();
    TestStepContext context = Steps.context(workdir, config());
    CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> {
      try {
        return Steps.run(steps, "helm-template", context);
      } catch (Exception e) {
        return e;
      }
    });
    await("the Helm child started").atMost(Duration.ofSeconds(20)).until(() -> !helmChildren().isEmpty());
    context.cancel();

    assertThat(run.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertNothingLeft(steps);
  }

  @Test
  void aDeadlineStopsTheHelmChild() throws Exception {
    slowChart();
    ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build();
    TestStepContext context = TestStepContext.builder(workdir).config(config()).promotion(Steps.PROMOTION)
        .deadline(Instant.now().plusSeconds(3)).build();

    assertThatThrownBy(() -> Steps.run(steps, "helm-template", context))
        .isInstanceOf(StepException.class)
        .hasMessage("the Helm child process was stopped: the step's deadline came");
    assertNothingLeft(steps);
  }
}
