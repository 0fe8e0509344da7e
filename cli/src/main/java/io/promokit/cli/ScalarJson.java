package io.promokit.cli;

import java.math.BigInteger;

/**
 * JSON text of the simple scalars {@code render --template} usually prints (null, booleans, integers, plain
 * ASCII strings), byte for byte what Jackson writes for them, without starting Jackson: its set-up was a good
 * part of a short command's start. Anything else is left to {@link Json}.
 */
final class ScalarJson {

  private ScalarJson() {}

  /** The compact JSON of the value, or null when it is not one of the simple scalars. */
  static String write(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Boolean || value instanceof Long || value instanceof Integer
        || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof String s && isPlain(s)) {
      return "\"" + s + "\"";
    }
    return null;
  }

  /** Printable ASCII with nothing JSON escapes: the text goes between the quotes as it is. */
  private static boolean isPlain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
