package io.promokit.expressions.internal;

import java.math.BigInteger;
import java.math.MathContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.jexl3.JexlArithmetic;
import org.apache.commons.jexl3.JexlOptions;

/**
 * expr-lang operator semantics on top of JEXL: integers stay exact (overflowing into BigInteger instead of
 * wrapping), {@code /} always divides as floats, {@code %} takes integers, {@code +} concatenates strings
 * and lists (bounded by the size limit), equality does not coerce ({@code "1" != 1}), ordering only between
 * like types, conditions must be booleans (nil counts as false). List and map literals build ArrayList and
 * LinkedHashMap.
 */
final class ExprArithmetic extends JexlArithmetic {

  private final long maxSize;

  ExprArithmetic(long maxSize) {
    super(true);
    this.maxSize = maxSize;
  }

  @Override
  public JexlArithmetic options(JexlOptions options) {
    return this;
  }

  /**
   * No operator is strict about null in JEXL's sense: JEXL would stop at a null operand with its own error,
   * which its {@code ?:} and {@code ??} then swallow as "no value" ({@code (n + 1) ?? 5} would give 5). The
   * operators here see the null and fail with expr-lang's message instead.
   */
  @Override
  public boolean isStrict(org.apache.commons.jexl3.JexlOperator operator) {
    return false;
  }

  @Override
  protected JexlArithmetic createWithOptions(boolean astrict, MathContext bigdContext, int bigdScale) {
    return this;
  }

  private static EvalError invalid(String op, Object l, Object r) {
    return new EvalError("invalid operation: " + Values.describe(l) + " " + op + " " + Values.describe(r));
  }

  void checkSize(long size) {
    if (size > maxSize) {
      throw new EvalError("the result would have " + size + " characters or elements, more than the limit of "
          + maxSize);
    }
  }

  @Override
  public Object add(Object l, Object r) {
    if (l instanceof String && r instanceof String) {
      String a = (String) l;
      String b = (String) r;
      checkSize((long) a.length() + b.length());
      return a.concat(b);
    }
    if (l instanceof Long && r instanceof Long) {
      long a = (Long) l;
      long b = (Long) r;
      long s = a + b;
      if (((a ^ s) & (b ^ s)) < 0) {
        return BigInteger.valueOf(a).add(BigInteger.valueOf(b));
      }
      return s;
    }
    if (Values.isNumber(l) && Values.isNumber(r)) {
      if (Values.isIntegral(l) && Values.isIntegral(r)) {
        return Values.narrow(Values.toBigInteger(l).add(Values.toBigInteger(r)));
      }
      return Values.toDouble(l) + Values.toDouble(r);
    }
    if (Values.isList(l) && Values.isList(r)) {
      List<?> a = Values.asList(l);
      List<?> b = Values.asList(r);
      checkSize((long) a.size() + b.size());
      List<Object> out = new ArrayList<>(a.size() + b.size());
      out.addAll(a);
      out.addAll(b);
      return out;
    }
    if (l instanceof OffsetDateTime && r instanceof Duration) {
      return ((OffsetDateTime) l).plus((Duration) r);
    }
    if (l instanceof Duration && r instanceof OffsetDateTime) {
      return ((OffsetDateTime) r).plus((Duration) l);
    }
    if (l instanceof Duration && r instanceof Duration) {
      return ((Duration) l).plus((Duration) r);
    }
    throw invalid("+", l, r);
  }

  @Override
  public Object subtract(Object l, Object r) {
    if (l instanceof Long && r instanceof Long) {
      long a = (Long) l;
      long b = (Long) r;
      long d = a - b;
      if (((a ^ b) & (a ^ d)) < 0) {
        return BigInteger.valueOf(a).subtract(BigInteger.valueOf(b));
      }
      return d;
    }
    if (Values.isNumber(l) && Values.isNumber(r)) {
      if (Values.isIntegral(l) && Values.isIntegral(r)) {
        return Values.narrow(Values.toBigInteger(l).subtract(Values.toBigInteger(r)));
      }
      return Values.toDouble(l) - Values.toDouble(r);
    }
    if (l instanceof OffsetDateTime && r instanceof OffsetDateTime) {
      return Duration.between((OffsetDateTime) r, (OffsetDateTime) l);
    }
    if (l instanceof OffsetDateTime && r instanceof Duration) {
      return ((OffsetDateTime) l).minus((Duration) r);
    }
    if (l instanceof Duration && r instanceof Duration) {
      return ((Duration) l).minus((Duration) r);
    }
    throw invalid("-", l, r);
  }

