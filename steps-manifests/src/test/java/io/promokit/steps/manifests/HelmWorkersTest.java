package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.PromotionContext;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm worker JVMs behind the Helm steps: reused across calls and promotions, each call in a folder of its
 * own that is gone afterwards, replaced after a kill or a crash, stopped when idle and on close, and limited
 * in number.
 */
class HelmWorkersTest {

  @TempDir
  Path workdir;

  @TempDir
  Path temp;

  @BeforeEach
  void charts() throws Exception {
    TestCharts.testChart(workdir.resolve("chart"));
    TestCharts.chart(workdir.resolve("slow"), "slow", "0.1.0", Map.of("templates/slow.yaml",
        "a: {{ range until 200000000 }}{{ end }}x\n"));
  }

  private TestStepContext render(String chart, String promotion) {
    return TestStepContext.builder(workdir)
        .config(Map.of("path", chart, "outPath", "out-" + promotion + ".yaml", "releaseName", "r"))
        .promotion(PromotionContext.builder().project("p").stage("s").promotion(promotion).build())
        .build();
  }

  private void renderChart(ManifestSteps steps, String promotion) throws Exception {
    Steps.run(steps, "helm-template", render("chart", promotion));
    assertThat(workdir.resolve("out-" + promotion + ".yaml")).content().contains("name: test-configmap");
  }

