package io.promokit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import io.promokit.internal.JsonSchemaChecker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * promokit's own plain step schemas are checked by its plain checker, not networknt (whose set-up was the largest
 * cost of a cold {@code promokit validate}): for every such schema of core and the five step modules, both must
 * give the same messages, in the same order, for configs that break each field in many ways.
 */
class PlainSchemasTest {

  private static final List<Object> BAD_VALUES = Arrays.asList(null, "", "x", "a b/c:1", 0, -1, 1.5, 2.0, true,
      List.of(), List.of("x"), List.of(Map.of()), List.of(Map.of("zz", 1)), Map.of(), Map.of("zz", 1),
      Map.of("name", ""), "1h30m", "oci://r/x:1");

  @Test
  void everyPlainStepSchemaGivesNetworkntsMessages() {
    List<String> plain = new ArrayList<>();
    int compared = 0;
    for (RegisteredStep step : PromokitSteps.all()) {
      if (step.options().configSchema().isEmpty()) {
        continue;
      }
      Map<String, Object> schema = step.options().configSchema().get().asMap();
      JsonSchemaChecker ours = JsonSchemaChecker.compile(schema, false);
      if (!ours.isPlain()) {
        continue;
      }
      plain.add(step.name());
      JsonSchemaChecker networknt = JsonSchemaChecker.compile(schema, true);
      for (Object config : configs(schema)) {
        assertThat(ours.check(config, "config")).as(step.name() + " " + config)
            .isEqualTo(networknt.check(config, "config"));
        compared++;
      }
    }
    assertThat(plain).as("steps whose schema is plain").hasSizeGreaterThanOrEqualTo(20)
        .contains("yaml-update", "file-write", "compose-output", "kustomize-build", "git-tag");
    assertThat(compared).isGreaterThan(2000);
  }

  /** The empty config, then for each property: each bad value in its place, and the config without it. */
  private static List<Object> configs(Map<String, Object> schema) {
    List<Object> configs = new ArrayList<>(Arrays.asList(null, "x", List.of(), Map.of(), Map.of("zz", 1)));
    if (!(schema.get("properties") instanceof Map<?, ?> properties)) {
      return configs;
    }
    Map<String, Object> full = new LinkedHashMap<>();
    properties.keySet().forEach(name -> full.put((String) name, "x"));
    configs.add(full);
    for (Object name : properties.keySet()) {
      for (Object bad : BAD_VALUES) {
        Map<String, Object> config = new LinkedHashMap<>(full);
        config.put((String) name, bad);
        configs.add(config);
        configs.add(Map.of((String) name, bad == null ? "x" : bad));
      }
      Map<String, Object> without = new LinkedHashMap<>(full);
      without.remove(name);
      configs.add(without);
    }
    return configs;
  }
}
