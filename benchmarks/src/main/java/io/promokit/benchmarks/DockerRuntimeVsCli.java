package io.promokit.benchmarks;

import io.promokit.runtime.docker.DockerContainerRuntime;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Compares one container step through {@link DockerContainerRuntime} (start, await, close) with
 * {@code docker run --rm} of the same image running {@code true}, in one process run: after a warm-up,
 * each round runs both in a shuffled order, so that both see the same machine load. Reports the mean and median time of each, their ratio
 * (goal: at most 1.0, the API should not be slower than the CLI), and the mean time of each phase of a
 * runtime step.
 *
 * <p>Two CLI variants are measured: with the settings the runtime uses (init, user, bind mounts of the
 * workdir, output and files folders, log driver none, labels), and plain {@code docker run --rm IMAGE
 * true}.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.promokit.benchmarks.DockerRuntimeVsCli [N] [IMAGE]
 * }</pre>
 *
 * N defaults to 30, IMAGE to {@code promokit-test/busybox:1} (built by {@code scripts/test-env.sh start}).
 */
public final class DockerRuntimeVsCli {

  /** Enough steps for the JIT to compile the runtime's paths (a host runs many steps in one JVM). */
  private static final int WARM_UP = 15;

  private DockerRuntimeVsCli() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    String image = args.length > 1 ? args[1] : "promokit-test/busybox:1";
    if (!DockerContainerRuntime.isAvailable()) {
      System.err.println("no Docker daemon answers; start one (scripts/test-env.sh start)");
      System.exit(2);
    }
    Path workdir = Files.createTempDirectory("promokit-bench-workdir-");
    String engine = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    try (DockerContainerRuntime runtime = DockerContainerRuntime.create()) {
      Bench bench = new Bench(runtime, image, workdir, engine);
      System.out.printf(Locale.ROOT, "DockerRuntimeVsCli: N=%d image=%s daemon=%s%n", n, image, runtime.daemon());
      for (int i = 0; i < WARM_UP; i++) {
        bench.runtimeStep(i);
        if (i % 3 == 0) {
          bench.cli(bench.cliSameSettings());
          bench.cli(bench.cliPlain());
        }
      }
      bench.reset();
      Random order = new Random(42);
      for (int i = 0; i < n; i++) {
        // Each round runs the three in a shuffled order, so that none always follows the same one.
        List<Integer> variants = new ArrayList<>(List.of(0, 1, 2));
        Collections.shuffle(variants, order);
        for (int variant : variants) {
          switch (variant) {
            case 0 -> bench.runtimeStep(i);
            case 1 -> bench.sameSettings.add(bench.cli(bench.cliSameSettings()));
            default -> bench.plain.add(bench.cli(bench.cliPlain()));
          }
        }
      }
      bench.report();
      runtime.reap(engine);
    } finally {
      try (var files = Files.walk(workdir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The measurements of one run. */
  private static final class Bench {
    private final DockerContainerRuntime runtime;
    private final String image;
    private final Path workdir;
    private final String engine;
    private final int group;
    private final Path emptyFolder;
    private final List<Double> steps = new ArrayList<>();
    private final List<Double> sameSettings = new ArrayList<>();
    private final List<Double> plain = new ArrayList<>();
    private final Map<String, Double> phaseTotals = new LinkedHashMap<>();

    Bench(DockerContainerRuntime runtime, String image, Path workdir, String engine) throws IOException {
      this.runtime = runtime;
      this.image = image;
      this.workdir = workdir;
      this.engine = engine;
      this.group = (Integer) Files.getAttribute(workdir, "unix:gid");
      this.emptyFolder = Files.createDirectory(workdir.resolve(".bench-empty"));
    }

    void reset() {
      steps.clear();
      phaseTotals.clear();
    }

    void runtimeStep(int i) throws Exception {
      ContainerRequest request = ContainerRequest.builder()
          .name("bench-" + i)
          .image(image)
          .command(List.of("true"))
          .workdir(workdir)
          .label(ContainerLabels.ENGINE, engine)
          .label(ContainerLabels.PROMOTION, "bench")
          .label(ContainerLabels.STEP, "true")
          .label(ContainerLabels.ATTEMPT, "1")
          .build();
      long t0 = System.nanoTime();
      ContainerHandle handle = runtime.start(request, (stream, text) -> { });
      long t1 = System.nanoTime();
      ContainerExit exit = handle.await(Duration.ofMinutes(2)).orElseThrow();
      long t2 = System.nanoTime();
      handle.close();
      long t3 = System.nanoTime();
      if (exit.exitCode() != 0) {
        throw new IllegalStateException("true exited with " + exit.exitCode());
      }
      steps.add(ms(t3 - t0));
      add("start() call (workdir sharing, image check, scratch folder)", ms(t1 - t0));
      exit.phases().forEach((phase, d) -> add("phase " + phase, d.toNanos() / 1e6));
      double phased = exit.phases().values().stream().mapToDouble(d -> d.toNanos() / 1e6).sum();
      add("await() beyond the phases (drain, inspect)", ms(t2 - t0) - phased);
      add("close() (remove container, delete folder)", ms(t3 - t2));
    }

    private void add(String key, double value) {
      phaseTotals.merge(key, value, Double::sum);
    }

    List<String> cliSameSettings() {
      String folder = emptyFolder.toString();
      return List.of("docker", "run", "--rm", "--init", "--log-driver", "none", "-u", "65532:" + group,
          "-w", "/workspace",
          "--mount", "type=bind,source=" + workdir + ",target=/workspace",
          "--mount", "type=bind,source=" + folder + ",target=/promokit/out",
          "--mount", "type=bind,source=" + folder + ",target=/promokit/files,readonly",
          "-e", "KARGO_OUTPUT=/promokit/out/kargo-output", "-e", "PROMOKIT_FILES=/promokit/files",
          "--label", ContainerLabels.ENGINE + "=" + engine, "--label", ContainerLabels.PROMOTION + "=bench",
          "--entrypoint", "true", image);
    }

    List<String> cliPlain() {
      return List.of("docker", "run", "--rm", image, "true");
    }

    double cli(List<String> command) throws Exception {
      long t0 = System.nanoTime();
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(output));
      }
      return ms(System.nanoTime() - t0);
    }

    void report() {
      int n = steps.size();
      System.out.printf(Locale.ROOT, "%-52s mean %7.1f ms  median %7.1f ms%n", "runtime step (start + await + close)",
          mean(steps), median(steps));
      System.out.printf(Locale.ROOT, "%-52s mean %7.1f ms  median %7.1f ms%n", "docker run --rm, same settings",
          mean(sameSettings), median(sameSettings));
      System.out.printf(Locale.ROOT, "%-52s mean %7.1f ms  median %7.1f ms%n", "docker run --rm IMAGE true",
          mean(plain), median(plain));
      System.out.printf(Locale.ROOT,
          "ratio runtime / docker run (same settings): of means %.2f, of medians %.2f, median of rounds %.2f (goal <= 1.0)%n",
          mean(steps) / mean(sameSettings), median(steps) / median(sameSettings), pairedMedian(steps, sameSettings));
      System.out.printf(Locale.ROOT,
          "ratio runtime / docker run (plain):         of means %.2f, of medians %.2f, median of rounds %.2f%n",
          mean(steps) / mean(plain), median(steps) / median(plain), pairedMedian(steps, plain));
      System.out.println("a runtime step, mean per part:");
      phaseTotals.forEach((part, total) -> System.out.printf(Locale.ROOT, "  %-60s %7.1f ms%n", part, total / n));
    }

    private static double ms(long nanos) {
      return nanos / 1e6;
    }

    private static double mean(List<Double> values) {
      return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The median of the per-round ratios: each round's runtime step against the same round's CLI run. */
    private static double pairedMedian(List<Double> runtime, List<Double> cli) {
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < runtime.size(); i++) {
        ratios.add(runtime.get(i) / cli.get(i));
      }
      return median(ratios);
    }

    private static double median(List<Double> values) {
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int m = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
  }
}
