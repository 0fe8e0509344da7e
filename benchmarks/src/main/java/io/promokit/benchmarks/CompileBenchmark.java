package io.promokit.benchmarks;

import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.internal.CompileProbe;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Average cost per expression over the whole corpus ({@link ExpressionCorpus}): compiling with no cache,
 * validating (the {@code inspect} path of {@code promokit validate} and engine validation) with no cache, and
 * one sweep through a resolver with default settings (its cache warm after the first sweep). The
 * per-expression distribution (median, p99) comes from {@link CompileHarness}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CompileBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompileBenchmark {

  private List<String> corpus;
  private List<String> templates;
  private CompileProbe compiler;
  private ExpressionResolver uncached;
  private ExpressionResolver cached;

  @Setup
  public void setup() {
    corpus = ExpressionCorpus.load();
    templates = ExpressionCorpus.templates(corpus);
    compiler = new CompileProbe(ExpressionResolver.builder().cacheSize(0).build());
    uncached = ExpressionResolver.builder().cacheSize(0).build();
    cached = ExpressionResolver.create();
  }

  @Benchmark
  @OperationsPerInvocation(ExpressionCorpus.SIZE)
  public void compileNoCache(Blackhole bh) {
    for (String e : corpus) {
      bh.consume(compiler.compile(e));
    }
  }

  /** Compile and JEXL's script, as an expression's first evaluation pays (the script is built then). */
  @Benchmark
  @OperationsPerInvocation(ExpressionCorpus.SIZE)
  public void compileAndBuildScriptNoCache(Blackhole bh) {
    for (String e : corpus) {
      bh.consume(compiler.compileExecutable(e));
    }
  }

  @Benchmark
  @OperationsPerInvocation(ExpressionCorpus.SIZE)
  public void validateNoCache(Blackhole bh) {
    inspectAll(uncached, bh);
  }

  @Benchmark
  @OperationsPerInvocation(ExpressionCorpus.SIZE)
  public void inspectDefaultCache(Blackhole bh) {
    inspectAll(cached, bh);
  }

  private void inspectAll(ExpressionResolver resolver, Blackhole bh) {
    for (String t : templates) {
      try {
        bh.consume(resolver.inspect(t));
      } catch (ExpressionException e) {
        bh.consume(e);
      }
    }
  }
}
