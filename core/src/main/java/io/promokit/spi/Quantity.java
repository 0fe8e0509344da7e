package io.promokit.spi;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities: memory such as {@code 128Mi}, {@code 1G}, {@code 512000}; CPU such as
 * {@code 500m}, {@code 0.5}, {@code 2}.
 */
public final class Quantity {

  private static final Pattern FORM = Pattern.compile("^([+]?[0-9]+(?:\\.[0-9]*)?|[+]?\\.[0-9]+)([eE][+-]?[0-9]+|[KMGTPE]i|[kKMGTPE]|m|n|u)?$");

  private Quantity() {}

  /** Whether the text is a valid quantity. */
  public static boolean isValid(String text) {
    return text != null && FORM.matcher(text.strip()).matches();
  }

  /**
   * The quantity as a number of base units (bytes for memory, cores for CPU).
   *
   * @throws IllegalArgumentException naming the text when it is not a quantity
   */
  public static BigDecimal parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text.strip());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("invalid quantity \"" + text
          + "\": expected a Kubernetes quantity such as 128Mi, 1Gi, 500m or 0.5");
    }
    BigDecimal number = new BigDecimal(m.group(1).replace("+", ""));
    String suffix = m.group(2) == null ? "" : m.group(2);
    if (suffix.startsWith("e") || suffix.startsWith("E")) {
      return number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    }
    return number.multiply(multiplier(suffix));
  }

  /** Memory in bytes, rounded up. */
  public static long parseBytes(String text) {
    return parse(text).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
  }

  /** CPU in millicores, rounded up. */
  public static long parseMillicores(String text) {
    return parse(text).movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
  }

  private static BigDecimal multiplier(String suffix) {
    return switch (suffix) {
      case "" -> BigDecimal.ONE;
      case "n" -> new BigDecimal("1e-9");
      case "u" -> new BigDecimal("1e-6");
      case "m" -> new BigDecimal("1e-3");
      case "k", "K" -> BigDecimal.valueOf(1000L);
      case "M" -> BigDecimal.valueOf(1000L * 1000);
      case "G" -> BigDecimal.valueOf(1000L * 1000 * 1000);
      case "T" -> new BigDecimal("1e12");
      case "P" -> new BigDecimal("1e15");
      case "E" -> new BigDecimal("1e18");
      case "Ki" -> BigDecimal.valueOf(1L << 10);
      case "Mi" -> BigDecimal.valueOf(1L << 20);
      case "Gi" -> BigDecimal.valueOf(1L << 30);
      case "Ti" -> BigDecimal.valueOf(1L << 40);
      case "Pi" -> BigDecimal.valueOf(1L << 50);
      case "Ei" -> BigDecimal.valueOf(1L << 60);
      default -> throw new IllegalStateException(suffix);
    };
  }
}
