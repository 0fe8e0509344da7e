package io.promokit.internal;

import io.promokit.expressions.ClosestNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The wording of config-schema problems, for both checkers: {@link SchemaErrorFormatter} (networknt's errors,
 * values as JSON trees) and {@link PlainSchemaChecker} (Java values). Each checker shows its values itself
 * ({@code shown}: compact JSON, cut at {@link #MAX_VALUE_LENGTH}; {@code actual}: "a string", "a list"...), so one
 * problem reads the same whichever checked it. Every message starts with the config path.
 */
final class SchemaMessages {

  static final int MAX_VALUE_LENGTH = 60;
  private static final int MAX_LISTED_FIELDS = 12;

  private SchemaMessages() {}

  static String required(String path, String field) {
    return ConfigPath.key(path, field) + ": is required";
  }

  /**
   * An unknown field, with "; did you mean "overwrite"?" or "; known fields: a, b" from the names of the
   * {@code properties} next to the rule (null when there are none).
   */
  static String unknownField(String path, String field, Collection<?> names) {
    return ConfigPath.key(path, field) + ": is not a known field" + knownFields(names, field);
  }

  static String notAllowed(String path) {
    return path + ": is not allowed";
  }

  /** @param expected from {@link #expectedTypes} */
  static String type(String path, String expected, String actual) {
    return path + ": must be " + expected + ", but was " + actual;
  }

  /** "a string or null" from JSON Schema type names. */
  static String expectedTypes(List<String> typeNames) {
    List<String> types = new ArrayList<>();
    for (String name : typeNames) {
      types.add(article(name));
    }
    return String.join(" or ", types);
  }

  static String oneOf(String path, List<String> shownAllowed, String shown) {
    return path + ": must be one of " + String.join(", ", shownAllowed) + ", but was " + shown;
  }

  static String constant(String path, String shownRule, String shown) {
    return path + ": must be " + shownRule + ", but was " + shown;
  }

  static String minLength(String path, Object rule, int min, String shown) {
    return min == 1 ? path + ": must not be empty"
        : path + ": must be at least " + rule + " characters long, but was " + shown;
  }

  static String maxLength(String path, Object rule) {
    return path + ": must be at most " + rule + " characters long";
  }

  static String pattern(String path, String regex, String shown) {
    return path + ": must match the pattern " + regex + ", but was " + shown;
  }

  /** @param bound "at least" or "at most" */
  static String size(String path, String bound, int rule, String unit, String actual) {
    return path + ": must have " + bound + " " + plural(rule, unit) + ", but had " + actual;
  }

  /** @param bound "at least" or "at most" */
  static String bound(String path, String bound, Object rule, String shown) {
    return path + ": must be " + bound + " " + rule + ", but was " + shown;
  }

  static String article(String jsonType) {
    return switch (jsonType) {
      case "object" -> "an object";
      case "array" -> "a list";
      case "integer" -> "an integer";
      case "null" -> "null";
      default -> "a " + jsonType;
    };
  }

  /** A Java value's JSON type, as messages name it. */
  static String describeType(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (PlainSchemaChecker.isInteger(value)) {
      return "an integer";
    }
    return value instanceof Number ? "a number"
        : "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /** A Java value as compact JSON, cut at {@link #MAX_VALUE_LENGTH} characters. */
  static String show(Object value) {
    return truncate(JsonTrees.toTree(value).toString());
  }

  static String truncate(String json) {
    return json.length() > MAX_VALUE_LENGTH ? json.substring(0, MAX_VALUE_LENGTH) + "…" : json;
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  private static String knownFields(Collection<?> names, String unknown) {
    if (names == null) {
      return "";
    }
    if (names.isEmpty()) {
      return " (no fields are allowed here)";
    }
    String closest = null;
    int closestDistance = Integer.MAX_VALUE;
    List<String> all = new ArrayList<>();
    for (Object name : names) {
      String n = String.valueOf(name);
      all.add(n);
      int distance = ClosestNames.distance(unknown, n);
      if (distance <= Math.max(1, Math.min(3, n.length() / 3)) && distance < closestDistance) {
        closest = n;
        closestDistance = distance;
      }
    }
    if (closest != null) {
      return "; did you mean \"" + closest + "\"?";
    }
    return all.size() > MAX_LISTED_FIELDS ? "" : "; known fields: " + String.join(", ", all);
  }
}
