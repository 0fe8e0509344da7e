package io.promokit.expressions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.expressions.ExpressionEnvironment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachingTest {

  private static DefaultExpressionResolver resolver(int cacheSize) {
    return new DefaultExpressionResolver(new ResolverSettings(Map.of(), Duration.ofSeconds(1), 1 << 20, cacheSize,
        16 * 1024, 50));
  }

  @Test
  void parsedTemplatesAndCompiledExpressionsAreCachedByText() {
    DefaultExpressionResolver r = resolver(100);
    ExpressionEnvironment env = ExpressionEnvironment.builder().variable("vars", Map.of("a", "x")).build();
    for (int i = 0; i < 50; i++) {
      assertThat(r.resolve("${{ vars.a }}-${{ vars.a }}", env)).isEqualTo("x-x");
      assertThat(r.evaluate(" vars.a ", env)).isEqualTo("x");
      r.inspect("${{ vars.a }}-${{ vars.a }}");
    }
    assertThat(r.compilations()).isEqualTo(1);
  }

  @Test
  void badExpressionsAreCachedToo() {
    DefaultExpressionResolver r = resolver(100);
    for (int i = 0; i < 5; i++) {
      try {
        r.evaluate("1 +", ExpressionEnvironment.empty());
      } catch (RuntimeException expected) {
        // the syntax error is thrown every time, the expression is parsed once
      }
    }
    assertThat(r.compilations()).isEqualTo(1);
  }

  @Test
  void theCacheIsBounded() {
    DefaultExpressionResolver r = resolver(10);
    for (int i = 0; i < 1000; i++) {
      r.evaluate(i + " + 1", ExpressionEnvironment.empty());
      r.resolve("${{ " + i + " }}", ExpressionEnvironment.empty());
    }
    assertThat(r.cached()).isLessThanOrEqualTo(20 + 2);
  }

  @Test
  void aCacheSizeOfZeroDisablesCaching() {
    DefaultExpressionResolver r = resolver(0);
    r.evaluate("1", ExpressionEnvironment.empty());
    r.evaluate("1", ExpressionEnvironment.empty());
    assertThat(r.compilations()).isEqualTo(2);
    assertThat(r.cached()).isZero();
  }

  @Test
  void boundedCacheKeepsEntriesInUse() {
    BoundedCache<String, String> cache = new BoundedCache<>(4);
    int[] computed = {0};
    for (int i = 0; i < 100; i++) {
      cache.get("hot", k -> {
        computed[0]++;
        return k;
      });
      cache.get("cold" + i, k -> k);
    }
    assertThat(computed[0]).isEqualTo(1);
    assertThat(cache.size()).isLessThanOrEqualTo(5);
  }
}
