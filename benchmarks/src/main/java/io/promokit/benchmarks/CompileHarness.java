package io.promokit.benchmarks;

import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.internal.CompileProbe;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Per-expression distribution of compile and validation cost over the corpus, and the cache's hit rate per
 * sweep, from one run. Each expression is timed once per round, rounds interleaved over the whole corpus (so
 * no expression is measured hot in a loop), and its median over the rounds is its cost; the report gives the
 * median, p90, p99 and max of those costs over the corpus.
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -cp benchmarks/target/benchmarks.jar
 * io.promokit.benchmarks.CompileHarness [rounds]}
 */
public final class CompileHarness {

  private CompileHarness() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    List<String> corpus = ExpressionCorpus.load();
    List<String> templates = ExpressionCorpus.templates(corpus);
    CompileProbe probe = new CompileProbe(ExpressionResolver.builder().cacheSize(0).build());
    long valid = corpus.stream().filter(probe::compiles).count();
    System.out.printf("corpus: %d expressions, %d compile, %d are rejected at compile time%n", corpus.size(),
        valid, corpus.size() - valid);

    report("compile (no cache)", corpus, rounds, probe::compile);
    report("compile + build JEXL script (no cache)", corpus, rounds, probe::compileExecutable);
    ExpressionResolver uncached = ExpressionResolver.builder().cacheSize(0).build();
    report("validate: inspect(template), no cache", templates, rounds, t -> {
      try {
        uncached.inspect(t);
      } catch (ExpressionException e) {
        // a rejected expression is validated too: its error is the result
      }
    });
    cacheSweeps(templates);
  }

  private static void report(String label, List<String> items, int rounds, Consumer<String> action) {
    int n = items.size();
    for (int w = 0; w < 5; w++) {
      items.forEach(action);
    }
    long[][] times = new long[n][rounds];
    long sweeps = 0;
    for (int r = 0; r < rounds; r++) {
      long sweepStart = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String item = items.get(i);
        long t0 = System.nanoTime();
        action.accept(item);
        times[i][r] = System.nanoTime() - t0;
      }
      sweeps += System.nanoTime() - sweepStart;
    }
    double[] medians = new double[n];
    for (int i = 0; i < n; i++) {
      Arrays.sort(times[i]);
      medians[i] = times[i][rounds / 2] / 1000.0;
    }
    Arrays.sort(medians);
    System.out.printf("%-40s per expression: median %7.2f us  p90 %7.2f us  p99 %7.2f us  max %8.2f us;"
            + " one sweep %7.1f ms%n", label, medians[n / 2], medians[(int) (n * 0.90)], medians[(int) (n * 0.99)],
        medians[n - 1], sweeps / 1e6 / rounds);
  }

  /** Sweeps the corpus through a resolver with default settings: misses (compiles) and time per sweep. */
  private static void cacheSweeps(List<String> templates) {
    ExpressionResolver resolver = ExpressionResolver.create();
    CompileProbe probe = new CompileProbe(resolver);
    for (int sweep = 1; sweep <= 4; sweep++) {
      long before = probe.compilations();
      long t0 = System.nanoTime();
      for (String t : templates) {
        try {
          resolver.inspect(t);
        } catch (ExpressionException e) {
          // counted like any other
        }
      }
      long elapsed = System.nanoTime() - t0;
      long misses = probe.compilations() - before;
      System.out.printf("default cache, sweep %d over %d distinct: %5d misses, hit rate %6.2f%%, %7.1f ms%n", sweep,
          templates.size(), misses, 100.0 * (templates.size() - misses) / templates.size(), elapsed / 1e6);
    }
  }
}
