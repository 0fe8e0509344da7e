package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 point 5: a tiny hostile expression must evaluate or fail with a clear error naming the limit,
 * never with a StackOverflowError, and whatever the limits let through must also get through JEXL (whose
 * parser and interpreter recurse once per level). Everything runs on a thread with a 512 KiB stack, half
 * of a default platform thread's.
 */
class HostileInputTest {

  private static final long SMALL_STACK = 512 * 1024;

  private final ExpressionResolver resolver = ExpressionResolver.create();

  private final ExpressionEnvironment env = ExpressionEnvironment.builder()
      .variable("vars", Map.of("list", List.of(1, 2), "s", "text"))
      .build();

  /** Runs on a small stack; returns the value, or rethrows what the evaluation threw. */
  private Object onSmallStack(String template) {
    AtomicReference<Object> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(resolver.resolve(template, env));
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "small-stack", SMALL_STACK);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failure.get() instanceof RuntimeException e) {
      throw e;
    }
    if (failure.get() != null) {
      throw new AssertionError("unexpected " + failure.get(), failure.get());
    }
    return result.get();
  }

  private static String repeat(String s, int n) {
    return s.repeat(Math.max(0, n));
  }

  @Test
  void aLongConcatenationChainEvaluates() {
    // The issue's example: "a"+"a"+... 200 times (about 1 KB) ended in a StackOverflowError.
    String expr = "\"a\"" + repeat(" + \"a\"", 199);
    assertThat(onSmallStack("${{ " + expr + " }}")).isEqualTo("a".repeat(200));
    // Up to the length limit: 4000 operands, run in a loop rather than 4000 nested JEXL nodes.
    String longest = "'a'" + repeat("+'a'", 3999);
    assertThat(longest.length() + 2).isLessThanOrEqualTo(ExpressionResolver.DEFAULT_MAX_EXPRESSION_LENGTH);
    assertThat(onSmallStack("${{ " + longest + " }}")).isEqualTo("a".repeat(4000));
  }

  @Test
  void longLogicalAndArithmeticChainsEvaluate() {
    assertThat(onSmallStack("${{ true" + repeat(" && true", 1500) + " }}")).isEqualTo(true);
    assertThat(onSmallStack("${{ false" + repeat(" || false", 1500) + " }}")).isEqualTo(false);
    assertThat(onSmallStack("${{ 1" + repeat("+1", 4999) + " }}")).isEqualTo(5000L);
    assertThat(onSmallStack("${{ 2" + repeat("*1", 4999) + " }}")).isEqualTo(2L);
    assertThat(onSmallStack("${{ nil" + repeat(" ?? nil", 2000) + " ?? 7 }}")).isEqualTo(7L);
    assertThat(onSmallStack("${{ 1 == 1" + repeat(" == true", 1000) + " }}")).isEqualTo(true);
    assertThat(onSmallStack("${{ 1" + repeat(" < 2", 1000) + " }}")).isEqualTo(false);
  }

  @Test
  void anExpressionOverTheLengthLimitFailsBeforeItIsCompiled() {
    String expr = "1" + repeat("+1", ExpressionResolver.DEFAULT_MAX_EXPRESSION_LENGTH / 2);
    assertThatThrownBy(() -> onSmallStack("${{" + expr + "}}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("the expression has 16385 characters, more than the limit of 16384 "
            + "(ExpressionResolver.Builder.maxExpressionLength) (in expression \"1+1+1+1")
        // The message quotes the start of the expression only.
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400).contains("(16385 characters)"));
  }

  @Test
  void theLengthLimitIsConfigurable() {
    ExpressionResolver small = ExpressionResolver.builder().maxExpressionLength(10).build();
    assertThat(small.resolve("${{1 + 2 + 3}}", env)).isEqualTo(6L);
    assertThatThrownBy(() -> small.resolve("${{1 + 2 + 3 + 4}}", env))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("the expression has 13 characters, more than the limit of 10");
    assertThatThrownBy(() -> small.inspect("${{1 + 2 + 3 + 4}}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("the expression has 13 characters");
  }

  /** Shapes that nest one level per step; n is the number of steps. */
  private static final Map<String, IntFunction<String>> NESTINGS = Map.ofEntries(
      Map.entry("parentheses", n -> repeat("(", n) + "1" + repeat(")", n)),
      Map.entry("right operands", n -> repeat("(1 + ", n) + "1" + repeat(")", n)),
      Map.entry("calls", n -> repeat("abs(", n) + "-1" + repeat(")", n)),
      Map.entry("lists", n -> repeat("[", n) + "1" + repeat("]", n)),
      Map.entry("maps", n -> repeat("{a: ", n) + "1" + repeat("}", n)),
      Map.entry("negations", n -> repeat("!", n) + "true"),
      Map.entry("minus signs", n -> repeat("-(", n) + "1" + repeat(")", n)),
      Map.entry("conditions", n -> repeat("true ? ", n) + "1" + repeat(" : 0", n)),
      Map.entry("predicates", n -> repeat("map([1], ", n) + "#" + repeat(")", n)),
      Map.entry("member chain", n -> "{}" + repeat("?.a", n)),
      Map.entry("index chain", n -> "[1]" + repeat("[0:1]", n)),
      Map.entry("pipes", n -> "-1" + repeat(" | abs()", n)),
      Map.entry("methods", n -> "semverParse('1.0.0')" + repeat(".IncPatch()", n) + ".String()"),
      Map.entry("powers", n -> "1" + repeat(" ** 1", n)),
      Map.entry("not in", n -> "true" + repeat(" not in [false]", n)),
      Map.entry("ranges", n -> repeat("sort(", n) + "1..2" + repeat(")", n)));

  @Test
  void theDeepestExpressionOfEachShapeEvaluatesAndOneLevelMoreFailsNamingTheLimit() {
    NESTINGS.forEach((shape, nest) -> {
      int deepest = deepestAccepted(nest);
      assertThat(deepest).as(shape).isGreaterThan(ExpressionResolver.DEFAULT_MAX_NESTING_DEPTH / 4);
      // What the limit lets through evaluates, on half a default stack.
      onSmallStack("${% " + nest.apply(deepest) + " %}");
      assertThatThrownBy(() -> onSmallStack("${% " + nest.apply(deepest + 1) + " %}")).as(shape)
          .isInstanceOf(ExpressionException.class)
          .hasMessageStartingWith("the expression is nested more than 50 levels deep, the limit "
              + "(ExpressionResolver.Builder.maxNestingDepth)");
      // Far beyond the limit the parser stops at the limit too.
      assertThatThrownBy(() -> onSmallStack("${% " + nest.apply(1000) + " %}")).as(shape)
          .isInstanceOf(ExpressionException.class)
          .hasMessageContaining("more than 50 levels deep");
    });
  }

  private int deepestAccepted(IntFunction<String> nest) {
    int n = 1;
    while (n < 1000) {
      try {
        resolver.inspectExpression(nest.apply(n + 1));
      } catch (ExpressionException e) {
        assertThat(e.getMessage()).contains("levels deep");
        return n;
      }
      n++;
    }
    throw new AssertionError("no limit reached");
  }

  @Test
  void theNestingLimitIsConfigurable() {
    ExpressionResolver shallow = ExpressionResolver.builder().maxNestingDepth(3).build();
    assertThat(shallow.resolve("${{ abs(-1) }}", env)).isEqualTo(1L);
    assertThatThrownBy(() -> shallow.resolve("${{ abs(abs(abs(-1))) }}", env))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("the expression is nested more than 3 levels deep");
    assertThatThrownBy(() -> ExpressionResolver.builder().maxNestingDepth(0))
        .hasMessage("maxNestingDepth must be between 1 and 1000, but was 0");
    assertThatThrownBy(() -> ExpressionResolver.builder().maxExpressionLength(0))
        .hasMessage("maxExpressionLength must be positive, but was 0");
  }

  @Test
  void moreThanExprLangsTenThousandPartsFails() {
    ExpressionResolver roomy = ExpressionResolver.builder().maxExpressionLength(100_000).build();
    String expr = "[" + repeat("1,", 10_000) + "1]";
    assertThat(roomy.evaluate("[" + repeat("1,", 9_998) + "1]", env)).asList().hasSize(9_999);
    assertThatThrownBy(() -> roomy.resolve("${{ " + expr + " }}", env))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("the expression has more than 10000 parts, the limit expr-lang also sets");
  }
}
