package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 19's expression themes, case by case against expr-lang v1.17.8 (see {@code exprlang-conformance.yaml}
 * for where each expected value comes from), and every deliberate deviation checked to behave as
 * documented and to be listed in docs/spec/EXPRESSIONS.md.
 */
class ExprLangConformanceTest {

  private static final Map<String, Object> FILE = load();

  private static final ExpressionResolver RESOLVER = ExpressionResolver.create();

  @SuppressWarnings("unchecked")
  private static final ExpressionEnvironment ENV = ExpressionEnvironment.builder()
      .variables((Map<String, Object>) FILE.get("env"))
      .build();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load() {
    try (InputStream in = ExprLangConformanceTest.class.getResourceAsStream("/exprlang-conformance.yaml")) {
      return new YAMLMapper().readValue(in, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicNode> themes() {
    Map<String, List<Map<String, Object>>> themes = (Map<String, List<Map<String, Object>>>) FILE.get("themes");
    return themes.entrySet().stream().map(theme -> DynamicContainer.dynamicContainer(theme.getKey(),
        theme.getValue().stream().map(c -> DynamicTest.dynamicTest(
            c.get("expr") + "  [" + c.get("source") + "]", () -> check(c)))));
  }

  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicNode> deviations() throws IOException {
    String spec = Files.readString(Path.of("..", "docs", "spec", "EXPRESSIONS.md"));
    List<Map<String, Object>> cases = (List<Map<String, Object>>) FILE.get("deviations");
    return cases.stream().map(c -> DynamicTest.dynamicTest(
        c.get("expr") + "  [expr-lang: " + c.get("exprLang") + "]", () -> {
          check(c);
          assertThat(spec).as("EXPRESSIONS.md documents the deviation").contains((String) c.get("doc"));
        }));
  }

  private static void check(Map<String, Object> c) {
    String expr = (String) c.get("expr");
    if (c.containsKey("error")) {
      assertThatThrownBy(() -> RESOLVER.evaluate(expr, ENV))
          .isInstanceOf(ExpressionException.class)
          .hasMessageContaining((String) c.get("error"));
      return;
    }
    TypedValues.assertTyped(RESOLVER.evaluate(expr, ENV), TypedValues.fromYaml(c.get("expect")), expr);
  }
}
