package io.promokit.internal;

import io.promokit.expressions.ClosestNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The config-schema problem messages both checkers give ({@link SchemaErrorFormatter} for networknt's errors,
 * {@link PlainSchemaChecker} for its own), for Java values: each starts with the config path.
 */
final class SchemaMessages {

  static final int MAX_VALUE_LENGTH = 60;
  private static final int MAX_LISTED_FIELDS = 12;

  String type(String path, Object rule, Object value) {
    List<String> types = new ArrayList<>();
    if (rule instanceof List<?> list) {
      for (Object t : list) {
        types.add(article(String.valueOf(t)));
      }
    } else {
      types.add(article(String.valueOf(rule)));
    }
    return path + ": must be " + String.join(" or ", types) + ", but was " + describeType(value);
  }

  String oneOf(String path, List<?> allowed, Object value) {
    List<String> shown = new ArrayList<>();
    for (Object v : allowed) {
      shown.add(show(v));
    }
    return path + ": must be one of " + String.join(", ", shown) + ", but was " + show(value);
  }

  String constant(String path, Object rule, Object value) {
    return path + ": must be " + show(rule) + ", but was " + show(value);
  }

  String minLength(String path, Number rule, Object value) {
    return rule.intValue() == 1 ? path + ": must not be empty"
        : path + ": must be at least " + rule + " characters long, but was " + show(value);
  }

  String pattern(String path, String regex, Object value) {
    return path + ": must match the pattern " + regex + ", but was " + show(value);
  }

  String size(String path, String bound, Number rule, String unit, int actual) {
    return path + ": must have " + bound + " " + plural(rule.intValue(), unit) + ", but had " + actual;
  }

  String bound(String path, String bound, Object rule, Object value) {
    return path + ": must be " + bound + " " + rule + ", but was " + show(value);
  }

  /**
   * "; did you mean "overwrite"?" or "; known fields: a, b" for an unknown field, from the names of the
   * {@code properties} next to the rule (null when there are none).
   */
  String knownFields(Collection<?> names, String unknown) {
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

  static String article(String jsonType) {
    return switch (jsonType) {
      case "object" -> "an object";
      case "array" -> "a list";
      case "integer" -> "an integer";
      case "null" -> "null";
      default -> "a " + jsonType;
    };
  }

  private static String describeType(Object value) {
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
    if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger
        || value instanceof Short || value instanceof Byte) {
      return "an integer";
    }
    return value instanceof Number ? "a number" : "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /** The value as compact JSON, cut at {@link #MAX_VALUE_LENGTH} characters. */
  static String show(Object value) {
    return truncate(JsonTrees.toTree(value).toString());
  }

  static String truncate(String json) {
    return json.length() > MAX_VALUE_LENGTH ? json.substring(0, MAX_VALUE_LENGTH) + "…" : json;
  }

  static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
