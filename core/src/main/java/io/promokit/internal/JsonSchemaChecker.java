package io.promokit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Compiles and checks the JSON Schemas behind {@link io.promokit.ConfigSchema}, with networknt's
 * json-schema-validator (draft 2020-12 unless the schema's {@code $schema} names another draft it knows); promokit's
 * own plain step schemas with {@link PlainSchemaChecker}, which gives the same messages without networknt's set-up.
 *
 * <p>A schema is checked against its meta-schema when compiled (unless its caller vouches for it: promokit's own
 * step schemas, which the build checks), so a malformed schema fails early with an
 * {@link IllegalArgumentException} saying what is wrong. References may only point inside the schema itself
 * (or at the standard meta-schemas): a schema never makes the engine read a file or the network. The
 * meta-schemas are compiled once per dialect and shared ({@link SchemaDialect}).
 *
 * <p>Problems come back as one readable message per problem, each starting with the config path in the
 * project's notation ({@code config.updates[0].key: is required}). Instances are immutable and thread-safe.
 * No networknt type appears in this class's signatures.
 */
public final class JsonSchemaChecker {

  // One of the two: the plain checker for promokit's own plain schemas, networknt for everything else.
  private final @Nullable PlainSchemaChecker plain;
  private final @Nullable Schema schema;
  private final @Nullable SchemaErrorFormatter formatter;
  /** For a plain schema: networknt's checker, made if a config holds a value that is not JSON-like. */
  private volatile @Nullable JsonSchemaChecker networknt;

  private JsonSchemaChecker(Schema schema, JsonNode schemaNode) {
    this.plain = null;
    this.schema = schema;
    this.formatter = new SchemaErrorFormatter(schemaNode);
  }

  private JsonSchemaChecker(PlainSchemaChecker plain) {
    this.plain = plain;
    this.schema = null;
    this.formatter = null;
  }

  /**
   * Compiles a schema given as a JSON-like map.
   *
   * @throws IllegalArgumentException when it is not a valid JSON Schema, naming each problem
   */
  public static JsonSchemaChecker compile(Map<String, Object> schema) {
    return compile(schema, true);
  }

  /**
   * Compiles a schema, checking it against its meta-schema only when asked: promokit's own step schemas skip the
   * check, which the build makes for each of them (loading the meta-schema was the largest part of a cold
   * {@code promokit validate} once the rest was lazy).
   *
   * @throws IllegalArgumentException when it is not a valid JSON Schema, naming each problem
   */
  public static JsonSchemaChecker compile(Map<String, Object> schema, boolean checkAgainstMetaSchema) {
    Objects.requireNonNull(schema, "schema must not be null");
    if (!checkAgainstMetaSchema) {
      // A schema the build vouches for: when it is a plain one, checked without networknt (see PlainSchemaChecker).
      Optional<PlainSchemaChecker> plain = PlainSchemaChecker.of(schema);
      if (plain.isPresent()) {
        return new JsonSchemaChecker(plain.get());
      }
    }
    return compileWithNetworknt(schema, checkAgainstMetaSchema);
  }

  private static JsonSchemaChecker compileWithNetworknt(Map<String, Object> schema, boolean checkAgainstMetaSchema) {
    JsonNode node = JsonTrees.toTree(schema);
    SchemaDialect dialect = SchemaDialect.of(dialectOf(node));
    synchronized (dialect.compileLock()) {
      List<String> problems = checkAgainstMetaSchema ? checkAgainstMetaSchema(dialect.metaSchema(), node) : List.of();
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid config schema: " + String.join("; ", problems));
      }
      try {
        Schema compiled = dialect.registry().getSchema(withoutDialectId(node));
        compiled.initializeValidators();
        return new JsonSchemaChecker(compiled, node);
      } catch (SchemaException e) {
        throw new IllegalArgumentException("invalid config schema: " + describe(e), e);
      }
    }
  }

  /**
   * Reads a schema from JSON or YAML text.
   *
   * @throws IllegalArgumentException when the text does not parse or is not an object
   */
  public static Map<String, Object> parseSchemaText(String text) {
    Objects.requireNonNull(text, "schema text must not be null");
    // Schemas are JSON nearly always (every step's resource is): read as such when they are, which on a cold
    // JVM is a few milliseconds per schema less than SnakeYAML; YAML (and its messages) for everything else.
    Object parsed = DataFormats.readStrictJson(text).orElse(null);
    if (parsed == null) {
      try {
        parsed = DataFormats.readYaml(text);
      } catch (DataFormats.SyntaxException e) {
        throw new IllegalArgumentException("config schema is not valid JSON or YAML: " + e.getMessage(), e);
      }
    }
    if (!(parsed instanceof Map)) {
      throw new IllegalArgumentException("config schema must be a JSON object, but was " + typeName(parsed));
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> map = (Map<String, ?>) parsed;
    return copySchema(map);
  }

  /**
   * A deep, read-only copy of a schema map.
   *
   * @throws IllegalArgumentException when it holds something other than JSON values
   */
  public static Map<String, Object> copySchema(Map<String, ?> schema) {
    Objects.requireNonNull(schema, "schema must not be null");
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> copy = (Map<String, Object>) deepCopy(schema);
      return copy;
    } catch (NotJson e) {
      throw e.describe("schema");
    }
  }

  /**
   * Reads a schema (JSON or YAML) from a class-path resource, resolved like {@link Class#getResourceAsStream}.
   *
   * @throws IllegalArgumentException when the resource is missing or does not hold a schema
   */
  public static Map<String, Object> readResource(Class<?> anchor, String resource) {
    return readResource(anchor, resource, false);
  }

  /**
   * Reads a schema resource as {@link #readResource(Class, String)} does; one of promokit's own
   * ({@code bundled}) is read straight from its jar ({@link BundledResources}).
   */
  public static Map<String, Object> readResource(Class<?> anchor, String resource, boolean bundled) {
    Objects.requireNonNull(anchor, "anchor must not be null");
    Objects.requireNonNull(resource, "resource must not be null");
    Optional<byte[]> own = bundled ? BundledResources.read(anchor, resource) : Optional.empty();
    if (own.isPresent()) {
      return parseSchemaText(new String(own.get(), StandardCharsets.UTF_8));
    }
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "config schema resource \"" + resource + "\" not found next to " + anchor.getName());
      }
      return parseSchemaText(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config schema resource \"" + resource + "\": " + e, e);
    }
  }

  /** Whether this schema is checked by promokit's own checker for plain schemas rather than by networknt. */
  public boolean isPlain() {
    return plain != null;
  }

  /**
   * Checks a config against the schema.
   *
   * @param config JSON-like Java values (maps, lists, strings, numbers, booleans, null)
   * @param rootPath the name of the config's root in messages, usually {@code "config"}
   * @return one message per problem, in schema order, each starting with the config path; empty when valid
   */
  public List<String> check(Object config, String rootPath) {
    Objects.requireNonNull(rootPath, "rootPath must not be null");
    if (plain != null) {
      // A config of plain Java values (all of them, unless a host step's code passes objects) is checked as is;
      // anything else goes through networknt, which converts it as before.
      return PlainSchemaChecker.isJsonLike(config) ? plain.check(config, rootPath)
          : networknt().check(config, rootPath);
    }
    JsonNode instance;
    try {
      instance = JsonTrees.toTree(config);
    } catch (RuntimeException e) {
      return List.of(rootPath + ": holds a value that is not JSON (" + e.getMessage() + ")");
    }
    List<Error> errors;
    try {
      errors = schema.validate(instance);
    } catch (RuntimeException e) {
      // networknt cannot compare every value with every keyword (YAML's .nan with a minimum throws).
      return List.of(rootPath + ": cannot be checked against the config schema (" + e.getMessage() + ")");
    }
    return errors.isEmpty() ? List.of() : formatter.format(errors, rootPath);
  }

  private JsonSchemaChecker networknt() {
    JsonSchemaChecker checker = networknt;
    if (checker == null) {
      checker = compileWithNetworknt(plain.schema(), false);
      networknt = checker;
    }
    return checker;
  }

  private static SpecificationVersion dialectOf(JsonNode node) {
    JsonNode declared = node.get("$schema");
    if (declared == null) {
      return SpecificationVersion.DRAFT_2020_12;
    }
    if (!declared.isTextual()) {
      throw new IllegalArgumentException("invalid config schema: schema['$schema'] must be a string");
    }
    Optional<SpecificationVersion> version = SpecificationVersion.fromDialectId(declared.asText());
    return version.orElseThrow(() -> new IllegalArgumentException("invalid config schema: unsupported $schema \""
        + declared.asText() + "\"; use \"" + SpecificationVersion.DRAFT_2020_12.getDialectId()
        + "\" or leave it out"));
  }

  private static List<String> checkAgainstMetaSchema(Schema meta, JsonNode node) {
    List<Error> errors = meta.validate(node);
    return errors.isEmpty() ? List.of() : new SchemaErrorFormatter(meta.getSchemaNode()).format(errors, "schema");
  }

  /**
   * The schema without its {@code $schema}, which named the dialect whose registry compiles it ({@link #dialectOf}):
   * the same schema to that registry, which would otherwise load the meta-schema document to read the dialect it
   * already has.
   */
  private static JsonNode withoutDialectId(JsonNode node) {
    if (!(node instanceof ObjectNode object) || !object.has("$schema")) {
      return node;
    }
    ObjectNode copy = object.deepCopy();
    copy.remove("$schema");
    return copy;
  }

  private static String describe(SchemaException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (message.contains("is not allowed to be loaded")) {
      return message + " (a $ref may only point inside the schema)";
    }
    return message;
  }

  /**
   * A read-only copy; a value that is no JSON value throws {@link NotJson}, which gathers the path on its way out
   * (building every node's path up front was most of copying a schema on a cold start).
   */
  private static Object deepCopy(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || PlainSchemaChecker.isNumber(value)) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new NotJson("has a non-string key " + e.getKey());
        }
        try {
          copy.put(key, deepCopy(e.getValue()));
        } catch (NotJson notJson) {
          throw notJson.under(key);
        }
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        try {
          copy.add(deepCopy(list.get(i)));
        } catch (NotJson notJson) {
          throw notJson.under(i);
        }
      }
      return Collections.unmodifiableList(copy);
    }
    throw new NotJson("holds a " + value.getClass().getName());
  }

  /** What makes a schema no JSON value, and where (the keys and indexes from the inside out). */
  private static final class NotJson extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<Object> segments = new ArrayList<>();

    NotJson(String problem) {
      super(problem, null, false, false);
    }

    NotJson under(Object segment) {
      segments.add(segment);
      return this;
    }

    IllegalArgumentException describe(String root) {
      String path = root;
      for (int i = segments.size() - 1; i >= 0; i--) {
        Object segment = segments.get(i);
        path = segment instanceof Integer index ? ConfigPath.index(path, index)
            : ConfigPath.key(path, (String) segment);
      }
      String problem = getMessage();
      return problem.startsWith("has a non-string key")
          ? new IllegalArgumentException("config schema " + problem + " at " + path)
          : new IllegalArgumentException("config schema " + problem + " at " + path
              + "; only JSON values (maps, lists, strings, numbers, booleans, null) are allowed");
    }
  }

  private static String typeName(Object value) {
    if (value == null) {
      return "empty";
    }
    if (value instanceof List) {
      return "a list";
    }
    return "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