  @Override
  public Object multiply(Object l, Object r) {
    if (Values.isNumber(l) && Values.isNumber(r)) {
      if (Values.isIntegral(l) && Values.isIntegral(r)) {
        if (l instanceof Long && r instanceof Long) {
          long a = (Long) l;
          long b = (Long) r;
          long hi = Math.multiplyHigh(a, b);
          long lo = a * b;
          if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
          }
        }
        BigInteger a = Values.toBigInteger(l);
        BigInteger b = Values.toBigInteger(r);
        if ((long) a.bitLength() + b.bitLength() > maxSize) {
          throw new EvalError("the result of * would have more than " + maxSize + " bits");
        }
        return Values.narrow(a.multiply(b));
      }
      return Values.toDouble(l) * Values.toDouble(r);
    }
    if (l instanceof Duration && Values.isIntegral(r)) {
      return ((Duration) l).multipliedBy(Values.toLong(r, "*"));
    }
    if (Values.isIntegral(l) && r instanceof Duration) {
      return ((Duration) r).multipliedBy(Values.toLong(l, "*"));
    }
    throw invalid("*", l, r);
  }

  @Override
  public Object divide(Object l, Object r) {
    if (Values.isNumber(l) && Values.isNumber(r)) {
      double b = Values.toDouble(r);
      if (b == 0) {
        throw new EvalError("division by zero");
      }
      return Values.toDouble(l) / b;
    }
    throw invalid("/", l, r);
  }

  @Override
  public Object mod(Object l, Object r) {
    if (Values.isIntegral(l) && Values.isIntegral(r)) {
      if (l instanceof Long && r instanceof Long) {
        long b = (Long) r;
        if (b == 0) {
          throw new EvalError("integer modulo by zero");
        }
        return b == -1 ? 0L : (Long) l % b;
      }
      BigInteger b = Values.toBigInteger(r);
      if (b.signum() == 0) {
        throw new EvalError("integer modulo by zero");
      }
      return Values.narrow(Values.toBigInteger(l).remainder(b));
    }
    throw invalid("%", l, r);
  }

  @Override
  public Object negate(Object v) {
    if (v instanceof Long) {
      long x = (Long) v;
      return x == Long.MIN_VALUE ? BigInteger.valueOf(x).negate() : -x;
    }
    if (Values.isIntegral(v)) {
      return Values.narrow(Values.toBigInteger(v).negate());
    }
    if (Values.isFloating(v)) {
      return -Values.toDouble(v);
    }
    if (v instanceof Duration) {
      return ((Duration) v).negated();
    }
    throw new EvalError("invalid operation: -" + Values.describe(v));
  }

  /**
   * Unary plus does nothing at run time, whatever the operand, as in expr-lang ({@code +s} is s); on a
   * literal that is not a number it is a compile-time type error there and here.
   */
  @Override
  public Object positivize(Object v) {
    return Values.isNumber(v) ? Values.normalizeNumber(v) : v;
  }

  @Override
  public boolean equals(Object l, Object r) {
    return Values.equal(l, r);
  }

  @Override
  public boolean lessThan(Object l, Object r) {
    return Values.order(l, r, "<");
  }

  @Override
  public boolean lessThanOrEqual(Object l, Object r) {
    return Values.order(l, r, "<=");
  }

  @Override
  public boolean greaterThan(Object l, Object r) {
    return Values.order(l, r, ">");
  }

  @Override
  public boolean greaterThanOrEqual(Object l, Object r) {
    return Values.order(l, r, ">=");
  }

  /** Conditions: booleans, with nil as false; anything else is an error. */
  static boolean condition(Object v, String where) {
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v == null) {
      return false;
    }
    throw new EvalError(where + " expects a bool, but got " + Values.describe(v));
  }

  @Override
  public boolean toBoolean(Object v) {
    return condition(v, "a logical operator");
  }

  @Override
  public boolean testPredicate(Object v) {
    return condition(v, "a condition");
  }

  @Override
  public Object not(Object v) {
    return !condition(v, "not");
  }

  @Override
  public ArrayBuilder arrayBuilder(int size, boolean extended) {
    return new ArrayBuilder() {
      private final List<Object> list = new ArrayList<>(size);

      @Override
      public void add(Object value) {
        list.add(value);
      }

      @Override
      public Object create(boolean ext) {
        return list;
      }
    };
  }

  @Override
  public ArrayBuilder arrayBuilder(int size) {
    return arrayBuilder(size, true);
  }

  @Override
  public MapBuilder mapBuilder(int size, boolean extended) {
    return new MapBuilder() {
      private final Map<Object, Object> map = new LinkedHashMap<>();

      @Override
      public void put(Object key, Object value) {
        // expr-lang keeps the first of duplicate keys ({a: 1, a: 2} is {a: 1}).
        map.putIfAbsent(key, value);
      }

      @Override
      public Object create() {
        return map;
      }
    };
  }

  @Override
  public MapBuilder mapBuilder(int size) {
    return mapBuilder(size, true);
  }

  @Override
  public SetBuilder setBuilder(int size, boolean extended) {
    throw new EvalError("set literals are not supported");
  }

  @Override
  public Iterable<?> createRange(Object from, Object to) {
    throw new EvalError("JEXL ranges are not supported");
  }
}
