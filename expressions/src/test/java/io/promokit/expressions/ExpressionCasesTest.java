package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The table of cases in {@code expression-cases.yaml}: Kargo's documented examples and edge cases. */
class ExpressionCasesTest {

  private static final Map<String, Object> FILE = load();

  private static final ExpressionResolver RESOLVER = ExpressionResolver.builder()
      .function("greet", args -> "hello, " + args.get(0))
      .function("describe", args -> describe(args.get(0)))
      .function("boom", args -> {
        throw new IllegalArgumentException("always fails");
      })
      .build();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load() {
    try (InputStream in = ExpressionCasesTest.class.getResourceAsStream("/expression-cases.yaml")) {
      return new YAMLMapper().readValue(in, Map.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cases() {
    return (List<Map<String, Object>>) FILE.get("cases");
  }

  @Test
  void theTableHoldsAtLeast150UniquelyNamedCases() {
    Set<String> names = new HashSet<>();
    for (Map<String, Object> c : cases()) {
      assertThat(names.add((String) c.get("name"))).as("duplicate case name %s", c.get("name")).isTrue();
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(150);
  }

  @TestFactory
  Stream<DynamicTest> cases_() {
    return cases().stream().map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> run(c)));
  }

  @SuppressWarnings("unchecked")
  private static void run(Map<String, Object> c) {
    ExpressionEnvironment env = environment(c);
    if (c.containsKey("inspect")) {
      String template = (String) c.get("inspect");
      if (c.containsKey("error")) {
        assertThatThrownBy(() -> RESOLVER.inspect(template)).isInstanceOf(ExpressionException.class)
            .hasMessageContaining((String) c.get("error"));
        return;
      }
      TemplateInfo info = RESOLVER.inspect(template);
      Set<List<String>> refs = new HashSet<>();
      Set<String> fns = new HashSet<>();
      info.expressions().forEach(e -> {
        refs.addAll(e.references());
        fns.addAll(e.functions());
      });
      assertThat(refs).containsExactlyInAnyOrderElementsOf((List<List<String>>) c.get("references"));
      assertThat(fns).containsExactlyInAnyOrderElementsOf((List<String>) c.get("functions"));
      return;
    }
    ThrowingSupplier run;
    if (c.containsKey("template")) {
      run = () -> RESOLVER.resolve((String) c.get("template"), env);
    } else if (c.containsKey("expression")) {
      run = () -> RESOLVER.evaluate((String) c.get("expression"), env);
    } else if (c.containsKey("tree")) {
      run = () -> RESOLVER.resolveTree(c.get("tree"), env, "config");
    } else {
      throw new IllegalArgumentException("case without template, expression, tree or inspect: " + c);
    }
    if (c.containsKey("error")) {
      assertThatThrownBy(run::get).isInstanceOf(ExpressionException.class)
          .hasMessageContaining((String) c.get("error"))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Jexl", "JEXL", "pk:", "$it"));
      return;
    }
    Object actual;
    try {
      actual = run.get();
    } catch (ExpressionException e) {
      fail("unexpected error: " + e.getMessage(), e);
      return;
    }
    TypedValues.assertTyped(actual, TypedValues.fromYaml(c.get("expect")), "$");
    if (c.containsKey("masked")) {
      Map<String, String> m = (Map<String, String>) c.get("masked");
      assertThat(env.masker().mask(m.get("input"))).isEqualTo(m.get("output"));
    }
  }

  @FunctionalInterface
  private interface ThrowingSupplier {
    Object get();
  }

  @SuppressWarnings("unchecked")
  private static ExpressionEnvironment environment(Map<String, Object> c) {
    Map<String, Object> vars = new LinkedHashMap<>((Map<String, Object>) FILE.get("defaultEnv"));
    if (c.containsKey("env")) {
      vars.putAll((Map<String, Object>) c.get("env"));
    }
    ExpressionEnvironment.Builder b = ExpressionEnvironment.builder().variables(vars)
        .secrets((name, scope) -> {
          if (name.equals("slack")) {
            return Map.of("token", scope == ResourceScope.PROJECT ? "xoxb-123" : "shared-456");
          }
          return Map.of();
        })
        .configMaps((name, scope) -> name.equals("my-config")
            ? Map.of("repoURL", scope == ResourceScope.PROJECT ? "https://git.example.com/repo.git"
                : "https://shared.example.com/repo.git")
            : Map.of());
    if (!Boolean.TRUE.equals(c.get("noFreight"))) {
      b.freight(new FakeFreight());
    }
    if (!Boolean.TRUE.equals(c.get("noStatus"))) {
      List<StepStatusEntry> history = new ArrayList<>();
      List<Map<String, Object>> steps = c.containsKey("steps") ? (List<Map<String, Object>>) c.get("steps")
          : List.of(Map.of("alias", "build", "status", "Succeeded"),
              Map.of("alias", "test", "status", "Failed", "continueOnError", true));
      for (Map<String, Object> s : steps) {
        history.add(new StepStatusEntry((String) s.get("alias"), (String) s.get("status"),
            Boolean.TRUE.equals(s.get("continueOnError"))));
      }
      b.statusView(StepStatusView.of(history, (String) c.getOrDefault("current", "deploy")));
    }
    return b.build();
  }

  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof List) {
      return "List:" + ((List<?>) v).stream().map(ExpressionCasesTest::describe).collect(Collectors.toList());
    }
    if (v instanceof Map) {
      Map<Object, String> m = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, x) -> m.put(k, describe(x)));
      return "Map:" + m;
    }
    return v.getClass().getSimpleName() + ":" + v;
  }

  /** A freight lookup with canned answers. */
  static final class FakeFreight implements FreightLookup {
    @Override
    public Object warehouse(String name) {
      return Map.of("Kind", "Warehouse", "Name", name);
    }

    private static String origin(Object origin) {
      return origin == null ? "" : "@" + ((Map<?, ?>) origin).get("Name");
    }

    @Override
    public Object commitFrom(String repoUrl, Object origin) {
      return Map.of("RepoURL", repoUrl, "ID", "abc123" + origin(origin), "Tag", "v1");
    }

    @Override
    public Object imageFrom(String repoUrl, Object origin) {
      return repoUrl.equals("missing") ? null : Map.of("RepoURL", repoUrl, "Tag", "1.25", "Digest", "sha256:1");
    }

    @Override
    public Object chartFrom(String repoUrl, String chartName, Object origin) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("RepoURL", repoUrl);
      m.put("Name", chartName);
      m.put("Version", "2.0.0");
      m.put("Origin", origin == null ? null : ((Map<?, ?>) origin).get("Name"));
      return m;
    }

    @Override
    public Object freightMetadata(String freightName) {
      return Map.of("category", "blue");
    }

    @Override
    public Object stageMetadata(String stageName) {
      return stageName.equals("prod")
          ? Map.of("aws-region", "us-west-2", "config", Map.of("settings", Map.of("timeoutSeconds", 60)))
          : Map.of();
    }
  }
}
