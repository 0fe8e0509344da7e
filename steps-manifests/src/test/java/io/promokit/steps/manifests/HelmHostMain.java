package io.promokit.steps.manifests;

import io.promokit.PromotionContext;
import io.promokit.testkit.TestStepContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A host JVM for {@link HelmWorkerHostDeathTest}: leaves one Helm worker busy with a slow chart and one idle,
 * prints {@code READY}, and waits to be killed.
 */
public final class HelmHostMain {

  private HelmHostMain() {}

  /** {@code args}: the temp root and the working directory. */
  public static void main(String[] args) throws Exception {
    Path temp = Path.of(args[0]);
    Path workdir = Path.of(args[1]);
    TestCharts.testChart(workdir.resolve("chart"));
    TestCharts.chart(workdir.resolve("slow"), "slow", "0.1.0", Map.of("templates/slow.yaml",
        "a: {{ range until 2000000000 }}{{ end }}x\n"));
    ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).helmWorkers(2).build();
    Steps.run(steps, "helm-template", context(workdir, "chart", "p-1"));
    TestStepContext slow = context(workdir, "slow", "p-2");
    CompletableFuture.runAsync(() -> {
      try {
        Steps.run(steps, "helm-template", slow);
      } catch (Exception e) {
        // the host is killed long before the chart is rendered
      }
    });
    while (slow.lines().stream().noneMatch(l -> l.contains("Helm worker"))) {
      Thread.sleep(20);
    }
    Steps.run(steps, "helm-template", context(workdir, "chart", "p-3"));
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static TestStepContext context(Path workdir, String chart, String promotion) {
    return TestStepContext.builder(workdir)
        .config(Map.of("path", chart, "outPath", promotion + ".yaml", "releaseName", "r"))
        .promotion(PromotionContext.builder().project("p").promotion(promotion).build()).build();
  }
}
