package io.promokit.expressions.internal;

import io.promokit.expressions.SemanticVersion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** expr-lang value semantics on plain Java values: type names, numbers, equality, ordering. */
final class Values {
  private Values() {}

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** The expr-lang-style name of a value's type, for messages. */
  static String typeName(Object v) {
    if (v == null) {
      return "nil";
    }
    if (v instanceof String || v instanceof Character) {
      return "string";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (isIntegral(v)) {
      return "int";
    }
    if (v instanceof Number) {
      return "float";
    }
    if (v instanceof Map) {
      return "map";
    }
    if (v instanceof List || v instanceof Collection || v.getClass().isArray()) {
      return "list";
    }
    if (v instanceof SemanticVersion) {
      return "version";
    }
    if (v instanceof OffsetDateTime) {
      return "time";
    }
    if (v instanceof Duration) {
      return "duration";
    }
    if (v instanceof org.apache.commons.jexl3.JexlScript) {
      return "predicate";
    }
    return "value";
  }

  /** The type name with its article: "an int", "a string". */
  static String aTypeName(Object v) {
    String type = typeName(v);
    return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  /** The type name with a short rendering of the value, e.g. {@code int (42)}. */
  static String describe(Object v) {
    String type = typeName(v);
    if (v == null) {
      return type;
    }
    String text;
    try {
      text = v instanceof String ? Strings.goQuote((String) v) : Json.compact(v, 200);
    } catch (RuntimeException e) {
      return type;
    }
    if (text.length() > 40) {
      text = text.substring(0, 37) + "...";
    }
    return type + " " + text;
  }

  static boolean isIntegral(Object v) {
    return v instanceof Long || v instanceof Integer || v instanceof BigInteger || v instanceof Short
        || v instanceof Byte;
  }

  static boolean isFloating(Object v) {
    return v instanceof Double || v instanceof Float || v instanceof BigDecimal;
  }

  static boolean isNumber(Object v) {
    return isIntegral(v) || isFloating(v);
  }

  /** A BigInteger as a Long when it fits. */
  static Number narrow(BigInteger b) {
    if (b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0) {
      return b.longValue();
    }
    return b;
  }

  static BigInteger toBigInteger(Object v) {
    if (v instanceof BigInteger) {
      return (BigInteger) v;
    }
    return BigInteger.valueOf(((Number) v).longValue());
  }

  static double toDouble(Object v) {
    return ((Number) v).doubleValue();
  }

  /**
   * Go's encoding/json prints a float64 without an exponent below 1e21, so a whole float below that is
   * written like an integer; from there on it is written with an exponent and stays a float.
   */
  private static final double GO_EXPONENT_FROM = 1e21;

  /**
   * A double as the integer it equals (Long, or BigInteger beyond long range) when it is whole and below
   * 1e21 in magnitude, the way Go's JSON writes it ({@code 2.0} is {@code 2}, {@code -0.0} is {@code 0});
   * otherwise the double itself.
   */
  static Object wholeAsInteger(double d) {
    if (!Double.isNaN(d) && !Double.isInfinite(d) && d == Math.rint(d) && Math.abs(d) < GO_EXPONENT_FROM) {
      return narrow(new BigDecimal(d).toBigInteger());
    }
    return d;
  }

  /** Whether a finite double is written by Go's JSON with an exponent (magnitude 1e21 or more). */
  static boolean goWritesWithExponent(double d) {
    return Math.abs(d) >= GO_EXPONENT_FROM;
  }

  /** Numbers normalised: integral to Long/BigInteger, floating to Double. */
  static Object normalizeNumber(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger) {
      return narrow((BigInteger) v);
    }
    if (v instanceof Float || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    }
    return v;
  }

  /**
   * Deep normalisation of a result: numbers as Long/BigInteger/Double, arrays and collections as Lists,
   * maps with String keys. Values that need no change are returned as they are (no copy).
   */
  static Object normalize(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    return normalize(v, Walk.start());
  }

  private static Object normalize(Object v, Walk walk) {
    walk.step();
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof Number) {
      return normalizeNumber(v);
    }
    if (v instanceof Character) {
      return v.toString();
    }
    if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      Map<String, Object> copy = null;
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object nv = normalize(e.getValue(), walk);
        boolean keyOk = e.getKey() instanceof String;
        if (copy == null && (nv != e.getValue() || !keyOk)) {
          copy = new LinkedHashMap<>();
          int j = 0;
          for (Map.Entry<?, ?> prev : m.entrySet()) {
            if (j++ == i) {
              break;
            }
            copy.put(String.valueOf(prev.getKey()), prev.getValue());
          }
        }
        if (copy != null) {
          copy.put(String.valueOf(e.getKey()), nv);
        }
        i++;
      }
      return copy == null ? v : copy;
    }
    if (v instanceof List) {
      List<?> l = (List<?>) v;
      List<Object> copy = null;
      for (int i = 0; i < l.size(); i++) {
        Object nv = normalize(l.get(i), walk);
        if (copy == null && nv != l.get(i)) {
          copy = new ArrayList<>(l.subList(0, i));
        }
        if (copy != null) {
          copy.add(nv);
        }
      }
      return copy == null ? v : copy;
    }
    if (v instanceof Collection || v.getClass().isArray()) {
      List<Object> copy = new ArrayList<>();
      for (Iterator<?> it = iterate(v); it.hasNext(); ) {
        copy.add(normalize(it.next(), walk));
      }
      return copy;
    }
    return v;
  }

  static boolean isList(Object v) {
    return v instanceof List || v instanceof Collection || (v != null && v.getClass().isArray());
  }

  /** A list view of a List, Collection or array. */
  static List<?> asList(Object v) {
    if (v instanceof List) {
      return (List<?>) v;
    }
    List<Object> out = new ArrayList<>();
    iterate(v).forEachRemaining(out::add);
    return out;
  }

  static Iterator<?> iterate(Object v) {
    if (v instanceof Collection) {
      return ((Collection<?>) v).iterator();
    }
    int n = java.lang.reflect.Array.getLength(v);
    return new Iterator<Object>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public Object next() {
        return java.lang.reflect.Array.get(v, i++);
      }
    };
  }

  /** expr-lang equality: numbers by value (1 == 1.0), lists and maps deeply, different types unequal. */
  static boolean equal(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof String && b instanceof String) {
      return a.equals(b);
    }
    return equal(a, b, Walk.start());
  }

  private static boolean equal(Object a, Object b, Walk walk) {
    walk.step();
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (isNumber(a) && isNumber(b)) {
      return numbersEqual(a, b);
    }
    if (a instanceof Character || b instanceof Character) {
      return a.toString().equals(b.toString());
    }
    if (isList(a) && isList(b)) {
      List<?> x = asList(a);
      List<?> y = asList(b);
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!equal(x.get(i), y.get(i), walk)) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map && b instanceof Map) {
      Map<?, ?> x = (Map<?, ?>) a;
      Map<?, ?> y = (Map<?, ?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()), walk)) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof OffsetDateTime && b instanceof OffsetDateTime) {
      return ((OffsetDateTime) a).isEqual((OffsetDateTime) b);
    }
    return a.equals(b);
  }

  /**
   * expr-lang's number equality: two ints exactly; otherwise both as float64, the way Go converts an int
   * operand ({@code 9007199254740993 == 9007199254740992.0} is true), with IEEE rules ({@code -0.0 == 0.0},
   * NaN equal to nothing).
   */
  static boolean numbersEqual(Object a, Object b) {
    if (isIntegral(a) && isIntegral(b)) {
      return a instanceof Long && b instanceof Long ? ((Long) a).longValue() == (Long) b
          : toBigInteger(a).equals(toBigInteger(b));
    }
    return toDouble(a) == toDouble(b);
  }

  /**
   * A total order on numbers for sorting and max/min: ints exactly, otherwise as float64 (-0.0 equal to 0.0,
   * NaN after everything).
   */
  static int compareNumbers(Object a, Object b) {
    if (a instanceof Long && b instanceof Long) {
      return Long.compare((Long) a, (Long) b);
    }
    if (isIntegral(a) && isIntegral(b)) {
      return toBigInteger(a).compareTo(toBigInteger(b));
    }
    double x = toDouble(a);
    double y = toDouble(b);
    return x == y ? 0 : Double.compare(x, y);
  }

  /**
   * Ordering for sort, sortBy and max/min: numbers with numbers, strings with strings (by code point, as Go
   * compares UTF-8 bytes), times with times, durations with durations. Anything else is an error.
   */
  static int compare(Object a, Object b, String op) {
    if (isNumber(a) && isNumber(b)) {
      return compareNumbers(a, b);
    }
    if (a instanceof String && b instanceof String) {
      return Strings.compareCodePoints((String) a, (String) b);
    }
    if (a instanceof OffsetDateTime && b instanceof OffsetDateTime) {
      return ((OffsetDateTime) a).compareTo((OffsetDateTime) b);
    }
    if (a instanceof Duration && b instanceof Duration) {
      return ((Duration) a).compareTo((Duration) b);
    }
    throw new EvalError("invalid operation: " + typeName(a) + " " + op + " " + typeName(b)
        + " (cannot compare " + describe(a) + " with " + describe(b) + ")");
  }

  /**
   * The operators {@code < <= > >=}: as {@link #compare}, except that a float comparison follows IEEE as Go
   * does (anything compared with NaN is false).
   */
  static boolean order(Object a, Object b, String op) {
    if (isNumber(a) && isNumber(b) && !(isIntegral(a) && isIntegral(b))) {
      double x = toDouble(a);
      double y = toDouble(b);
      switch (op) {
        case "<": return x < y;
        case "<=": return x <= y;
        case ">": return x > y;
        default: return x >= y;
      }
    }
    int c = compare(a, b, op);
    switch (op) {
      case "<": return c < 0;
      case "<=": return c <= 0;
      case ">": return c > 0;
      default: return c >= 0;
    }
  }

  /** An integral value as a long, or an error naming what expected it. */
  static long toLong(Object v, String what) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger && ((BigInteger) v).bitLength() < 64) {
      return ((BigInteger) v).longValue();
    }
    throw new EvalError(what + " expects an int, but got " + describe(v));
  }
}
