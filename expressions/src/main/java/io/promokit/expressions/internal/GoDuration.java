package io.promokit.expressions.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/** Go's time.ParseDuration and Duration.String(), for expr-lang's duration(). */
final class GoDuration {
  private GoDuration() {}

  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  /** Parses {@code 1h30m}, {@code 1.5s}, {@code -300ms}, {@code 2us}; throws EvalError when invalid. */
  static Duration parse(String s) {
    String orig = s;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(orig);
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String num = s.substring(start, i);
      if (num.isEmpty() || num.equals(".") || num.indexOf('.') != num.lastIndexOf('.')) {
        throw invalid(orig);
      }
      int ustart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(ustart, i);
      long nanosPerUnit;
      switch (unit) {
        case "ns": nanosPerUnit = 1L; break;
        case "us": case "\u00b5s": case "\u03bcs": nanosPerUnit = 1_000L; break;
        case "ms": nanosPerUnit = 1_000_000L; break;
        case "s": nanosPerUnit = 1_000_000_000L; break;
        case "m": nanosPerUnit = 60_000_000_000L; break;
        case "h": nanosPerUnit = 3_600_000_000_000L; break;
        case "":
          throw new EvalError("duration(): missing unit in duration " + Strings.goQuote(orig));
        default:
          throw new EvalError("duration(): unknown unit " + Strings.goQuote(unit) + " in duration "
              + Strings.goQuote(orig) + " (use ns, us, ms, s, m or h)");
      }
      String n = num.endsWith(".") ? num + "0" : num.startsWith(".") ? "0" + num : num;
      total = total.add(new BigDecimal(n).multiply(BigDecimal.valueOf(nanosPerUnit)));
    }
    BigInteger nanos = total.toBigInteger();
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new EvalError("duration(): duration " + Strings.goQuote(orig) + " is out of range");
    }
    long n = nanos.longValue();
    return Duration.ofNanos(neg ? -n : n);
  }

  private static EvalError invalid(String s) {
    return new EvalError("duration(): invalid duration " + Strings.goQuote(s));
  }

  /** Nanoseconds of a duration (saturating), as Go's JSON form of time.Duration. */
  static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** Go's Duration.String(): {@code 1h30m0s}, {@code 1.5s}, {@code 300ms}, {@code 0s}. */
  static String format(Duration d) {
    long n = nanos(d);
    if (n == 0) {
      return "0s";
    }
    boolean neg = n < 0;
    BigInteger u = BigInteger.valueOf(n).abs();
    StringBuilder sb = new StringBuilder();
    if (neg) {
      sb.append('-');
    }
    if (u.compareTo(BigInteger.valueOf(1_000_000_000L)) < 0) {
      long v = u.longValue();
      if (v < 1_000L) {
        return sb.append(v).append("ns").toString();
      } else if (v < 1_000_000L) {
        return sb.append(frac(v, 3)).append("\u00b5s").toString();
      } else {
        return sb.append(frac(v, 6)).append("ms").toString();
      }
    }
    BigInteger[] hr = u.divideAndRemainder(BigInteger.valueOf(3_600_000_000_000L));
    long rest = hr[1].longValue();
    long minutes = rest / 60_000_000_000L;
    long secNanos = rest % 60_000_000_000L;
    if (hr[0].signum() > 0) {
      sb.append(hr[0]).append('h');
    }
    if (hr[0].signum() > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    return sb.append(frac(secNanos, 9)).append('s').toString();
  }

  private static String frac(long v, int digits) {
    long scale = 1;
    for (int i = 0; i < digits; i++) {
      scale *= 10;
    }
    long whole = v / scale;
    long fraction = v % scale;
    if (fraction == 0) {
      return Long.toString(whole);
    }
    String f = String.format("%0" + digits + "d", fraction);
    int end = f.length();
    while (f.charAt(end - 1) == '0') {
      end--;
    }
    return whole + "." + f.substring(0, end);
  }
}
