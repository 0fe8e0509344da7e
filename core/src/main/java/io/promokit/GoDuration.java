package io.promokit;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the way Kargo (Go) writes them: {@code 90s}, {@code 5m}, {@code 1h30m},
 * {@code 1.5h}, {@code 500ms}, {@code 0s}. Units: {@code ns us µs ms s m h}. A bare {@code 0} is zero.
 */
public final class GoDuration {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

  private GoDuration() {}

  /**
   * Parses a Go duration.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("duration must not be null");
    }
    String s = text.strip();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw invalid(text);
      }
      nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
          .multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
      pos = m.end();
    }
    Duration d = Duration.ofNanos(nanos.longValueExact());
    return negative ? d.negated() : d;
  }

  /** Formats like Go's {@code Duration.String()}: {@code 1h30m0s}, {@code 90s} → {@code 1m30s}, {@code 500ms}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
      long nanos = duration.toNanos();
      if (nanos % 1_000_000 == 0) {
        return nanos / 1_000_000 + "ms";
      }
      if (nanos % 1_000 == 0) {
        return nanos / 1_000 + "µs";
      }
      return nanos + "ns";
    }
    StringBuilder sb = new StringBuilder();
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    BigDecimal seconds = BigDecimal.valueOf(duration.toSecondsPart())
        .add(BigDecimal.valueOf(duration.toNanosPart(), 9)).stripTrailingZeros();
    sb.append(seconds.toPlainString()).append('s');
    return sb.toString();
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw new IllegalStateException(unit);
    };
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "invalid duration \"" + text + "\": expected a Go duration such as 90s, 5m, 1h30m or 500ms");
  }
}
