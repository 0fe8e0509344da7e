package io.promokit.expressions;

import java.time.Duration;
import java.util.Objects;

/**
 * Durations as Go writes and reads them ({@code time.ParseDuration} and {@code Duration.String()}), the
 * form Kargo templates use: {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 1.5h}, {@code 300ms},
 * {@code -2us}. The one implementation in promokit: the expressions' {@code duration()}, template fields
 * ({@code retry.timeout}), step configs and the CLI all read durations here.
 *
 * <p>Parsing follows Go exactly: an optional sign, then one or more decimal numbers (with an optional
 * fraction) each followed by a unit ({@code ns}, {@code us}, {@code µs}, {@code μs}, {@code ms},
 * {@code s}, {@code m}, {@code h}); a bare {@code 0} is zero; no spaces. A fraction is computed per part
 * in double precision and truncated to whole nanoseconds, as Go does, so {@code 1.5ns} is 1 ns and
 * {@code 0.3ns} is zero. A value beyond Go's range (about 292 years, {@code 2562047h47m16.854775807s})
 * is an error, never an overflow. Formatting is Go's: {@code 1h0m0s}, {@code 1m30s}, {@code 1.5s},
 * {@code 1.5ms}, {@code 1.5µs}, {@code 3ns}, {@code 0s}.
 */
public final class GoDuration {

  private static final String EXPECTED = "expected a Go duration such as 90s, 5m, 1h30m or 500ms";
  private static final String UNITS = "use ns, us, ms, s, m or h";
  /** 1 << 63 as an unsigned 64-bit value, the largest magnitude Go accepts (for negative durations). */
  private static final long TWO_TO_63 = Long.MIN_VALUE;

  private GoDuration() {}

