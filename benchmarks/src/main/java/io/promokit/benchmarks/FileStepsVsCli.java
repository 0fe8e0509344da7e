package io.promokit.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.promokit.RegisteredStep;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.steps.files.FileSteps;
import io.promokit.testkit.TestStepContext;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures two file steps against the command-line tools a user would otherwise run, in one process run, each
 * round running both in a shuffled order so that both see the same machine load:
 * <ul>
 *   <li>{@code untar} of an archive of 20,000 files (made by GNU tar) vs {@code tar -xf} (goal: at most 1.5x);</li>
 *   <li>{@code http-download} of 1 GiB from a server on 127.0.0.1 vs {@code curl -o} from the same server (goal:
 *       at most 1.2x), and the heap the download used (peak over the baseline, sampled every 2 ms) for 1 GiB and
 *       for 64 MiB: bounded, independent of the size.</li>
 * </ul>
 * Prints medians and ratios. Run with a small heap to show the download does not need one:
 *
 * <pre>{@code
 * ./mvnw -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar io.promokit.benchmarks.FileStepsVsCli [ROUNDS [untar|download]]
 * }</pre>
 * ROUNDS defaults to 5; both measurements run unless one is named. Needs GNU tar and curl on the PATH and about 3 GiB of free disk in the temp folder.
 */
public final class FileStepsVsCli {

  private static final int FILES = 20_000;
  private static final long GIB = 1L << 30;

  private FileStepsVsCli() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    String only = args.length > 1 ? args[1] : "";
    Path base = Files.createTempDirectory("promokit-bench-files-");
    try {
      System.out.printf(Locale.ROOT, "FileStepsVsCli: rounds=%d java=%s max heap=%d MiB%n", rounds,
          System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
      if (!only.equals("download")) {
        untar(base, rounds);
      }
      if (!only.equals("untar")) {
        download(base, rounds);
      }
    } finally {
      deleteTree(base);
    }
  }

  // ---- untar ----

  private static void untar(Path base, int rounds) throws Exception {
    Path tree = Files.createDirectories(base.resolve("tree"));
    for (int d = 0; d < FILES / 100; d++) {
      Path dir = Files.createDirectories(tree.resolve("dir" + d));
      for (int f = 0; f < 100; f++) {
        Files.writeString(dir.resolve("file" + f + ".txt"), ("line " + d + "/" + f + "\n").repeat(1 + f % 8));
      }
    }
    Path workdir = Files.createDirectories(base.resolve("work"));
    run(base, "tar", "-cf", workdir.resolve("tree.tar").toString(), "-C", tree.toString(), ".");
    RegisteredStep untar = step(FileSteps.create(), "untar");
    Callable<Long> gnu = () -> {
      Path out = Files.createDirectories(base.resolve("gnu-out"));
      long t = System.nanoTime();
      run(base, "tar", "-xf", workdir.resolve("tree.tar").toString(), "-C", out.toString());
      long elapsed = System.nanoTime() - t;
      deleteTree(out);
      return elapsed;
    };
    Callable<Long> promokit = () -> {
      long t = System.nanoTime();
      runStep(untar, workdir, Map.of("inPath", "tree.tar", "outPath", "out"));
      long elapsed = System.nanoTime() - t;
      deleteTree(workdir.resolve("out"));
      return elapsed;
    };
    for (int i = 0; i < 3; i++) {   // warm-up: JIT and page cache
      gnu.call();
      promokit.call();
    }
    compare("untar " + FILES + " files", "tar -xf", gnu, "untar step", promokit, rounds, 1.5);
  }

  // ---- http-download ----

