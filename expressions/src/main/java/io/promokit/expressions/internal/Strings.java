package io.promokit.expressions.internal;

import io.promokit.expressions.Quoting;
import io.promokit.expressions.SemanticVersion;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** String forms in the ways Go prints them: quoting, float formatting, {@code %v}. */
final class Strings {
  private Strings() {}

  /** Go's {@code strconv.Quote} (see {@link Quoting#go}). */
  static String goQuote(String s) {
    return Quoting.go(s);
  }

  /** POSIX shell single quoting: {@code it's} becomes {@code 'it'\''s'}. */
  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /**
   * A float as Go's encoding/json writes it: shortest digits, no exponent for 1e-6 <= |x| < 1e21, integral
   * values without a decimal point.
   */
  static String jsonFloat(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new EvalError("cannot convert " + d + " to JSON");
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    double abs = Math.abs(d);
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    if (abs >= 1e-6 && abs < 1e21) {
      return bd.toPlainString();
    }
    return exponentForm(bd, true);
  }

  /** A float as Go's {@code %v} prints it ({@code 'g'} with shortest digits, exponent from 1e+21 / below 1e-4). */
  static String goFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    int exp = bd.precision() - bd.scale() - 1;
    if (exp < -4 || exp >= 21) {
      return exponentForm(bd, false);
    }
    return bd.toPlainString();
  }

  private static String exponentForm(BigDecimal bd, boolean jsonCleanup) {
    String digits = bd.unscaledValue().abs().toString();
    int exp = bd.precision() - bd.scale() - 1;
    StringBuilder sb = new StringBuilder();
    if (bd.signum() < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int e = Math.abs(exp);
    if (e < 10 && !(jsonCleanup && exp < 0)) {
      sb.append('0');
    }
    sb.append(e);
    return sb.toString();
  }

  /** Go's {@code fmt.Sprint} (%v) of a value, as expr-lang's {@code string()} returns it. */
  static String goString(Object v) {
    if (v instanceof String) {
      return (String) v;
    }
    StringBuilder sb = new StringBuilder();
    goString(v, sb, Walk.start());
    return sb.toString();
  }

  private static void goString(Object v, StringBuilder out, Walk walk) {
    walk.step();
    out.append(format(v, walk));
  }

  private static String format(Object v, Walk walk) {
    if (v == null) {
      return "<nil>";
    }
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof Double || v instanceof Float) {
      return goFloat(((Number) v).doubleValue());
    }
    if (v instanceof BigDecimal) {
      return goFloat(((BigDecimal) v).doubleValue());
    }
    if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
      return v.toString();
    }
    if (v instanceof SemanticVersion) {
      return ((SemanticVersion) v).canonical();
    }
    if (v instanceof Duration) {
      return GoDuration.format((Duration) v);
    }
    if (v instanceof OffsetDateTime) {
      return GoTime.string((OffsetDateTime) v);
    }
    if (v instanceof Map) {
      List<String> keys = new ArrayList<>();
      ((Map<?, ?>) v).keySet().forEach(k -> keys.add(String.valueOf(k)));
      keys.sort(null);
      StringBuilder sb = new StringBuilder("map[");
      Map<?, ?> m = (Map<?, ?>) v;
      boolean first = true;
      for (String k : keys) {
        if (!first) {
          sb.append(' ');
        }
        first = false;
        Object value = m.containsKey(k) ? m.get(k) : null;
        sb.append(k).append(':');
        goString(value, sb, walk);
      }
      return sb.append(']').toString();
    }
    if (Values.isList(v)) {
      StringBuilder sb = new StringBuilder("[");
      boolean first = true;
      for (Object item : Values.asList(v)) {
        if (!first) {
          sb.append(' ');
        }
        first = false;
        goString(item, sb, walk);
      }
      return sb.append(']').toString();
    }
    return String.valueOf(v);
  }

  /**
   * Compares by code point, which is how Go compares strings (byte-wise UTF-8 gives code point order). Java's
   * compareTo compares UTF-16 units, which puts U+E000..U+FFFF after the characters beyond U+FFFF.
   */
  static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return codePointRank(x) - codePointRank(y);
      }
    }
    return a.length() - b.length();
  }

  /** A UTF-16 unit's place in code point order: surrogates (D800-DFFF) move above E000-FFFF. */
  private static int codePointRank(char c) {
    if (c < 0xD800) {
      return c;
    }
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }

  /** Code points of a string, for expr-lang's rune-based len. */
  static int codePointLength(String s) {
    return s.codePointCount(0, s.length());
  }
}
