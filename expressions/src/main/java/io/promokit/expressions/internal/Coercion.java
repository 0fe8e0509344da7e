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
    switch (t) {
      case "true": case "True": case "TRUE":
        return Boolean.TRUE;
      case "false": case "False": case "FALSE":
        return Boolean.FALSE;
      default:
        break;
    }
    if (mayBeJson(t)) {
      try {
        return Json.parse(t);
      } catch (IllegalArgumentException e) {
        // not JSON: a string
      }
    }
    return s;
  }

  private static boolean mayBeJson(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        continue;
      }
      return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f'
          || c == 'n';
    }
    return false;
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
