package io.promokit.benchmarks;

import com.marcnuri.helm.Helm;
import io.promokit.PromotionContext;
import io.promokit.RegisteredStep;
import io.promokit.StepRuntime;
import io.promokit.steps.manifests.ManifestSteps;
import io.promokit.testkit.TestStepContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Measures, in one run, what the manifest steps cost over the tools they drive:
 * <ul>
 *   <li>{@code kustomize-build} of an overlay with 200 resources through the step, against the same
 *       {@code kubectl kustomize} (or {@code kustomize build}) command line run directly (goal: at most 1.2x);</li>
 *   <li>{@code helm-template} of a chart with 200 templates through the step (on a Helm worker JVM kept across
 *       calls), against a direct helm-java call in this JVM, warm (goal: at most 1.5x) and, for reference, a
 *       direct helm-java call in a fresh JVM (what one call costs when nothing is loaded yet). The step's very
 *       first call, which starts the worker, is printed apart. The step runs twice: as configured by default,
 *       when it reads the chart's templates for hooks (helm-java cannot render them, so a chart with hooks is
 *       refused), and with {@code disableHooks: true}, which needs no such read and gives exactly the direct
 *       call's output.</li>
 * </ul>
 * After a warm-up, each round runs the variants in a shuffled order so they see the same load; medians, their
 * ratios and the median of each round's own ratio are printed. The fresh-JVM reference runs after the rounds.
 * Fewer rounds leave the step's Java code partly interpreted (the direct call has next to none) and the
 * medians unsteady on a busy machine.
 *
 * <pre>{@code
 * ./mvnw -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.promokit.benchmarks.ManifestStepsVsDirect [N]   # N rounds, default 60
 * }</pre>
 */
public final class ManifestStepsVsDirect {

