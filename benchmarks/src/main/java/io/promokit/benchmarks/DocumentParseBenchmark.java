package io.promokit.benchmarks;

import io.promokit.documents.DocumentReading;
import io.promokit.documents.PromotionDocuments;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a step definition whose description is one value of 0.5 to 2 MB (up to the default document limit):
 * time should grow linearly with the size (it grew with its square before promokit read documents whole).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DocumentParseBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class DocumentParseBenchmark {

  @Param({"512", "1024", "2000"})
  public int kilobytes;

  private String text;

  @Setup
  public void setUp() {
    text = """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: big
        spec:
          image: x
          command: ["true"]
          description: """ + " " + "a".repeat(kilobytes * 1024) + "\n";
  }

  @Benchmark
  public DocumentReading oneLongValue() {
    return PromotionDocuments.read(text, "big.yaml");
  }
}
