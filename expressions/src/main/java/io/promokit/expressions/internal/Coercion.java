package io.promokit.expressions.internal;

import java.math.BigInteger;

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
        return Json.parse(t);
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
        return Json.parse(u);
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

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
