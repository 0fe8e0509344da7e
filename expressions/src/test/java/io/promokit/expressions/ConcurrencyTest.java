package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void manyThreadsShareOneResolver() throws Exception {
    ExpressionResolver resolver = ExpressionResolver.builder().cacheSize(16).build();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      results.add(pool.submit(() -> {
        start.await();
        int checked = 0;
        for (int i = 0; i < 400; i++) {
          int n = i % 40;
          ExpressionEnvironment env = ExpressionEnvironment.builder()
              .variable("vars", Map.of("id", id, "n", n, "names", List.of("a", "b")))
              .build();
          // 40 distinct templates against a cache of 16: entries are evicted and compiled again concurrently.
          Object v = resolver.resolve("t${{ vars.id }}-" + n + "-${{ vars.n * 2 }}-${{ join(vars.names, '') }}", env);
          assertThat(v).isEqualTo("t" + id + "-" + n + "-" + (n * 2) + "-ab");
          Object tree = resolver.resolveTree(Map.of("k", List.of("${{ vars.n + " + n + " }}")), env, "config");
          assertThat(tree).isEqualTo(Map.of("k", List.of((long) (2 * n))));
          assertThatThrownBy(() -> resolver.resolve("${{ vars.nope.x }}", env))
              .hasMessageStartingWith("vars.nope is null");
          checked++;
        }
        return checked;
      }));
    }
    start.countDown();
    for (Future<Integer> f : results) {
      assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(400);
    }
    pool.shutdown();
  }

  @Test
  void twoResolversWithDifferentHostFunctionsWorkSideBySide() throws Exception {
    ExpressionResolver a = ExpressionResolver.builder().function("who", args -> "A").build();
    ExpressionResolver b = ExpressionResolver.builder().function("who", args -> "B")
        .function("only", args -> "b-only").build();
    ExpressionEnvironment env = ExpressionEnvironment.empty();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      futures.add(pool.submit(() -> {
        for (int i = 0; i < 300; i++) {
          assertThat(a.resolve("${{ who() }}", env)).isEqualTo("A");
          assertThat(b.resolve("${{ who() }}", env)).isEqualTo("B");
          assertThat(b.resolve("${{ only() }}", env)).isEqualTo("b-only");
          assertThatThrownBy(() -> a.resolve("${{ only() }}", env))
              .hasMessageStartingWith("syntax error: unknown function only()");
        }
      }));
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
  }
}
