package io.promokit.expressions.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.promokit.expressions.Quoting;
import io.promokit.expressions.SemanticVersion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON as Go's encoding/json writes it (sorted keys, no spaces, integral numbers without a decimal point,
 * {@code MarshalIndent} with two spaces for the pretty form), and strict JSON parsing into plain values.
 */
final class Json {
  private Json() {}

  private static final int MAX_DEPTH = 1000;

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** Compact JSON with sorted keys. */
  static String compact(Object v) {
    return compact(v, Long.MAX_VALUE);
  }

  /** Compact JSON with sorted keys, failing once it would be longer than {@code maxChars}. */
  static String compact(Object v, long maxChars) {
    StringBuilder sb = new StringBuilder();
    write(sb, v, null, 0, Walk.start(), maxChars);
    return sb.toString();
  }

  /** Pretty JSON (two-space indent, sorted keys, {@code "key": value}), without a trailing newline. */
  static String pretty(Object v, long maxChars) {
    StringBuilder sb = new StringBuilder();
    write(sb, v, "", 0, Walk.start(), maxChars);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, String indent, int depth, Walk walk, long maxChars) {
    walk.step();
    if (sb.length() > maxChars) {
      throw new EvalError("the JSON text would have more than " + maxChars + " characters, the limit");
    }
    if (depth > MAX_DEPTH) {
      throw new EvalError("cannot convert a value nested more than " + MAX_DEPTH + " levels deep to JSON");
    }
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String || v instanceof Character) {
      string(sb, v.toString());
    } else if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Long || v instanceof Integer || v instanceof BigInteger || v instanceof Short
        || v instanceof Byte) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      sb.append(Strings.jsonFloat(((Number) v).doubleValue()));
    } else if (v instanceof BigDecimal) {
      BigDecimal bd = ((BigDecimal) v).stripTrailingZeros();
      sb.append(bd.scale() <= 0 ? bd.toBigInteger().toString() : Strings.jsonFloat(bd.doubleValue()));
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      List<Map.Entry<String, Object>> entries = new ArrayList<>(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        entries.add(Map.entry(String.valueOf(e.getKey()), e.getValue() == null ? NULL : e.getValue()));
      }
      entries.sort(Map.Entry.comparingByKey());
      sb.append('{');
      String inner = indent == null ? null : indent + "  ";
      boolean first = true;
      for (Map.Entry<String, Object> e : entries) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        if (inner != null) {
          sb.append('\n').append(inner);
        }
        string(sb, e.getKey());
        sb.append(inner != null ? ": " : ":");
        write(sb, e.getValue() == NULL ? null : e.getValue(), inner, depth + 1, walk, maxChars);
      }
      if (indent != null) {
        sb.append('\n').append(indent);
      }
      sb.append('}');
    } else if (Values.isList(v)) {
      List<?> l = Values.asList(v);
      if (l.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append('[');
      String inner = indent == null ? null : indent + "  ";
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        if (inner != null) {
          sb.append('\n').append(inner);
        }
        write(sb, l.get(i), inner, depth + 1, walk, maxChars);
      }
      if (indent != null) {
        sb.append('\n').append(indent);
      }
      sb.append(']');
    } else if (v instanceof SemanticVersion) {
      string(sb, ((SemanticVersion) v).canonical());
    } else if (v instanceof OffsetDateTime) {
      string(sb, GoTime.rfc3339((OffsetDateTime) v));
    } else if (v instanceof Duration) {
      sb.append(GoDuration.nanos((Duration) v));
    } else {
      throw new EvalError("cannot convert a " + Values.typeName(v) + " to JSON");
    }
  }

  private static final Object NULL = new Object();

  private static void string(StringBuilder sb, String s) {
    sb.append(Quoting.json(s));
  }

  /**
   * Parses strict JSON into plain values (LinkedHashMap, ArrayList, String, Long/BigInteger, Double,
   * Boolean, null).
   *
   * @throws IllegalArgumentException with the parser's reason when the text is not JSON
   */
  static Object parse(String text) {
    try {
      Object v = MAPPER.readValue(text, Object.class);
      return Values.normalize(checkFinite(v));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  private static Object checkFinite(Object v) {
    if (v instanceof Double && (((Double) v).isInfinite() || ((Double) v).isNaN())) {
      throw new IllegalArgumentException("number out of range");
    }
    if (v instanceof Map) {
      ((Map<?, ?>) v).values().forEach(Json::checkFinite);
    } else if (v instanceof List) {
      ((List<?>) v).forEach(Json::checkFinite);
    }
    return v;
  }
}
