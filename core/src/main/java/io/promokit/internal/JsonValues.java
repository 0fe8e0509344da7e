package io.promokit.internal;

import io.promokit.expressions.Quoting;
import io.promokit.expressions.SecretMasker;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep copies of JSON-like values: masked for records and events, normalized so they round-trip through JSON. */
public final class JsonValues {
  private JsonValues() {}

  /**
   * A deep copy with every string masked and numbers in the forms a JSON round trip gives back (Long,
   * BigInteger, Double).
   */
  public static Object forRecord(Object value, SecretMasker masker) {
    if (value instanceof String s) {
      return masker == null ? s : masker.mask(s);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(masker == null ? String.valueOf(k) : masker.mask(String.valueOf(k)),
          forRecord(v, masker)));
      return copy;
    }
    if (value instanceof Collection<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(forRecord(v, masker)));
      return copy;
    }
    if (value instanceof Object[] array) {
      return forRecord(List.of(array), masker);
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (value instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    if (value == null || value instanceof Number || value instanceof Boolean || masker == null) {
      return value;
    }
    return masker.mask(value.toString());
  }

  /** The same deep copy without masking: numbers as a JSON round trip gives them back, maps and lists copied. */
  public static Object normalize(Object value) {
    return forRecord(value, null);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> mapForRecord(Map<String, ?> value, SecretMasker masker) {
    return (Map<String, Object>) forRecord(value, masker);
  }

  /** A value as JSON text on one line: strings quoted and escaped, maps and lists in JSON syntax. */
  public static String toJson(Object value) {
    StringBuilder sb = new StringBuilder();
    appendJson(sb, value);
    return sb.toString();
  }

  private static void appendJson(StringBuilder sb, Object value) {
    if (value instanceof String s) {
      sb.append(Quoting.json(s));
    } else if (value instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(first ? "" : ", ").append(Quoting.json(String.valueOf(e.getKey()))).append(": ");
        appendJson(sb, e.getValue());
        first = false;
      }
      sb.append('}');
    } else if (value instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        sb.append(i == 0 ? "" : ", ");
        appendJson(sb, list.get(i));
      }
      sb.append(']');
    } else if (value instanceof Double d) {
      sb.append(d.isNaN() || d.isInfinite() ? Quoting.json(d.toString()) : jsonNumber(d));
    } else {
      sb.append(value);
    }
  }

  /** A double as JSON writes it: integral values keep a {@code .0}. */
  public static String jsonNumber(double d) {
    return Double.toString(d);
  }

  /**
   * A finite double as the file-editing steps write it: a whole number below 1e21 as its digits ({@code 123},
   * not {@code 123.0}: Kargo's values come through JSON as float64, and Go writes a whole float64 without a
   * fraction), anything else in Java's shortest form ({@code 1.5}, {@code 1.0E21}).
   */
  public static String wholeAsDigits(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return d == 0 ? "0" : new BigDecimal(d).toBigInteger().toString();
    }
    return Double.toString(d);
  }
}
