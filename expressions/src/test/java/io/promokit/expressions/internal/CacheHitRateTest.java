package io.promokit.expressions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache holds a realistic working set, and a larger one does not make it thrash (counts, not timing). */
class CacheHitRateTest {

  /** 4,500 distinct Kargo-like templates, each with one or two expressions (4,502 distinct expressions). */
  private static List<String> workingSet() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 4500; i++) {
      switch (i % 3) {
        case 0 -> out.add("${{ vars.image" + i + " + \":\" + outputs['build-" + i + "'].tag }}");
        case 1 -> out.add("${{ quote(ctx.stage) }}-" + i + "-${{ vars.replicas" + i + " ?? 2 }}");
        default -> out.add("https://example.com/${{ ctx.project }}/${{ len(vars.list" + i + ") > 0 }}");
      }
    }
    return out;
  }

  private static long sweep(DefaultExpressionResolver r, List<String> templates) {
    long before = r.compilations();
    templates.forEach(r::inspect);
    return r.compilations() - before;
  }

  @Test
  void withDefaultSettingsEveryExpressionIsCachedFromTheSecondSweepOn() {
    DefaultExpressionResolver r = (DefaultExpressionResolver) ExpressionResolver.create();
    List<String> templates = workingSet();
    long distinct = sweep(r, templates);
    assertThat(distinct).isEqualTo(4502);
    for (int s = 2; s <= 4; s++) {
      assertThat(sweep(r, templates)).as("misses in sweep %d", s).isLessThanOrEqualTo(distinct / 100);
    }
  }

  @Test
  void evaluatingUsesTheSameCache() {
    DefaultExpressionResolver r = (DefaultExpressionResolver) ExpressionResolver.create();
    ExpressionEnvironment env = ExpressionEnvironment.builder().variable("vars", Map.of("n", 1L)).build();
    for (int s = 0; s < 3; s++) {
      for (int i = 0; i < 5000; i++) {
        assertThat(r.evaluate("vars.n + " + i, env)).isEqualTo(1L + i);
      }
    }
    assertThat(r.compilations()).isEqualTo(5000);
  }

  @Test
  void aWorkingSetLargerThanTheCacheKeepsAStablePartCached() {
    BoundedCache<String, String> cache = new BoundedCache<>(100);
    int[] computed = {0};
    for (int s = 0; s < 10; s++) {
      for (int i = 0; i < 200; i++) {
        cache.get("key" + i, k -> {
          computed[0]++;
          return k;
        });
      }
    }
    // A plain LRU misses all 2,000 lookups of this cyclic sweep; frequency-based admission keeps ~100 keys.
    assertThat(computed[0]).isLessThan(2000 - 8 * 80);
    assertThat(cache.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void frequentEntriesSurviveAScanOfNewOnes() {
    BoundedCache<String, String> cache = new BoundedCache<>(500);
    int[] computed = {0};
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 100; i++) {
        cache.get("hot" + i, k -> {
          computed[0]++;
          return k;
        });
      }
    }
    for (int i = 0; i < 1000; i++) {
      cache.get("scan" + i, k -> k);
    }
    for (int i = 0; i < 100; i++) {
      cache.get("hot" + i, k -> {
        computed[0]++;
        return k;
      });
    }
    assertThat(computed[0]).as("the hot keys were computed once, the scan did not push them out").isEqualTo(100);
  }

  @Test
  void theWeightBoundHolds() {
    BoundedCache<String, String> cache = new BoundedCache<>(1000, 100, String::length);
    for (int i = 0; i < 500; i++) {
      cache.get("k".repeat(1 + i % 30) + i, k -> k);
      assertThat(cache.weight()).isLessThanOrEqualTo(100);
    }
    int[] computed = {0};
    for (int i = 0; i < 2; i++) {
      cache.get("x".repeat(101), k -> {
        computed[0]++;
        return k;
      });
    }
    assertThat(computed[0]).as("an entry heavier than the whole bound is not cached").isEqualTo(2);
  }

  @Test
  void theSketchCountsAndForgets() {
    FrequencySketch sketch = new FrequencySketch(1024, 100);
    for (int i = 0; i < 8; i++) {
      sketch.increment("a".hashCode());
    }
    assertThat(sketch.frequency("a".hashCode())).isEqualTo(8);
    assertThat(sketch.frequency("never seen".hashCode())).isZero();
    for (int i = 0; i < 92; i++) {
      sketch.increment(("other" + i).hashCode());
    }
    assertThat(sketch.frequency("a".hashCode())).as("halved once 100 increments are counted").isEqualTo(4);
  }
}
