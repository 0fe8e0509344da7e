package io.promokit.internal;

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
}
