package io.promokit.testkit;

import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntime;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams 1 GiB of stdout through a runtime inside a JVM with a 64 MiB heap. The contract test starts it
 * as a separate {@code java} process (so the small heap applies to nothing else) and reads its result
 * line; the fork prints how long it took and the peak heap use, which the test's output keeps.
 */
final class LargeOutputProbe {

  /** The heap of the fork. */
  static final String MAX_HEAP = "-Xmx64m";
  /** Bytes of stdout the command writes. */
  static final long BYTES = 1L << 30;
  /** Each line is 99 characters plus its newline. */
  static final String LINE = "0123456789".repeat(10).substring(0, 99);
  /** 10,737,418 whole lines and one last line of 24 characters without a newline. */
  static final long EXPECTED_LINES = BYTES / (LINE.length() + 1) + 1;
  static final long EXPECTED_CHARS = BYTES - (EXPECTED_LINES - 1);

  private static final String RESULT = "PROBE-RESULT ";

  /** What the fork measured. */
  record Result(int exitCode, long lines, long chars, long peakHeapBytes, long millis) {}

  private LargeOutputProbe() {}

  /** Runs the probe in a forked JVM for the given contract test class and returns what it measured. */
  static Result runInForkedJvm(Class<?> testClass, Path workdir, String engineId, Duration patience)
      throws IOException, InterruptedException {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = Files.createTempFile("promokit-large-output-", ".log");
    try {
      Process fork = new ProcessBuilder(List.of(
          javaBin.toString(), MAX_HEAP, "-cp", System.getProperty("java.class.path"),
          LargeOutputProbe.class.getName(), testClass.getName(), workdir.toString(), engineId))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      // Generous: a slow runtime on a busy machine may need minutes for 1 GiB; this is no timing check.
      if (!fork.waitFor(Math.max(15, patience.toMinutes() * 10), TimeUnit.MINUTES)) {
        fork.destroyForcibly().waitFor();
        throw new AssertionError("the large-output fork did not finish; its output:\n" + tail(log));
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Optional<String> line = output.lines().filter(l -> l.startsWith(RESULT)).reduce((a, b) -> b);
      if (fork.exitValue() != 0 || line.isEmpty()) {
        throw new AssertionError("the large-output fork (" + MAX_HEAP + ") failed with exit code " + fork.exitValue()
            + "; its output:\n" + tail(log));
      }
      System.out.println("large output: " + line.get());
      String[] f = line.get().substring(RESULT.length()).split(" ");
      return new Result(Integer.parseInt(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
          Long.parseLong(f[4]));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String tail(Path log) throws IOException {
    String text = Files.readString(log, StandardCharsets.UTF_8);
    return text.length() <= 8000 ? text : "..." + text.substring(text.length() - 8000);
  }

  /** The fork: {@code LargeOutputProbe <contract test class> <workdir> <engine id>}. */
  public static void main(String[] args) throws Exception {
    Class<?> testClass = Class.forName(args[0]);
    Constructor<?> constructor = testClass.getDeclaredConstructor();
    constructor.setAccessible(true);
    ContainerRuntimeContractTest test = (ContainerRuntimeContractTest) constructor.newInstance();
    ContainerRequest request = ContainerRequest.builder()
        .name("contract-large-output-" + Long.toHexString(System.nanoTime() & 0xffffff))
        .image(test.testImage())
        .command(List.of("sh", "-c", "yes '" + LINE + "' | head -c " + BYTES))
        .workdir(Path.of(args[1]))
        .label(ContainerLabels.ENGINE, args[2])
        .label(ContainerLabels.PROMOTION, "contract")
        .label(ContainerLabels.STEP, "large-output")
        .label(ContainerLabels.ATTEMPT, "1")
        .label(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE)
        .build();
    AtomicLong lines = new AtomicLong();
    AtomicLong chars = new AtomicLong();
    long started = System.nanoTime();
    int exitCode;
    try (ContainerRuntime runtime = test.createRuntime();
        ContainerHandle handle = runtime.start(request, (stream, text) -> {
          lines.incrementAndGet();
          chars.addAndGet(text.length());
        })) {
      Optional<ContainerExit> exit = handle.await(Duration.ofMinutes(30));
      if (exit.isEmpty()) {
        handle.stop(Duration.ZERO);
        throw new IllegalStateException("the command did not finish within 30 minutes");
      }
      exitCode = exit.get().exitCode();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println(RESULT + exitCode + " " + lines.get() + " " + chars.get() + " " + peakHeap() + " " + millis);
    System.out.println("(heap " + MAX_HEAP + ", peak heap used " + peakHeap() / (1024 * 1024) + " MiB, "
        + millis + " ms for " + BYTES + " bytes)");
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