  /**
   * Parses a duration as Go's {@code time.ParseDuration} does.
   *
   * @throws InvalidDurationException naming the text and what is wrong, for example
   *     {@code invalid duration "soon": expected a Go duration such as 90s, 5m, 1h30m or 500ms} or
   *     {@code invalid duration "9999999999h": out of range (at most 2562047h47m16.854775807s)}
   */
  public static Duration parse(String text) {
    Objects.requireNonNull(text, "duration must not be null");
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text, EXPECTED);
    }
    long total = 0; // unsigned, at most 1 << 63
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '.' && !isDigit(c)) {
        throw invalid(text, EXPECTED);
      }
      // The whole part: at most 1 << 63.
      int start = i;
      long whole = 0;
      for (; i < s.length() && isDigit(s.charAt(i)); i++) {
        if (Long.compareUnsigned(whole, Long.divideUnsigned(TWO_TO_63, 10)) > 0) {
          throw outOfRange(text);
        }
        whole = whole * 10 + (s.charAt(i) - '0');
        if (Long.compareUnsigned(whole, TWO_TO_63) > 0) {
          throw outOfRange(text);
        }
      }
      boolean hasWhole = i > start;
      // The fraction: digits beyond what 63 bits hold only stop adding precision.
      long fraction = 0;
      double scale = 1;
      boolean hasFraction = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fractionStart = i;
        boolean overflow = false;
        for (; i < s.length() && isDigit(s.charAt(i)); i++) {
          if (overflow) {
            continue;
          }
          if (Long.compareUnsigned(fraction, Long.divideUnsigned(Long.MAX_VALUE, 10)) > 0) {
            overflow = true;
            continue;
          }
          long next = fraction * 10 + (s.charAt(i) - '0');
          if (Long.compareUnsigned(next, TWO_TO_63) > 0) {
            overflow = true;
            continue;
          }
          fraction = next;
          scale *= 10;
        }
        hasFraction = i > fractionStart;
      }
      if (!hasWhole && !hasFraction) {
        throw invalid(text, EXPECTED);
      }
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      if (i == unitStart) {
        throw new InvalidDurationException(text, EXPECTED, "missing unit in duration " + quote(text));
      }
      String unitText = s.substring(unitStart, i);
      long unit = unitNanos(unitText);
      if (unit == 0) {
        throw new InvalidDurationException(text, EXPECTED,
            "unknown unit " + quote(unitText) + " in duration " + quote(text) + " (" + UNITS + ")");
      }
      if (Long.compareUnsigned(whole, Long.divideUnsigned(TWO_TO_63, unit)) > 0) {
        throw outOfRange(text);
      }
      long part = whole * unit;
      if (fraction != 0) {
        // As Go: double precision keeps fractions of hours exact to the nanosecond; the rest is truncated.
        part += (long) (unsignedToDouble(fraction) * ((double) unit / scale));
        if (Long.compareUnsigned(part, TWO_TO_63) > 0) {
          throw outOfRange(text);
        }
      }
      total += part;
      if (Long.compareUnsigned(total, TWO_TO_63) > 0) {
        throw outOfRange(text);
      }
    }
    if (negative) {
      return Duration.ofNanos(-total);
    }
    if (Long.compareUnsigned(total, Long.MAX_VALUE) > 0) {
      throw outOfRange(text);
    }
    return Duration.ofNanos(total);
  }

  /**
   * Formats a duration as Go's {@code Duration.String()}: {@code 1h30m0s}, {@code 1m30s}, {@code 1.5s},
   * {@code 300ms}, {@code 1.5ms}, {@code 2µs}, {@code 7ns}, {@code 0s}. A duration beyond Go's range is
   * formatted as the nearest one Go has.
   */
  public static String format(Duration duration) {
    Objects.requireNonNull(duration, "duration must not be null");
    long nanos = saturatedNanos(duration);
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (nanos < 0) {
      sb.append('-');
    }
    // The magnitude as an unsigned value: -Long.MIN_VALUE is 1 << 63, which the unsigned helpers read right.
    long u = nanos < 0 ? -nanos : nanos;
    if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
      if (u < 1_000L) {
        return sb.append(u).append("ns").toString();
      }
      if (u < 1_000_000L) {
        return sb.append(fraction(u, 3)).append("µs").toString();
      }
      return sb.append(fraction(u, 6)).append("ms").toString();
    }
    long seconds = Long.divideUnsigned(u, 1_000_000_000L);
    long secondNanos = Long.remainderUnsigned(u, 1_000_000_000L);
    long hours = seconds / 3600;
    long minutes = seconds / 60 % 60;
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    return sb.append(fraction(seconds % 60 * 1_000_000_000L + secondNanos, 9)).append('s').toString();
  }

  /** The duration in nanoseconds, or the nearest value a Go duration can hold when it is beyond that. */
  public static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** {@code value / 10^digits} written without trailing zeros (and without the point when whole). */
  private static String fraction(long value, int digits) {
    long scale = 1;
    for (int d = 0; d < digits; d++) {
      scale *= 10;
    }
    long whole = value / scale;
    long rest = value % scale;
    if (rest == 0) {
      return Long.toString(whole);
    }
    StringBuilder fractionDigits = new StringBuilder(Long.toString(rest));
    while (fractionDigits.length() < digits) {
      fractionDigits.insert(0, '0');
    }
    int end = fractionDigits.length();
    while (fractionDigits.charAt(end - 1) == '0') {
      end--;
    }
    return whole + "." + fractionDigits.substring(0, end);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Nanoseconds per unit, or 0 for an unknown unit. */
  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "\u00b5s", "\u03bcs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> 0L;
    };
  }

  /** An unsigned 64-bit value as the nearest double, as Go's float64(uint64) gives it. */
  private static double unsignedToDouble(long value) {
    if (value >= 0) {
      return value;
    }
    return ((double) ((value >>> 1) | (value & 1))) * 2.0;
  }

  private static InvalidDurationException invalid(String text, String why) {
    return new InvalidDurationException(text, why, "invalid duration " + quote(text));
  }

  private static InvalidDurationException outOfRange(String text) {
    String range = "out of range (at most " + format(Duration.ofNanos(Long.MAX_VALUE)) + ")";
    return new InvalidDurationException(text, range, "invalid duration " + quote(text) + ": " + range);
  }

  /**
   * A text that is not a Go duration. {@link #getMessage()} explains it for a config field
   * ({@code invalid duration "5 minutes": expected a Go duration such as 90s, 5m, 1h30m or 500ms});
   * {@link #goMessage()} says it in the words of Go's {@code time.ParseDuration}
   * ({@code unknown unit " minutes" in duration "5 minutes"}), as expr-lang's {@code duration()} reports it.
   */
  public static final class InvalidDurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String goMessage;

    InvalidDurationException(String text, String why, String goMessage) {
      super("invalid duration " + quote(text) + ": " + why);
      this.goMessage = goMessage;
    }

    /** The problem as Go words it (without Go's {@code time: } prefix). */
    public String goMessage() {
      return goMessage;
    }
  }

  private static String quote(String text) {
    return Quoting.go(text);
  }
}
