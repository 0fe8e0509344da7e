package io.promokit.expressions.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** EXPRESSIONS.md section 2: how the evaluated string of a template becomes a typed value. */
final class Coercion {
  private Coercion() {}

  static Object coerce(String s) {
    boolean newline = s.endsWith("\n");
    String t = newline ? s.substring(0, s.length() - 1) : s;
    int n = t.length();
    if (n > 1 && t.charAt(0) == '"' && t.charAt(n - 1) == '"') {
      String inner = t.substring(1, n - 1);
      return newline ? inner + "\n" : inner;
    }
    Object number = parseNumber(t);
    if (number instanceof Double) {
      return wholeAsInteger(t, (Double) number);
    }
    if (number != null) {
      return number;
    }
    Boolean bool = parseBoolean(t);
    if (bool != null) {
      return bool;
    }
    Object json = parseJson(t);
    if (json != NOT_JSON) {
      return json;
    }
    return s;
  }

  private static Boolean parseBoolean(String t) {
    int n = t.length();
    if (n == 4 && (t.equals("true") || t.equals("True") || t.equals("TRUE"))) {
      return Boolean.TRUE;
    }
    if (n == 5 && (t.equals("false") || t.equals("False") || t.equals("FALSE"))) {
      return Boolean.FALSE;
    }
    return null;
  }

  private static final Object NOT_JSON = new Object();

  private static boolean isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  /**
   * The JSON value of the text, or NOT_JSON. Cheap checks come first so that ordinary strings never reach
   * the JSON parser: only text starting with an object, array or string, or a literal or number surrounded
   * by whitespace (the bare forms were handled by the number and boolean rules), can be JSON here.
   */
  private static Object parseJson(String t) {
    int a = 0;
    int b = t.length();
    while (a < b && isJsonSpace(t.charAt(a))) {
      a++;
    }
    while (b > a && isJsonSpace(t.charAt(b - 1))) {
      b--;
    }
    if (a == b) {
      return NOT_JSON;
    }
    char c = t.charAt(a);
    if (c == '{' || c == '[' || c == '"') {
      try {
        return wholeDoublesAsIntegers(Json.parse(t));
      } catch (IllegalArgumentException e) {
        return NOT_JSON;
      }
    }
    String u = t.substring(a, b);
    switch (u) {
      case "null":
        return null;
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      default:
        break;
    }
    if (u.length() != t.length() && (c == '-' || (c >= '0' && c <= '9'))) {
      try {
        return wholeDoublesAsIntegers(Json.parse(u));
      } catch (IllegalArgumentException e) {
        return NOT_JSON;
      }
    }
    return NOT_JSON;
  }

  /**
   * A decimal number ({@code 42}, {@code -7}, {@code +3}, {@code 1.10}, {@code .5}, {@code 1e3}): integers as
   * Long or BigInteger with every digit kept, others as Double. Null when the text is not a number or does
   * not fit a double.
   */
  static Object parseNumber(String t) {
    int n = t.length();
    int i = 0;
    if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
      i++;
    }
    int intStart = i;
    while (i < n && isDigit(t.charAt(i))) {
      i++;
    }
    int intDigits = i - intStart;
    boolean integral = true;
    int fracDigits = 0;
    if (i < n && t.charAt(i) == '.') {
      integral = false;
      i++;
      int fracStart = i;
      while (i < n && isDigit(t.charAt(i))) {
        i++;
      }
      fracDigits = i - fracStart;
    }
    if (intDigits + fracDigits == 0) {
      return null;
    }
    if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
      integral = false;
      i++;
      if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
        i++;
      }
      int expStart = i;
      while (i < n && isDigit(t.charAt(i))) {
        i++;
      }
      if (i == expStart) {
        return null;
      }
    }
    if (i != n) {
      return null;
    }
    if (integral) {
      if (intDigits <= 18) {
        return Long.parseLong(t.charAt(0) == '+' ? t.substring(1) : t);
      }
      return Values.narrow(new BigInteger(t.charAt(0) == '+' ? t.substring(1) : t));
    }
    double d = Double.parseDouble(t);
    return Double.isInfinite(d) ? null : d;
  }

  /**
   * Rule 3 for a number written with a fraction or an exponent: a whole value is an integer, every digit
   * kept ({@code 1.0} is 1, {@code 1e3} is 1000, {@code -0.0} is 0, {@code 123456789012345678901234.0} keeps
   * its digits), so it prints without a decimal point as the spec requires. A value that is not whole stays
   * the double ({@code 2.50} is 2.5), and so does one written with an exponent that reaches 1e21
   * ({@code 1e30}), which Go's JSON also writes with an exponent (this also keeps {@code 1e999999} cheap).
   */
  private static Object wholeAsInteger(String t, double d) {
    if (Values.goWritesWithExponent(d) && (t.indexOf('e') >= 0 || t.indexOf('E') >= 0)) {
      return d;
    }
    BigDecimal exact;
    try {
      exact = new BigDecimal(t);
    } catch (NumberFormatException e) {
      return d; // an exponent beyond int range: the double (zero here) is all there is
    }
    BigInteger whole = wholeValue(exact);
    return whole == null ? d : Values.narrow(whole);
  }

  /** The integer a decimal equals, or null when it has a non-zero fraction. */
  private static BigInteger wholeValue(BigDecimal v) {
    if (v.signum() == 0) {
      return BigInteger.ZERO;
    }
    if (v.scale() <= 0) {
      return v.toBigInteger();
    }
    if (v.scale() >= v.precision()) {
      return null; // 0 < |v| < 1; this also keeps 10^scale small for 1e-999999
    }
    BigInteger[] quotientAndRemainder = v.unscaledValue().divideAndRemainder(BigInteger.TEN.pow(v.scale()));
    return quotientAndRemainder[1].signum() == 0 ? quotientAndRemainder[0] : null;
  }

  /**
   * Rule 5 with the rule for numbers: whole doubles in parsed JSON become integers as an expression's
   * result does ({@code [1.0, 2.5]} is {@code [1, 2.5]}). The value was just parsed, so it is changed in
   * place.
   */
  @SuppressWarnings("unchecked")
  private static Object wholeDoublesAsIntegers(Object v) {
    if (v instanceof Double) {
      return Values.wholeAsInteger((Double) v);
    }
    if (v instanceof Map) {
      ((Map<String, Object>) v).replaceAll((k, x) -> wholeDoublesAsIntegers(x));
    } else if (v instanceof List) {
      ((List<Object>) v).replaceAll(Coercion::wholeDoublesAsIntegers);
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
