package io.promokit.steps;

import io.promokit.ConfigSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config schemas of the built-in steps, read from {@code schemas/<step>.json} next to this class. They
 * are compiled once, when the first built-in step is created, and shared: a schema is immutable.
 */
final class StepSchemas {

  /** Every built-in step's name, in the order {@link BuiltinSteps#all()} lists them. */
  static final List<String> NAMES = List.of("compose-output", "copy", "delete", "fail", "file-write", "http",
      "json-parse", "json-update", "set-freight-alias", "set-metadata", "sleep", "yaml-parse", "yaml-update");

  private static final Map<String, ConfigSchema> SCHEMAS = load();

  private StepSchemas() {}

  static ConfigSchema of(String stepName) {
    ConfigSchema schema = SCHEMAS.get(stepName);
    if (schema == null) {
      throw new IllegalArgumentException("no built-in step named \"" + stepName + "\"");
    }
    return schema;
  }

  private static Map<String, ConfigSchema> load() {
    Map<String, ConfigSchema> schemas = new LinkedHashMap<>();
    for (String name : NAMES) {
      schemas.put(name, ConfigSchema.fromResource(StepSchemas.class, "schemas/" + name + ".json"));
    }
    return Map.copyOf(schemas);
  }
}
