package io.promokit.steps.manifests.internal.helm;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code digest} of a Chart.lock as Helm computes it ({@code resolver.HashReq}): the SHA-256 of Go's
 * {@code json.Marshal} of the pair (Chart.yaml's dependencies, the locked dependencies), each dependency
 * serialised as Helm's {@code chart.Dependency} struct: fields in its order, empty ones left out, strings
 * cleaned as Helm's chart loader does and escaped as Go does ({@code <}, {@code >} and {@code &} too).
 *
 * <p>The dependencies come as Jackson read them from YAML. Where a YAML value could be read differently (a
 * float where Helm expects a string), callers check the digest against one Helm computed for the same chart
 * before relying on it ({@link ShadowChart}).
 */
final class ChartLockDigest {

  private ChartLockDigest() {}

  /** {@code sha256:<hex>} for the dependencies of Chart.yaml and those of the lock. */
  static String of(List<Map<String, Object>> requested, List<Map<String, Object>> locked) {
    StringBuilder json = new StringBuilder("[");
    dependencies(json, requested, true);
    json.append(',');
    dependencies(json, locked, false);
    json.append(']');
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(json.toString().getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void dependencies(StringBuilder json, List<Map<String, Object>> list, boolean fromChartYaml) {
    if (list == null) {
      json.append("null");
      return;
    }
    json.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      dependency(json, list.get(i), fromChartYaml);
    }
    json.append(']');
  }

  /** One {@code chart.Dependency}: name, version, repository, condition, tags, enabled, import-values, alias. */
  private static void dependency(StringBuilder json, Map<String, Object> dependency, boolean clean) {
    json.append("{\"name\":");
    string(json, field(dependency, "name", clean));
    String version = field(dependency, "version", clean);
    if (!version.isEmpty()) {
      json.append(",\"version\":");
      string(json, version);
    }
    json.append(",\"repository\":");
    string(json, field(dependency, "repository", clean));
    String condition = field(dependency, "condition", clean);
    if (!condition.isEmpty()) {
      json.append(",\"condition\":");
      string(json, condition);
    }
    if (dependency.get("tags") instanceof List<?> tags && !tags.isEmpty()) {
      json.append(",\"tags\":[");
      for (int i = 0; i < tags.size(); i++) {
        if (i > 0) {
          json.append(',');
        }
        string(json, clean ? sanitize(goString(tags.get(i))) : goString(tags.get(i)));
      }
      json.append(']');
    }
    if (Boolean.TRUE.equals(dependency.get("enabled"))) {
      json.append(",\"enabled\":true");
    }
    if (dependency.get("import-values") instanceof List<?> values && !values.isEmpty()) {
      json.append(",\"import-values\":");
      value(json, values);
    }
    String alias = goString(dependency.get("alias"));
    if (!alias.isEmpty()) {
      json.append(",\"alias\":");
      string(json, alias);
    }
    json.append('}');
  }

  private static String field(Map<String, Object> dependency, String name, boolean clean) {
    String value = goString(dependency.get(name));
    return clean ? sanitize(value) : value;
  }

  /** A YAML scalar in a Go string field, as sigs.k8s.io/yaml converts it. */
  static String goString(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e7 ? Long.toString((long) d) : Float.toString((float) d);
    }
    if (value instanceof BigDecimal decimal) {
      return goString(decimal.doubleValue());
    }
    return value.toString();
  }

  /** Helm's {@code sanitizeString}: white space becomes a space, what is not printable goes. */
  static String sanitize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (isGoSpace(c)) {
        out.append(' ');
      } else if (isGoPrint(c)) {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  private static boolean isGoSpace(int c) {
    return switch (c) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0 -> true;
      default -> c > 0xFF && (Character.getType(c) == Character.SPACE_SEPARATOR
          || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR);
    };
  }

  /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  private static boolean isGoPrint(int c) {
    if (c == ' ') {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
      default -> false;
    };
  }

  /** A value of {@code import-values} ({@code interface{}} in Go: JSON numbers are float64, maps sorted). */
  private static void value(StringBuilder json, Object value) {
    if (value == null) {
      json.append("null");
    } else if (value instanceof String s) {
      string(json, s);
    } else if (value instanceof Boolean b) {
      json.append(b);
    } else if (value instanceof Number n) {
      json.append(goFloat(n));
    } else if (value instanceof List<?> list) {
      json.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          json.append(',');
        }
        value(json, list.get(i));
      }
      json.append(']');
    } else if (value instanceof Map<?, ?> map) {
      json.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> entry : new TreeMap<String, Object>(stringKeys(map)).entrySet()) {
        if (!first) {
          json.append(',');
        }
        first = false;
        string(json, entry.getKey());
        json.append(':');
        value(json, entry.getValue());
      }
      json.append('}');
    } else {
      string(json, value.toString());
    }
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> keys = new TreeMap<>();
    map.forEach((k, v) -> keys.put(String.valueOf(k), v));
    return keys;
  }

  /** A float64 as Go's JSON encoder writes it (integers without a fraction). */
  private static String goFloat(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
        || n instanceof BigInteger) {
      return n.toString();
    }
    BigDecimal decimal = new BigDecimal(n.toString()).stripTrailingZeros();
    return decimal.scale() <= 0 ? decimal.toBigInteger().toString() : decimal.toPlainString();
  }

  /** A string as Go's {@code json.Marshal} escapes it (HTML characters and U+2028/9 included). */
  private static void string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        case '<', '>', '&', '\u2028', '\u2029' -> json.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
