package io.promokit.benchmarks;

import io.promokit.documents.PlannedStep;
import io.promokit.PromotionContext;
import io.promokit.PromotionEngine;
import io.promokit.PromotionPhase;
import io.promokit.documents.PromotionPlan;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionSequence;
import io.promokit.documents.RetrySpec;
import io.promokit.documents.SourceLocation;
import io.promokit.StepRegistry;
import io.promokit.documents.VarSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Marginal cost per step of a long sequence: N {@code compose-output} steps, each with 3 expressions over
 * earlier outputs. Compare the score per step at 300 and 3000 steps; the marginal cost per step is
 * {@code (t(3000) - t(300)) / 2700}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SequenceBenchmark -f 1 -wi 5 -i 10
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(1)
public class SequenceBenchmark {

  @Param({"300", "3000"})
  public int steps;

  private PromotionEngine engine;
  private PromotionSequence sequence;

  @Setup
  public void setUp() {
    engine = PromotionEngine.builder().registry(StepRegistry.builder().withBuiltins().build()).build();
    sequence = engine.sequence(plan(steps))
        .context(PromotionContext.builder().project("bench").stage("prod").promotion("bench").build())
        .build();
    PromotionRecord check = sequence.run();
    if (check.phase() != PromotionPhase.SUCCEEDED) {
      throw new IllegalStateException("the benchmark's promotion did not succeed: " + check.message());
    }
  }

  @TearDown
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  public PromotionRecord runSequence() {
    return sequence.run();
  }

  /** N compose-output steps; step i reads the outputs of steps i-1 and i-2 (3 expressions). */
  static PromotionPlan plan(int n) {
    List<PlannedStep> planned = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      Map<String, Object> config = new LinkedHashMap<>();
      if (i == 1) {
        config.put("a", "${{ vars.seed }}");
        config.put("b", "${{ vars.seed }}");
        config.put("c", "${{ ctx.stage }}");
      } else {
        String prev = "s" + (i - 1);
        String prev2 = "s" + Math.max(1, i - 2);
        config.put("a", "${{ outputs['" + prev + "'].a }}");
        config.put("b", "${{ outputs." + prev2 + ".b }}");
        config.put("c", "${{ outputs['" + prev + "'].c == 'prod' ? 'prod' : 'other' }}");
      }
      planned.add(new PlannedStep("s" + i, "compose-output", null, null, null, false, RetrySpec.DEFAULTS, List.of(),
          config, SourceLocation.IN_CODE));
    }
    return new PromotionPlan("bench", List.of(VarSpec.of("seed", "seed")), planned);
  }
}
