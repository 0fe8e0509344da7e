package io.promokit.benchmarks;

import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionResolver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.MapContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 40-value config block, each value holding two expressions ({@code ${{ vars.a }}-${{ outputs['b'].c }}}
 * and variations), evaluated through {@link ExpressionResolver#resolveTree} with the cache warm; against the
 * floor: the same 80 expressions as JEXL scripts compiled once, run on a plain JEXL engine, plus the string
 * concatenation into a new map.
 *
 * <p>Run: {@code ./mvnw -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar
 * ExpressionBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExpressionBenchmark {

  static final int VALUES = 40;

  private Map<String, Object> tree;
  private ExpressionResolver resolver;
  private ExpressionEnvironment environment;

  private String[] keys;
  private String[] prefixes;
  private String[] separators;
  private String[] suffixes;
  private JexlScript[] scripts;
  private MapContext jexlContext;

  /** The two expressions of value i, as written in the template (the same text is valid JEXL). */
  static String[] expressions(int i) {
    switch (i % 5) {
      case 0:
        return new String[] {"vars.a" + i, "outputs['step-" + i + "'].tag"};
      case 1:
        return new String[] {"ctx.stage", "outputs.step" + i + ".digest"};
      case 2:
        return new String[] {"vars.nested.n" + i, "task.outputs['inner-" + i + "'].commit"};
      case 3:
        return new String[] {"outputs['step-" + i + "']['tag']", "ctx.targetFreight.name"};
      default:
        return new String[] {"vars['a" + i + "']", "ctx.meta.promotion.actor"};
    }
  }

  @Setup
  public void setup() {
    Map<String, Object> vars = new LinkedHashMap<>();
    Map<String, Object> nested = new LinkedHashMap<>();
    Map<String, Object> outputs = new LinkedHashMap<>();
    Map<String, Object> inner = new LinkedHashMap<>();
    for (int i = 0; i < VALUES; i++) {
      vars.put("a" + i, "value-" + i);
      nested.put("n" + i, "nested-" + i);
      outputs.put("step-" + i, Map.of("tag", "v1." + i + ".0", "digest", "sha256:" + i));
      outputs.put("step" + i, Map.of("tag", "v2." + i + ".0", "digest", "sha256:d" + i));
      inner.put("inner-" + i, Map.of("commit", "c0ffee" + i));
    }
    vars.put("nested", nested);
    Map<String, Object> ctx = Map.of(
        "stage", "prod",
        "targetFreight", Map.of("name", "f-123", "alias", "happy-cat"),
        "meta", Map.of("promotion", Map.of("actor", "alice")));
    Map<String, Object> task = Map.of("outputs", inner);

    environment = ExpressionEnvironment.builder()
        .variable("ctx", ctx).variable("vars", vars).variable("outputs", outputs).variable("task", task)
        .build();
    resolver = ExpressionResolver.create();

    JexlEngine jexl = new JexlBuilder().strict(true).silent(false).safe(false).antish(false).cache(512).create();
    jexlContext = new MapContext();
    jexlContext.set("ctx", ctx);
    jexlContext.set("vars", vars);
    jexlContext.set("outputs", outputs);
    jexlContext.set("task", task);

    tree = new LinkedHashMap<>();
    keys = new String[VALUES];
    prefixes = new String[VALUES];
    separators = new String[VALUES];
    suffixes = new String[VALUES];
    scripts = new JexlScript[2 * VALUES];
    for (int i = 0; i < VALUES; i++) {
      String[] e = expressions(i);
      keys[i] = "key" + i;
      prefixes[i] = i % 2 == 0 ? "" : "img-";
      separators[i] = i % 3 == 0 ? "-" : ":";
      suffixes[i] = i % 4 == 0 ? "" : "/x";
      tree.put(keys[i], prefixes[i] + "${{ " + e[0] + " }}" + separators[i] + "${{ " + e[1] + " }}" + suffixes[i]);
      scripts[2 * i] = jexl.createScript(e[0]);
      scripts[2 * i + 1] = jexl.createScript(e[1]);
    }
    Object ours = promokitResolveTree();
    Object floor = rawJexlPrecompiled();
    if (!ours.equals(floor)) {
      throw new IllegalStateException("the two benchmarks disagree:\n" + ours + "\n" + floor);
    }
  }

  @Benchmark
  public Object promokitResolveTree() {
    return resolver.resolveTree(tree, environment, "config");
  }

  @Benchmark
  public Object rawJexlPrecompiled() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < VALUES; i++) {
      out.put(keys[i], prefixes[i] + scripts[2 * i].execute(jexlContext) + separators[i]
          + scripts[2 * i + 1].execute(jexlContext) + suffixes[i]);
    }
    return out;
  }

  /** For a quick look without JMH: prints both results. */
  public static void main(String[] args) {
    ExpressionBenchmark b = new ExpressionBenchmark();
    b.setup();
    System.out.println(b.promokitResolveTree());
    System.out.println(List.of(b.rawJexlPrecompiled()));
  }
}
