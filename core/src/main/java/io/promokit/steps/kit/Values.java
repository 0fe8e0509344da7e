package io.promokit.steps.kit;

import io.promokit.internal.JsonValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-like values as steps handle them: integers as {@link Long} (or {@link BigInteger}), other numbers as
 * {@link Double}, maps with string keys in order, lists, strings, booleans and null.
 */
final class Values {

  private Values() {}

  /** The value with Integer/Short/Byte widened to Long, Float to Double, and maps and lists copied likewise. */
  static Object normalize(Object value) {
    return JsonValues.normalize(value);
  }

  /** A value as JSON text on one line, for messages. */
  static String toJson(Object value) {
    return JsonValues.toJson(value);
  }

  /** {@code {a: {b: value}}} for the parts {@code a.b}. */
  static Map<String, Object> nest(List<KeyPath.Part> parts, Object value) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(parts.get(0).name(), nestValue(parts.subList(1, parts.size()), value));
    return map;
  }

  /** {@code value} itself for no parts, else {@link #nest}. */
  static Object nestValue(List<KeyPath.Part> parts, Object value) {
    return parts.isEmpty() ? value : nest(parts, value);
  }

  /**
   * Whether two values read back the same: numbers by value ({@code 3} equals {@code 3.0}), map keys by their
   * text, lists item by item.
   */
  static boolean same(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Number x && b instanceof Number y) {
      if (!Double.isFinite(x.doubleValue()) || !Double.isFinite(y.doubleValue())) {
        return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
      }
      return toBigDecimal(x).compareTo(toBigDecimal(y)) == 0;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Map<String, Object> byText = new LinkedHashMap<>();
      y.forEach((k, v) -> byText.put(String.valueOf(k), v));
      for (Map.Entry<?, ?> e : x.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (!byText.containsKey(key) || !same(e.getValue(), byText.get(key))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<?> i = x.iterator();
      Iterator<?> j = y.iterator();
      while (i.hasNext()) {
        if (!same(i.next(), j.next())) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** The value at {@code parts} in a document read back as Java values; -1 means the last list item. */
  static Object at(Object document, List<KeyPath.Part> parts) {
    Object current = document;
    for (KeyPath.Part part : parts) {
      if (current instanceof Map<?, ?> map) {
        Object next = null;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (String.valueOf(e.getKey()).equals(part.name())) {
            next = e.getValue();
          }
        }
        current = next;
      } else if (current instanceof List<?> list && part.index() != null) {
        int index = part.index() == -1 ? list.size() - 1 : part.index();
        current = index >= 0 && index < list.size() ? list.get(index) : null;
      } else {
        return null;
      }
    }
    return current;
  }

  private static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Double || n instanceof Float) {
      return BigDecimal.valueOf(n.doubleValue());
    }
    return BigDecimal.valueOf(n.longValue());
  }
}
