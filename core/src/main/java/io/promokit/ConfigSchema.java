package io.promokit;

import io.promokit.internal.JsonSchemaChecker;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A JSON Schema (draft 2020-12) for a step's config. Built-in steps declare one; hosts may give one in
 * {@link StepOptions}; custom steps in their definition's {@code configSchema}. It is checked by
 * validation (on literal values) and before each attempt (on the evaluated config). Immutable.
 */
public final class ConfigSchema {

  /** Reads the schema: at once for text and maps, on first use for resources. */
  private final Supplier<Map<String, Object>> source;
  /** One of promokit's own resource schemas: the build checks it against its meta-schema, so runs do not. */
  private final boolean bundled;
  private volatile Map<String, Object> schema;
  private volatile JsonSchemaChecker checker;

  private ConfigSchema(Map<String, Object> schema) {
    this.source = null;
    this.bundled = false;
    this.schema = schema;
    this.checker = JsonSchemaChecker.compile(schema);
  }

  /**
   * A schema read and compiled on first use. The steps' own resource schemas are many (one per step of every
   * module) and a command uses few of them: compiling them all cost most of a {@code promokit validate} start.
   */
  private ConfigSchema(Supplier<Map<String, Object>> source, boolean bundled) {
    this.source = source;
    this.bundled = bundled;
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

  /**
   * A schema from a class-path resource next to {@code anchor}. The resource must exist now; it is read and
   * compiled when the schema is first used, and a resource that is not a valid schema fails then, with the
   * same message. (promokit's own step schemas, next to {@code io.promokit} classes, are checked by promokit's
   * build instead - that each exists and is a valid JSON Schema - and a missing one would fail at first use,
   * with the same message: looking up the 35 of them at registration was a tenth of a cold
   * {@code promokit validate}.)
   *
   * @throws IllegalArgumentException when there is no such resource
   */
  public static ConfigSchema fromResource(Class<?> anchor, String resource) {
    Objects.requireNonNull(anchor, "anchor must not be null");
    Objects.requireNonNull(resource, "resource must not be null");
    boolean bundled = isPromokitsOwn(anchor);
    if (!bundled && anchor.getResource(resource) == null) {
      throw new IllegalArgumentException(
          "config schema resource \"" + resource + "\" not found next to " + anchor.getName());
    }
    return new ConfigSchema(() -> JsonSchemaChecker.readResource(anchor, resource, bundled), bundled);
  }

  /** A resource next to a promokit class: a step schema of promokit's modules, checked by their build. */
  private static boolean isPromokitsOwn(Class<?> anchor) {
    return anchor.getName().startsWith("io.promokit.");
  }

  /** The schema as a read-only JSON-like map. */
  public Map<String, Object> asMap() {
    Map<String, Object> s = schema;
    if (s == null) {
      synchronized (this) {
        s = schema;
        if (s == null) {
          s = source.get();
          schema = s;
        }
      }
    }
    return s;
  }

  private JsonSchemaChecker checker() {
    JsonSchemaChecker c = checker;
    if (c == null) {
      Map<String, Object> s = asMap();
      synchronized (this) {
        c = checker;
        if (c == null) {
          c = JsonSchemaChecker.compile(s, !bundled);
          checker = c;
        }
      }
    }
    return c;
  }

  /**
   * Checks a config against the schema.
   *
   * @param config the config (JSON-like Java values)
   * @param rootPath the name of the config's root in messages, usually {@code "config"}
   * @return one message per problem, each starting with the path ({@code config.path: ...}); empty when valid
   */
  public List<String> validate(Object config, String rootPath) {
    return checker().check(config, rootPath);
  }
}
