package io.promokit.steps.files;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The TOML text of a new scalar value, as go-toml v2 writes it (Kargo's toml-update): strings as in
 * {@link TomlStrings#format}, booleans, integers, floats with a fraction ({@code 1.5}, whole ones as
 * {@code 100.0}), {@code inf}/{@code -inf}/{@code nan}.
 *
 * <p><b>[ours]</b> An integer stays an integer: a config value {@code 100} arrives as a whole number and is
 * written {@code 100}, and a whole floating-point number written over an integer is written as an integer too
 * (Kargo's config values arrive as JSON floats and come out as {@code 100.0}).
 */
final class TomlScalars {

  /** A value that is not a TOML scalar (a map, a list, null). */
  static final class NotAScalarException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotAScalarException(String message) {
      super(message);
    }
  }

  private TomlScalars() {}

  /**
   * The text for {@code value}.
   *
   * @param replacing the kind of the value being replaced, or null when there is none (a commit message)
   * @throws NotAScalarException when the value is a map, a list or null
   */
  static String format(Object value, TomlOutline.Kind replacing) {
    if (value instanceof String s) {
      return TomlStrings.format(s);
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof BigDecimal d) {
      return formatDouble(d.doubleValue(), replacing);
    }
    if (value instanceof Double || value instanceof Float) {
      return formatDouble(((Number) value).doubleValue(), replacing);
    }
    throw new NotAScalarException("is not a TOML scalar (a string, number or boolean), but "
        + (value == null ? "null" : value instanceof java.util.Map ? "a map" : value instanceof java.util.List
            ? "a list" : "a " + value.getClass().getSimpleName()));
  }

  private static String formatDouble(double d, TomlOutline.Kind replacing) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == Math.rint(d)) {
      String whole = new BigDecimal(d).toPlainString();
      return replacing == TomlOutline.Kind.INTEGER ? whole : whole + ".0";
    }
    // Go's strconv 'f' with the shortest digits that read back as the same double: no exponent.
    return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }
}