  /** Starts rendering the slow chart on another thread and waits until the worker is on it. */
  private CompletableFuture<Object> renderSlowly(ManifestSteps steps, TestStepContext context) throws Exception {
    CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> {
      try {
        return Steps.run(steps, "helm-template", context);
      } catch (Exception e) {
        return e;
      }
    });
    assertThat(HelmWorkerProcesses.await(() -> context.lines().stream().anyMatch(l -> l.contains("Helm worker"))))
        .as("the slow call reached a worker").isTrue();
    return run;
  }

  private Path workerFolder() throws Exception {
    List<Path> folders = HelmWorkerProcesses.folders(temp);
    assertThat(folders).hasSize(1);
    return folders.get(0);
  }

  @Test
  void oneWorkerServesCallAfterCallAcrossPromotions() throws Exception {
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      renderChart(steps, "p-1");
      List<Long> first = HelmWorkerProcesses.pids(temp);
      renderChart(steps, "p-2");
      renderChart(steps, "p-3");

      assertThat(first).hasSize(1);
      assertThat(HelmWorkerProcesses.pids(temp)).isEqualTo(first);
      assertThat(HelmWorkerProcesses.callFolders(temp)).isEmpty();
    }
    assertThat(HelmWorkerProcesses.running(temp)).isEmpty();
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void eachCallWorksInItsOwnFolderWhichIsGoneAfterwards() throws Exception {
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      renderChart(steps, "p-1");
      long pid = HelmWorkerProcesses.pids(temp).get(0);
      TestStepContext slow = TestStepContext.builder(workdir)
          .config(Map.of("path", "slow", "outPath", "slow.yaml", "releaseName", "r")).promotion(Steps.PROMOTION)
          .deadline(Instant.now().plusSeconds(60)).build();
      CompletableFuture<Object> run = renderSlowly(steps, slow);

      List<Path> calls = HelmWorkerProcesses.callFolders(temp);
      assertThat(calls).hasSize(1);
      assertThat(HelmWorkerProcesses.await(() -> {
        try {
          return Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")).equals(calls.get(0).toRealPath());
        } catch (java.io.IOException e) {
          return false;
        }
      })).as("the worker works in the call's folder, which holds its Helm home and temp files").isTrue();
      slow.cancel();
      assertThat(run.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);

      renderChart(steps, "p-2");
      long next = HelmWorkerProcesses.pids(temp).get(0);
      assertThat(Files.readSymbolicLink(Path.of("/proc/" + next + "/cwd")).toString())
          .as("the finished call's folder is gone").endsWith(" (deleted)");
      try (Stream<Path> left = Files.list(workerFolder())) {
        assertThat(left.map(p -> p.getFileName().toString()))
            .as("Helm left nothing in the worker's own folder").containsExactly("java-tmp");
      }
      assertThat(HelmWorkerProcesses.callFolders(temp)).isEmpty();
    }
  }

  @Test
  void anAbortKillsTheWorkerAtOnceAndTheNextCallStartsANewOne() throws Exception {
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      TestStepContext slow = render("slow", "p-1");
      CompletableFuture<Object> run = renderSlowly(steps, slow);
      long pid = HelmWorkerProcesses.pids(temp).get(0);

      slow.cancel();

      assertThat(run.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class)
          .extracting(e -> ((Exception) e).getMessage())
          .isEqualTo("the Helm child process was stopped: the attempt was cancelled");
      assertThat(HelmWorkerProcesses.isAlive(pid)).isFalse();
      assertThat(HelmWorkerProcesses.folders(temp)).isEmpty();
      renderChart(steps, "p-2");
      assertThat(HelmWorkerProcesses.pids(temp)).hasSize(1).doesNotContain(pid);
    }
  }

  @Test
  void aWorkerThatDiedWhileIdleIsReplaced() throws Exception {
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      renderChart(steps, "p-1");
      ProcessHandle worker = HelmWorkerProcesses.running(temp).get(0);
      worker.destroyForcibly();
      worker.onExit().get(30, TimeUnit.SECONDS);

      renderChart(steps, "p-2");

      assertThat(HelmWorkerProcesses.pids(temp)).hasSize(1).doesNotContain(worker.pid());
      assertThat(HelmWorkerProcesses.await(() -> {
        try {
          return HelmWorkerProcesses.folders(temp).size() == 1;
        } catch (java.io.IOException e) {
          return false;
        }
      })).as("the dead worker's folder is removed").isTrue();
    }
  }

  @Test
  void aCallWhoseWorkerCrashesFailsClearlyAndTheNextCallWorks() throws Exception {
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      TestStepContext slow = render("slow", "p-1");
      CompletableFuture<Object> run = renderSlowly(steps, slow);
      ProcessHandle worker = HelmWorkerProcesses.running(temp).get(0);

      worker.destroyForcibly();

      assertThat(run.get(30, TimeUnit.SECONDS)).isInstanceOf(StepException.class)
          .extracting(e -> ((Exception) e).getMessage()).asString()
          .startsWith("the Helm child process failed (exit code 137)");
      assertThat(HelmWorkerProcesses.callFolders(temp)).isEmpty();
      renderChart(steps, "p-2");
      assertThat(HelmWorkerProcesses.pids(temp)).hasSize(1).doesNotContain(worker.pid());
    }
  }

  /** The worker's pid as the step logged it: a scan after the call could come after the idle stop. */
  private static long workerPidLogged(TestStepContext context) {
    Matcher m = Pattern.compile("in the Helm worker \\(pid (\\d+)\\)").matcher(String.join("\n", context.lines()));
    assertThat(m.find()).as("the step names its worker: %s", context.lines()).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void anIdleWorkerIsStoppedAfterTheIdleTimeout() throws Exception {
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).helmIdleTimeout(Duration.ofSeconds(1))
        .build()) {
      TestStepContext first = render("chart", "p-1");
      Steps.run(steps, "helm-template", first);
      long pid = workerPidLogged(first);

      assertThat(HelmWorkerProcesses.await(() -> !HelmWorkerProcesses.isAlive(pid))).isTrue();
      assertThat(HelmWorkerProcesses.await(() -> {
        try {
          return HelmWorkerProcesses.folders(temp).isEmpty();
        } catch (java.io.IOException e) {
          return false;
        }
      })).isTrue();
      TestStepContext second = render("chart", "p-2");
      Steps.run(steps, "helm-template", second);
      assertThat(workerPidLogged(second)).isNotEqualTo(pid);
    }
  }

  @Test
  void callsBeyondTheWorkerLimitWaitForAFreeWorkerWithinTheirDeadline() throws Exception {
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).helmWorkers(1).build()) {
      TestStepContext slow = render("slow", "p-1");
      CompletableFuture<Object> run = renderSlowly(steps, slow);
      TestStepContext waiting = TestStepContext.builder(workdir)
          .config(Map.of("path", "chart", "outPath", "w.yaml", "releaseName", "r")).promotion(Steps.PROMOTION)
          .deadline(Instant.now().plusSeconds(2)).build();

      assertThatThrownBy(() -> Steps.run(steps, "helm-template", waiting))
          .isInstanceOf(StepException.class)
          .hasMessage("no Helm worker was free before the step's deadline (all 1 were busy)");
      CompletableFuture<Object> queued = CompletableFuture.supplyAsync(() -> {
        try {
          return Steps.run(steps, "helm-template", render("chart", "p-3"));
        } catch (Exception e) {
          return e;
        }
      });
      Thread.sleep(500);
      assertThat(queued).isNotDone();
      assertThat(HelmWorkerProcesses.running(temp)).hasSize(1);

      slow.cancel();

      assertThat(run.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
      assertThat(queued.get(60, TimeUnit.SECONDS)).isNotInstanceOf(Exception.class);
      assertThat(workdir.resolve("out-p-3.yaml")).exists();
    }
  }

  @Test
  void closeStopsTheWorkersAndRemovesTheirFiles() throws Exception {
    ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build();
    renderChart(steps, "p-1");
    List<ProcessHandle> workers = HelmWorkerProcesses.running(temp);
    assertThat(workers).hasSize(1);

    steps.close();

    assertThat(workers.get(0).isAlive()).isFalse();
    assertThat(temp).isEmptyDirectory();
    assertThatThrownBy(() -> Steps.run(steps, "helm-template", render("chart", "p-2")))
        .isInstanceOf(IllegalStateException.class).hasMessage("the manifest steps were closed");
  }
}
