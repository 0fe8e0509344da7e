package io.promokit;

import io.promokit.internal.JsonSchemaChecker;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON Schema (draft 2020-12) for a step's config. Built-in steps declare one; hosts may give one in
 * {@link StepOptions}; custom steps in their definition's {@code configSchema}. It is checked by
 * validation (on literal values) and before each attempt (on the evaluated config). Immutable.
 */
public final class ConfigSchema {

  private final Map<String, Object> schema;
  private final JsonSchemaChecker checker;

  private ConfigSchema(Map<String, Object> schema) {
    this.schema = schema;
    this.checker = JsonSchemaChecker.compile(schema);
  }

  /**
   * A schema from its JSON (or YAML) text.
   *
   * @throws IllegalArgumentException when the text is not a valid schema, saying why
   */
  public static ConfigSchema fromJson(String json) {
    Objects.requireNonNull(json, "schema text must not be null");
    return new ConfigSchema(JsonSchemaChecker.parseSchemaText(json));
  }

  /** A schema from a JSON-like map. */
  public static ConfigSchema fromMap(Map<String, ?> schema) {
    Objects.requireNonNull(schema, "schema must not be null");
    return new ConfigSchema(JsonSchemaChecker.copySchema(schema));
  }

  /** A schema from a class-path resource next to {@code anchor}. */
  public static ConfigSchema fromResource(Class<?> anchor, String resource) {
    return new ConfigSchema(JsonSchemaChecker.readResource(anchor, resource));
  }

  /** The schema as a read-only JSON-like map. */
  public Map<String, Object> asMap() {
    return schema;
  }

  /**
   * Checks a config against the schema.
   *
   * @param config the config (JSON-like Java values)
   * @param rootPath the name of the config's root in messages, usually {@code "config"}
   * @return one message per problem, each starting with the path ({@code config.path: ...}); empty when valid
   */
  public List<String> validate(Object config, String rootPath) {
    return checker.check(config, rootPath);
  }
}
