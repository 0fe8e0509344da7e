package io.promokit.expressions.internal;

import io.promokit.expressions.SemanticVersion;
import java.util.List;
import java.util.Map;

/**
 * Member and index access with expr-lang semantics: a missing map key is nil, list indexes may be negative
 * (counting from the end), reading anything from nil or from a value that is not a map, list or string is an
 * error naming the expression part.
 */
final class Access {
  private Access() {}

  /** Whether {@link #get} handles this pair without needing the error path (used by the JEXL fast path). */
  static boolean isPlain(Object obj, Object key) {
    return obj instanceof Map || (Values.isIntegral(key) && (Values.isList(obj) || obj instanceof String));
  }

  static Object get(Object obj, Object key, String text) {
    if (obj instanceof Map) {
      return ((Map<?, ?>) obj).get(mapKey(key, text));
    }
    if (obj == null) {
      throw new EvalError(text + " is null, cannot read " + describeKey(key));
    }
    if (Values.isList(obj) || obj instanceof String) {
      if (!Values.isIntegral(key)) {
        throw new EvalError(text + " is " + Values.aTypeName(obj) + ", cannot read " + describeKey(key));
      }
      long i = Values.toLong(key, "an index");
      if (obj instanceof String) {
        // Go's s[i]: the UTF-8 byte at i, a number.
        String s = (String) obj;
        int n = Utf8.length(s);
        long idx = i < 0 ? n + i : i;
        if (idx < 0 || idx >= n) {
          throw new EvalError("index " + i + " is out of range for " + text + " (a string of " + n + " bytes)");
        }
        return Utf8.byteAt(s, (int) idx);
      }
      List<?> l = Values.asList(obj);
      int n = l.size();
      long idx = i < 0 ? n + i : i;
      if (idx < 0 || idx >= n) {
        throw outOfRange(i, text, "list", n);
      }
      return l.get((int) idx);
    }
    if (obj instanceof SemanticVersion && key instanceof String) {
      throw new EvalError(text + " is a version, cannot read \"" + key + "\" (call its methods with parentheses, "
          + "for example " + text + ".String())");
    }
    throw new EvalError(text + " is " + Values.aTypeName(obj) + ", cannot read " + describeKey(key));
  }

  /**
   * A key to look up in a map: maps here are expr-lang's {@code map[string]any}, so a key must be a string
   * (Go fails on any other); nil looks up the empty string, Go's zero string.
   */
  static Object mapKey(Object key, String text) {
    if (key == null) {
      return "";
    }
    if (key instanceof String) {
      return key;
    }
    throw new EvalError("cannot use " + Values.describe(key) + " as a key of " + text + " (map keys are strings)");
  }

  private static EvalError outOfRange(long i, String text, String kind, int n) {
    return new EvalError("index " + i + " is out of range for " + text + " (a " + kind + " of length " + n + ")");
  }

  static String describeKey(Object key) {
    if (key instanceof String) {
      return Strings.goQuote((String) key);
    }
    if (Values.isIntegral(key)) {
      return "index " + key;
    }
    return Values.describe(key);
  }
}