  private ManifestStepsVsDirect() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    Path work = Files.createTempDirectory("promokit-bench-manifests");
    Path temp = Files.createDirectories(work.resolve("temp"));
    try (ManifestSteps steps = ManifestSteps.builder().tempRoot(temp).build()) {
      Path workdir = Files.createDirectories(work.resolve("workdir"));
      overlay(workdir);
      chart(workdir);
      StepRuntime build = step(steps, "kustomize-build");
      StepRuntime template = step(steps, "helm-template");
      List<String> kustomize = kustomizeCommand(workdir.resolve("overlay"));
      Helm helm = new Helm(workdir.resolve("chart"));

      Map<String, Runnable> variants = new java.util.LinkedHashMap<>();
      variants.put("kustomize-build step", () -> run(build, workdir, Map.of("path", "overlay", "outPath", "k-step.yaml")));
      variants.put("kustomize direct", () -> direct(kustomize, workdir.resolve("k-direct.yaml")));
      variants.put("helm-template step", () -> run(template, workdir, Map.of("path", "chart", "outPath", "h-step.yaml",
          "releaseName", "r", "namespace", "ns")));
      variants.put("helm-template step, disableHooks", () -> run(template, workdir, Map.of("path", "chart",
          "outPath", "h-step-nh.yaml", "releaseName", "r", "namespace", "ns", "disableHooks", true)));
      variants.put("helm-java direct (warm JVM)", () -> write(workdir.resolve("h-direct.yaml"),
          helm.template().withName("r").withNamespace("ns").call()));

      Map<String, List<Long>> times = new java.util.LinkedHashMap<>();
      variants.keySet().forEach(k -> times.put(k, new ArrayList<>()));
      List<String> order = new ArrayList<>(variants.keySet());
      Random random = new Random(42);
      long firstStepCall = -1;
      for (int round = -2; round < rounds; round++) {
        Collections.shuffle(order, random);
        for (String name : order) {
          long start = System.nanoTime();
          variants.get(name).run();
          long elapsed = System.nanoTime() - start;
          if (round >= 0) {
            times.get(name).add(elapsed);
          } else if (firstStepCall < 0 && name.equals("helm-template step")) {
            firstStepCall = elapsed;
          }
        }
      }
      // Measured apart: a fresh JVM unpacks helm-java's 98 MB library each time, and the write-back it causes
      // would slow down the file system work of the other variants.
      List<Long> fresh = new ArrayList<>();
      for (int round = 0; round < Math.min(rounds, 5); round++) {
        long start = System.nanoTime();
        freshJvm(workdir.resolve("chart"));
        fresh.add(System.nanoTime() - start);
      }
      times.put("helm-java direct (fresh JVM)", fresh);
      System.out.printf(Locale.ROOT, "helm-template step, first call (starts the Helm worker): %.1f ms%n",
          firstStepCall / 1e6);
      System.out.printf(Locale.ROOT, "%d rounds; medians:%n", rounds);
      times.forEach((name, list) -> System.out.printf(Locale.ROOT, "  %-34s %8.1f ms%n", name, median(list) / 1e6));
      System.out.printf(Locale.ROOT, "kustomize-build step / kustomize direct:        %.2fx (goal <= 1.2x); "
          + "median of the rounds' own ratios %.2fx%n",
          median(times.get("kustomize-build step")) / median(times.get("kustomize direct")),
          medianRatio(times.get("kustomize-build step"), times.get("kustomize direct")));
      System.out.printf(Locale.ROOT, "helm-template step / helm-java warm in-JVM:     %.2fx (goal <= 1.5x); "
          + "median of the rounds' own ratios %.2fx%n",
          median(times.get("helm-template step")) / median(times.get("helm-java direct (warm JVM)")),
          medianRatio(times.get("helm-template step"), times.get("helm-java direct (warm JVM)")));
      System.out.printf(Locale.ROOT, "helm-template step, disableHooks / warm in-JVM: %.2fx; "
          + "median of the rounds' own ratios %.2fx%n",
          median(times.get("helm-template step, disableHooks")) / median(times.get("helm-java direct (warm JVM)")),
          medianRatio(times.get("helm-template step, disableHooks"), times.get("helm-java direct (warm JVM)")));
      System.out.printf(Locale.ROOT, "helm-template step / helm-java in a fresh JVM:  %.2fx%n",
          median(times.get("helm-template step")) / median(times.get("helm-java direct (fresh JVM)")));
    } finally {
      try (var walk = Files.walk(work)) {
        walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static StepRuntime step(ManifestSteps steps, String name) {
    return steps.steps().stream().filter(s -> s.name().equals(name))
        .map(s -> ((RegisteredStep.Builtin) s).runtime()).findFirst().orElseThrow();
  }

  private static void run(StepRuntime step, Path workdir, Map<String, Object> config) {
    try {
      var result = step.execute(TestStepContext.builder(workdir).config(config)
          .promotion(PromotionContext.builder().project("bench").build()).build());
      if (!result.status().name().equals("SUCCEEDED")) {
        throw new IllegalStateException(result.toString());
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> kustomizeCommand(Path dir) {
    for (String p : System.getenv("PATH").split(":")) {
      if (Files.isExecutable(Path.of(p, "kustomize"))) {
        return List.of(Path.of(p, "kustomize").toString(), "build", dir.toString(), "--load-restrictor",
            "LoadRestrictionsNone", "--enable-helm");
      }
    }
    return List.of("kubectl", "kustomize", dir.toString(), "--load-restrictor", "LoadRestrictionsNone", "--enable-helm");
  }

  private static void direct(List<String> command, Path out) {
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] bytes = process.getInputStream().readAllBytes();
      if (process.waitFor() != 0) {
        throw new IllegalStateException("kustomize failed");
      }
      Files.write(out, bytes);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void freshJvm(Path chart) {
    try {
      Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), FreshHelm.class.getName(), chart.toString())
          .redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      if (process.waitFor() != 0) {
        throw new IllegalStateException("fresh helm-java JVM failed");
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A direct helm-java template call in a JVM of its own. */
  public static final class FreshHelm {
    private FreshHelm() {}

    public static void main(String[] args) throws Exception {
      String out = new Helm(Path.of(args[0])).template().withName("r").withNamespace("ns").call();
      Files.writeString(Path.of(args[0]).resolveSibling("h-fresh.yaml"), out);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The median of {@code a[i] / b[i]}: each round's variants ran back to back, under the same load. */
  private static double medianRatio(List<Long> a, List<Long> b) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      ratios.add((double) a.get(i) / b.get(i));
    }
    Collections.sort(ratios);
    int n = ratios.size();
    return n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2.0;
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  /** A base with 200 ConfigMaps and an overlay that prefixes, labels and namespaces them. */
  private static void overlay(Path workdir) throws Exception {
    Path base = Files.createDirectories(workdir.resolve("base"));
    StringBuilder resources = new StringBuilder("resources:\n");
    for (int i = 0; i < 200; i++) {
      Files.writeString(base.resolve("cm-" + i + ".yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-" + i
          + "\ndata:\n  index: \"" + i + "\"\n  text: some configuration value " + i + "\n");
      resources.append("- cm-").append(i).append(".yaml\n");
    }
    Files.writeString(base.resolve("kustomization.yaml"), resources.toString());
    Path overlay = Files.createDirectories(workdir.resolve("overlay"));
    Files.writeString(overlay.resolve("kustomization.yaml"),
        "resources:\n- ../base\nnamePrefix: prod-\nnamespace: prod\nlabels:\n- pairs:\n    env: prod\n");
  }

  /** A chart with 200 templates, each a ConfigMap using values and a helper. */
  private static void chart(Path workdir) throws Exception {
    Path chart = Files.createDirectories(workdir.resolve("chart/templates"));
    Files.writeString(workdir.resolve("chart/Chart.yaml"), "apiVersion: v2\nname: bench\nversion: 0.1.0\n");
    Files.writeString(workdir.resolve("chart/values.yaml"), "env: prod\nreplicas: 3\n");
    Files.writeString(chart.resolve("_helpers.tpl"),
        "{{- define \"bench.labels\" -}}\napp: {{ .Chart.Name }}\nenv: {{ .Values.env }}\n{{- end -}}\n");
    for (int i = 0; i < 200; i++) {
      Files.writeString(chart.resolve("cm-" + i + ".yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
          + "  name: {{ .Release.Name }}-cm-" + i + "\n  labels:\n    {{- include \"bench.labels\" . | nindent 4 }}\n"
          + "data:\n  replicas: {{ .Values.replicas | quote }}\n  index: \"" + i + "\"\n");
    }
  }
}
