package io.promokit.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks configs against the plain JSON Schemas most of promokit's own steps have - objects, lists and scalars
 * described by {@code type}, {@code properties}, {@code required}, {@code additionalProperties}, {@code items},
 * string-valued {@code enum}/{@code const}, length, size and bound keywords and local {@code $ref}s - with the
 * same results and messages as {@link JsonSchemaChecker}'s networknt path, without loading networknt or a JSON
 * tree: on a cold JVM that validator's set-up was the largest single cost of a {@code promokit validate}.
 *
 * <p>A schema with any other keyword ({@code anyOf}, {@code format}...) is not {@linkplain #of taken}, and goes
 * to networknt. Keywords are checked in networknt's order ({@code type}, {@code properties}, then the rest as
 * written). {@code PlainSchemaCheckerTest} compares the two checkers keyword by keyword, and architecture-tests'
 * {@code PlainSchemasTest} on every plain schema of promokit's steps.
 */
final class PlainSchemaChecker {

  /** Keywords that only annotate. */
  private static final Set<String> ANNOTATIONS = Set.of("$schema", "$comment", "title", "description", "default",
      "examples", "deprecated", "readOnly", "writeOnly", "$defs");
  private static final Set<String> TYPES = Set.of("string", "object", "array", "boolean", "null", "integer",
      "number");
  private static final Set<String> CHECKED = Set.of("type", "properties", "required", "additionalProperties",
      "items", "enum", "const", "minLength", "maxLength", "pattern", "minItems", "maxItems", "minimum", "maximum",
      "minProperties", "maxProperties", "$ref");

  private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

  private final Map<String, Object> root;
  /** The compiled {@code pattern}s, by regex; read-only once made. */
  private final Map<String, Pattern> patterns;

  private PlainSchemaChecker(Map<String, Object> root, Map<String, Pattern> patterns) {
    this.root = root;
    this.patterns = patterns;
  }

  /**
   * The checker for this draft 2020-12 schema, or empty when it uses anything this class does not check the
   * way networknt does.
   */
  static Optional<PlainSchemaChecker> of(Map<String, Object> schema) {
    Object dialect = schema.get("$schema");
    if (dialect != null && !DRAFT_2020_12.equals(dialect)) {
      return Optional.empty();
    }
    Map<String, Pattern> patterns = new HashMap<>();
    return supports(schema, schema, 0, patterns) ? Optional.of(new PlainSchemaChecker(schema, Map.copyOf(patterns)))
        : Optional.empty();
  }

  /** The schema it checks. */
  Map<String, Object> schema() {
    return root;
  }