  private static void download(Path base, int rounds) throws Exception {
    byte[] block = new byte[1 << 20];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) (i * 31);
    }
    ExecutorService executor = Executors.newFixedThreadPool(4);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/blob", exchange -> {
      long size = Long.parseLong(exchange.getRequestURI().getQuery().substring("size=".length()));
      exchange.sendResponseHeaders(200, size);
      try (OutputStream out = exchange.getResponseBody()) {
        for (long left = size; left > 0; left -= block.length) {
          out.write(block, 0, (int) Math.min(block.length, left));
        }
      } finally {
        exchange.close();
      }
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/blob?size=";
      Path workdir = Files.createDirectories(base.resolve("dl"));
      RegisteredStep step = step(FileSteps.builder().maxDownloadBytes(2 * GIB).build(), "http-download");
      Callable<Long> curl = () -> {
        Path file = workdir.resolve("curl.bin");
        long t = System.nanoTime();
        run(base, "curl", "-s", "-S", "-f", "-o", file.toString(), url + GIB);
        long elapsed = System.nanoTime() - t;
        check(file, GIB);
        Files.delete(file);
        return elapsed;
      };
      Callable<Long> promokit = () -> {
        Path file = workdir.resolve("step.bin");
        long t = System.nanoTime();
        runStep(step, workdir, Map.of("url", url + GIB, "outPath", "step.bin"));
        long elapsed = System.nanoTime() - t;
        check(file, GIB);
        Files.delete(file);
        return elapsed;
      };
      curl.call();
      promokit.call();
      compare("http-download 1 GiB", "curl -o", curl, "http-download step", promokit, rounds, 1.2);
      long small = heapPeak(step, workdir, url + (64L << 20));
      long large = heapPeak(step, workdir, url + GIB);
      System.out.printf(Locale.ROOT, "  heap used by http-download (peak over baseline): 64 MiB body: %.1f MiB, "
          + "1 GiB body: %.1f MiB%n", small / 1048576.0, large / 1048576.0);
    } finally {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  /** The highest heap use above the baseline while one download runs, sampled every 2 ms. */
  private static long heapPeak(RegisteredStep step, Path workdir, String url) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    Thread.sleep(200);
    long baseline = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(baseline);
    AtomicBoolean done = new AtomicBoolean();
    Thread sampler = new Thread(() -> {
      while (!done.get()) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.start();
    runStep(step, workdir, Map.of("url", url, "outPath", "heap.bin", "allowOverwrite", true));
    done.set(true);
    sampler.join();
    Files.delete(workdir.resolve("heap.bin"));
    return peak.get() - baseline;
  }

  // ---- shared ----

  private static void compare(String what, String toolName, Callable<Long> tool, String stepName,
      Callable<Long> step, int rounds, double goal) throws Exception {
    List<Long> toolTimes = new ArrayList<>();
    List<Long> stepTimes = new ArrayList<>();
    List<Boolean> order = new ArrayList<>(List.of(true, false));
    for (int i = 0; i < rounds; i++) {
      Collections.shuffle(order);
      for (boolean toolFirst : order) {
        if (toolFirst) {
          toolTimes.add(tool.call());
        } else {
          stepTimes.add(step.call());
        }
      }
    }
    double toolMs = median(toolTimes) / 1e6;
    double stepMs = median(stepTimes) / 1e6;
    double ratio = stepMs / toolMs;
    System.out.printf(Locale.ROOT, "%s: %s median %.1f ms, %s median %.1f ms, ratio %.2f (goal <= %.1f) %s%n",
        what, toolName, toolMs, stepName, stepMs, ratio, goal, ratio <= goal ? "OK" : "OVER GOAL");
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  private static RegisteredStep step(FileSteps steps, String name) {
    return steps.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static void runStep(RegisteredStep step, Path workdir, Map<String, ?> config) throws Exception {
    TestStepContext context = TestStepContext.builder(workdir).stepName(step.name()).config(config).build();
    StepResult result = context.run(step);
    if (result.status() != StepStatus.SUCCEEDED) {
      throw new IllegalStateException(step.name() + " did not succeed: " + result);
    }
  }

  private static void check(Path file, long size) throws IOException {
    if (Files.size(file) != size) {
      throw new IllegalStateException(file + " has " + Files.size(file) + " bytes, not " + size);
    }
  }

  private static void run(Path directory, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: "
          + new String(output, StandardCharsets.UTF_8));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
