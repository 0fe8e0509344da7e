package io.promokit.expressions.internal;

import com.google.re2j.Pattern;
import io.promokit.expressions.ExpressionFunction;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.introspection.JexlPermissions;
import org.apache.commons.jexl3.introspection.JexlUberspect;

/** One resolver's JEXL engine (built on first use), limits and host functions. Shared by its evaluations. */
final class Engine {

  /** How many times maxSize one expression may build in total, across all the values it makes. */
  static final int BUDGET_FACTOR = 4;

  /** Made on first use (see {@link #arithmetic()}). */
  private volatile ExprArithmetic arithmetic;
  /** Built on first use (see {@link #jexl()}). */
  private volatile JexlEngine jexl;
  final long maxSize;
  final long budget;
  final Duration timeout;
  final long timeoutNanos;
  final String[] hostNames;
  final ExpressionFunction[] hostFunctions;
  final Map<String, Integer> hostIndex;
  final Limits limits;
  private final BoundedCache<String, Pattern> patterns;

  Engine(ResolverSettings settings) {
    Map<String, ExpressionFunction> functions = settings.functions();
    Duration timeout = settings.timeout();
    long maxSize = settings.maxSize();
    int cacheSize = settings.cacheSize();
    this.limits = new Limits(settings.maxExpressionLength(), settings.maxNestingDepth());
    this.maxSize = maxSize;
    this.budget = maxSize > Long.MAX_VALUE / BUDGET_FACTOR ? Long.MAX_VALUE : maxSize * BUDGET_FACTOR;
    this.timeout = timeout;
    this.timeoutNanos = saturatedNanos(timeout);
    List<String> names = List.copyOf(new java.util.TreeSet<>(functions.keySet()));
    this.hostNames = names.toArray(new String[0]);
    this.hostFunctions = new ExpressionFunction[hostNames.length];
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < hostNames.length; i++) {
      hostFunctions[i] = functions.get(hostNames[i]);
      index.put(hostNames[i], i);
    }
    this.hostIndex = Map.copyOf(index);
    this.patterns = new BoundedCache<>(Math.max(16, Math.min(cacheSize, 256)));
  }

  /**
   * The arithmetic of evaluation (and of folding literal arithmetic at compile time), made on first use: making it
   * initialises JEXL's arithmetic classes, a few milliseconds a {@code promokit validate} never needs.
   */
  ExprArithmetic arithmetic() {
    ExprArithmetic a = arithmetic;
    if (a == null) {
      synchronized (this) {
        a = arithmetic;
        if (a == null) {
          a = new ExprArithmetic(maxSize);
          arithmetic = a;
        }
      }
    }
    return a;
  }

  /**
   * The sandboxed JEXL engine, built on first use: an expression that folds to a literal, validation and
   * inspection never need it, and building it loads a few hundred classes (a CLI start pays for each).
   */
  JexlEngine jexl() {
    JexlEngine j = jexl;
    if (j == null) {
      synchronized (this) {
        j = jexl;
        if (j == null) {
          j = buildJexl();
          jexl = j;
        }
      }
    }
    return j;
  }

  /** Whether the JEXL engine has been built (for tests). */
  boolean jexlBuilt() {
    return jexl != null;
  }

  private JexlEngine buildJexl() {
    JexlUberspect standard = new JexlBuilder().permissions(JexlPermissions.UNRESTRICTED).create().getUberspect();
    JexlFeatures features = new JexlFeatures()
        .loops(false)
        .sideEffect(false)
        .sideEffectGlobal(false)
        .newInstance(false)
        .pragma(false)
        .pragmaAnywhere(false)
        .annotation(false)
        .methodCall(false)
        .register(false)
        .importPragma(false)
        .namespacePragma(false)
        .comparatorNames(false)
        .structuredLiteral(true)
        .lambda(true)
        .localVar(true);
    return new JexlBuilder()
        .features(features)
        .arithmetic(arithmetic())
        .uberspect(new SandboxUberspect(standard))
        .strict(true)
        .safe(false)
        .silent(false)
        .antish(false)
        .booleanLogical(true)
        .cancellable(true)
        .cache(16)
        .cacheThreshold(0)
        .create();
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  Pattern pattern(String regex) {
    return patterns.get(regex, GoRegexp::compile);
  }

  static String human(Duration d) {
    if (d.toMillis() % 1000 == 0 && d.getNano() % 1_000_000 == 0) {
      return d.getSeconds() + (d.getSeconds() == 1 ? " second" : " seconds");
    }
    return d.toMillis() + " ms";
  }
}