  /**
   * Whether a value is made of JSON-like Java values only (maps with string keys, lists, strings, numbers,
   * booleans, null), which is what this class checks; anything else is left to networknt's conversion.
   */
  static boolean isJsonLike(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || isNumber(value)) {
      return true;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String) || !isJsonLike(entry.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (!isJsonLike(item)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** One message per problem, in the order networknt reports them; empty when the config is valid. */
  List<String> check(Object config, String rootPath) {
    List<String> problems = new ArrayList<>();
    check(root, config, rootPath, problems);
    return List.copyOf(new LinkedHashSet<>(problems));
  }

  private void check(Object schema, Object value, String path, List<String> problems) {
    if (schema instanceof Boolean allowed) {
      if (!allowed) {
        problems.add(SchemaMessages.notAllowed(path));
      }
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> rules = (Map<String, Object>) schema;
    // networknt checks type, then properties, then the other keywords in the order they are written.
    if (rules.containsKey("type")) {
      apply(rules, "type", rules.get("type"), value, path, problems);
    }
    if (rules.containsKey("properties")) {
      apply(rules, "properties", rules.get("properties"), value, path, problems);
    }
    for (Map.Entry<String, Object> rule : rules.entrySet()) {
      if (!rule.getKey().equals("type") && !rule.getKey().equals("properties")) {
        apply(rules, rule.getKey(), rule.getValue(), value, path, problems);
      }
    }
  }

  private void apply(Map<String, Object> rules, String keyword, Object arg, Object value, String path,
      List<String> problems) {
    switch (keyword) {
      case "$ref" -> check(resolve((String) arg), value, path, problems);
      case "type" -> {
        if (!hasType(value, arg)) {
          problems.add(SchemaMessages.type(path, SchemaMessages.expectedTypes(typeNames(arg)),
              SchemaMessages.describeType(value)));
        }
      }
      case "properties" -> {
        if (value instanceof Map<?, ?> object) {
          for (Map.Entry<?, ?> property : ((Map<?, ?>) arg).entrySet()) {
            if (object.containsKey(property.getKey())) {
              String name = (String) property.getKey();
              check(property.getValue(), object.get(name), ConfigPath.key(path, name), problems);
            }
          }
        }
      }
      case "required" -> {
        if (value instanceof Map<?, ?> object) {
          for (Object name : (List<?>) arg) {
            if (!object.containsKey(name)) {
              problems.add(SchemaMessages.required(path, (String) name));
            }
          }
        }
      }
      case "additionalProperties" -> additional(rules, arg, value, path, problems);
      case "items" -> {
        if (value instanceof List<?> list) {
          for (int i = 0; i < list.size(); i++) {
            check(arg, list.get(i), ConfigPath.index(path, i), problems);
          }
        }
      }
      case "enum" -> {
        if (!contains((List<?>) arg, value)) {
          problems.add(SchemaMessages.oneOf(path, shownEach((List<?>) arg), SchemaMessages.show(value)));
        }
      }
      case "const" -> {
        if (!arg.equals(value)) {
          problems.add(SchemaMessages.constant(path, SchemaMessages.show(arg), SchemaMessages.show(value)));
        }
      }
      case "minLength" -> {
        if (value instanceof String s && s.codePointCount(0, s.length()) < ((Number) arg).intValue()) {
          problems.add(SchemaMessages.minLength(path, arg, ((Number) arg).intValue(), SchemaMessages.show(value)));
        }
      }
      case "maxLength" -> {
        if (value instanceof String s && s.codePointCount(0, s.length()) > ((Number) arg).intValue()) {
          problems.add(SchemaMessages.maxLength(path, arg));
        }
      }
      case "pattern" -> {
        if (value instanceof String s && !patterns.get((String) arg).matcher(s).find()) {
          problems.add(SchemaMessages.pattern(path, (String) arg, SchemaMessages.show(value)));
        }
      }
      case "minItems" -> {
        if (value instanceof List<?> list && list.size() < ((Number) arg).intValue()) {
          problems.add(SchemaMessages.size(path, "at least", (Integer) arg, "item", String.valueOf(list.size())));
        }
      }
      case "maxItems" -> {
        if (value instanceof List<?> list && list.size() > ((Number) arg).intValue()) {
          problems.add(SchemaMessages.size(path, "at most", (Integer) arg, "item", String.valueOf(list.size())));
        }
      }
      case "minProperties" -> {
        if (value instanceof Map<?, ?> map && map.size() < ((Number) arg).intValue()) {
          problems.add(SchemaMessages.size(path, "at least", (Integer) arg, "field", String.valueOf(map.size())));
        }
      }
      case "maxProperties" -> {
        if (value instanceof Map<?, ?> map && map.size() > ((Number) arg).intValue()) {
          problems.add(SchemaMessages.size(path, "at most", (Integer) arg, "field", String.valueOf(map.size())));
        }
      }
      case "minimum" -> {
        if (isNumber(value) && (isNaN(value) || compare(value, arg) < 0)) {
          problems.add(SchemaMessages.bound(path, "at least", arg, SchemaMessages.show(value)));
        }
      }
      case "maximum" -> {
        if (isNumber(value) && (isNaN(value) || compare(value, arg) > 0)) {
          problems.add(SchemaMessages.bound(path, "at most", arg, SchemaMessages.show(value)));
        }
      }
      default -> {
        // an annotation
      }
    }
  }

  private void additional(Map<String, Object> rules, Object arg, Object value, String path, List<String> problems) {
    if (!(value instanceof Map<?, ?> object)) {
      return;
    }
    Map<?, ?> declared = rules.get("properties") instanceof Map<?, ?> properties ? properties : Map.of();
    for (Map.Entry<?, ?> field : object.entrySet()) {
      String name = String.valueOf(field.getKey());
      if (declared.containsKey(name)) {
        continue;
      }
      if (Boolean.FALSE.equals(arg)) {
        Collection<?> known = rules.containsKey("properties") ? declared.keySet() : null;
        problems.add(SchemaMessages.unknownField(path, name, known));
      } else {
        check(arg, field.getValue(), ConfigPath.key(path, name), problems);
      }
    }
  }

  private Object resolve(String ref) {
    Object node = root;
    for (String part : ref.substring(2).split("/")) {
      node = ((Map<?, ?>) node).get(part.replace("~1", "/").replace("~0", "~"));
    }
    return node;
  }

  private static boolean hasType(Object value, Object type) {
    if (type instanceof List<?> types) {
      for (Object t : types) {
        if (hasType(value, t)) {
          return true;
        }
      }
      return false;
    }
    return switch ((String) type) {
      case "string" -> value instanceof String;
      case "object" -> value instanceof Map;
      case "array" -> value instanceof List;
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == null;
      case "integer" -> isInteger(value) || isIntegralDecimal(value);
      case "number" -> isNumber(value);
      default -> false;
    };
  }

  /** An integral Java number (not a float that holds a whole number). */
  static boolean isInteger(Object value) {
    return value instanceof Integer || value instanceof Long || value instanceof BigInteger || value instanceof Short
        || value instanceof Byte;
  }

  /** 2.0 is an integer to JSON Schema (draft 6 on), and to networknt. */
  private static boolean isIntegralDecimal(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) && d == Math.rint(d);
    }
    return value instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0;
  }

  /** A Java number of the kinds JSON values are read as. */
  static boolean isNumber(Object value) {
    return isInteger(value) || value instanceof Double || value instanceof Float || value instanceof BigDecimal;
  }

  /** YAML's {@code .nan} is within no bound. */
  private static boolean isNaN(Object value) {
    return (value instanceof Double d && d.isNaN()) || (value instanceof Float f && f.isNaN());
  }

  /** A number against a bound: exactly, with YAML's {@code .inf} and {@code -.inf} as infinities. */
  private static int compare(Object value, Object bound) {
    if ((value instanceof Double || value instanceof Float) && Double.isInfinite(((Number) value).doubleValue())) {
      return ((Number) value).doubleValue() > 0 ? 1 : -1;
    }
    return decimal(value).compareTo(decimal(bound));
  }

  private static BigDecimal decimal(Object number) {
    return number instanceof BigDecimal d ? d : number instanceof BigInteger b ? new BigDecimal(b)
        : isInteger(number) ? BigDecimal.valueOf(((Number) number).longValue())
        : BigDecimal.valueOf(((Number) number).doubleValue());
  }

  /** Whether every keyword of the schema (down to {@code depth} 64) is one this class checks exactly. */
  private static boolean supports(Map<String, Object> root, Object schema, int depth, Map<String, Pattern> patterns) {
    if (schema instanceof Boolean) {
      return true;
    }
    if (!(schema instanceof Map<?, ?> rules) || depth > 64) {
      return false;
    }
    for (Map.Entry<?, ?> rule : rules.entrySet()) {
      String keyword = (String) rule.getKey();
      Object arg = rule.getValue();
      boolean supported = ANNOTATIONS.contains(keyword)
          ? !keyword.equals("$defs") || arg instanceof Map
          : CHECKED.contains(keyword) && supportsArgument(root, keyword, arg, depth, patterns);
      if (!supported) {
        return false;
      }
    }
    return true;
  }

  private static boolean supportsArgument(Map<String, Object> root, String keyword, Object arg, int depth,
      Map<String, Pattern> patterns) {
    switch (keyword) {
      case "type":
        return isTypeName(arg) || (arg instanceof List<?> types && !types.isEmpty() && all(types, TYPE_NAME));
      case "properties":
        if (!(arg instanceof Map<?, ?> properties)) {
          return false;
        }
        for (Object property : properties.values()) {
          if (!supports(root, property, depth + 1, patterns)) {
            return false;
          }
        }
        return true;
      case "required":
        return arg instanceof List<?> names && all(names, STRING);
      case "additionalProperties":
      case "items":
        return supports(root, arg, depth + 1, patterns);
      case "enum":
        return arg instanceof List<?> values && !values.isEmpty() && all(values, PLAIN_CONSTANT);
      case "const":
        return arg instanceof String || arg instanceof Boolean;
      case "minLength":
      case "maxLength":
      case "minItems":
      case "maxItems":
      case "minProperties":
      case "maxProperties":
        return arg instanceof Integer n && n >= 0;
      case "minimum":
      case "maximum":
        return arg instanceof Integer || arg instanceof Long;
      case "pattern":
        return arg instanceof String regex && compile(regex, patterns);
      case "$ref":
        if (!(arg instanceof String ref) || !ref.startsWith("#/$defs/") || ref.indexOf('/', 8) >= 0
            || !(root.get("$defs") instanceof Map<?, ?> defs) || !defs.containsKey(ref.substring(8))) {
          return false;
        }
        return supports(root, defs.get(ref.substring(8)), depth + 1, patterns);
      default:
        return false;
    }
  }

  private static final int TYPE_NAME = 0;
  private static final int STRING = 1;
  private static final int PLAIN_CONSTANT = 2;

  /** Whether every value is of the kind (a loop, not a stream: this runs on every cold start). */
  private static boolean all(List<?> values, int kind) {
    for (Object value : values) {
      boolean ok = switch (kind) {
        case TYPE_NAME -> isTypeName(value);
        case STRING -> value instanceof String;
        default -> value == null || value instanceof String || value instanceof Boolean;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean compile(String regex, Map<String, Pattern> patterns) {
    try {
      patterns.putIfAbsent(regex, Pattern.compile(regex));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A {@code type}'s names: one, or a list of them. */
  private static List<String> typeNames(Object type) {
    List<String> names = new ArrayList<>();
    if (type instanceof List<?> list) {
      for (Object name : list) {
        names.add((String) name);
      }
    } else {
      names.add((String) type);
    }
    return names;
  }

  private static List<String> shownEach(List<?> values) {
    List<String> shown = new ArrayList<>(values.size());
    for (Object value : values) {
      shown.add(SchemaMessages.show(value));
    }
    return shown;
  }

  private static boolean contains(List<?> values, Object value) {
    for (Object allowed : values) {
      if (java.util.Objects.equals(allowed, value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTypeName(Object type) {
    return type instanceof String name && TYPES.contains(name);
  }
}
