package io.promokit.internal.yaml;

import io.promokit.documents.SourceLocation;
import java.util.Objects;

/**
 * A scalar: a string, a number ({@link Long}, {@link java.math.BigInteger}, {@link Double},
 * {@link java.math.BigDecimal}), a boolean, or null.
 *
 * @param value the typed value, or null
 * @param text the scalar as written (without quotes), for messages and for fields read as text
 * @param location where it is written
 * @param span where its characters are written one by one, or null when they are not (escapes, folding,
 *     numbers)
 */
public record YamlScalar(Object value, String text, SourceLocation location, TextSpan span) implements YamlNode {

  /**
   * Where the characters of a string are written as they are.
   *
   * @param line the line of its first character
   * @param column the column of its first character
   * @param block whether it is a literal block: its line {@code k} is file line {@code line + k}
   */
  public record TextSpan(int line, int column, boolean block) {}

  public YamlScalar {
    Objects.requireNonNull(text, "text must not be null");
    Objects.requireNonNull(location, "location must not be null");
  }

  /** A scalar whose characters are not mapped to the file. */
  public YamlScalar(Object value, String text, SourceLocation location) {
    this(value, text, location, null);
  }

  @Override
  public long expandedSize() {
    return 1;
  }

  @Override
  public String describe() {
    if (value == null) {
      return "null";
    }
    String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
    if (value instanceof String) {
      return "the string \"" + shown + "\"";
    }
    if (value instanceof Boolean) {
      return "the boolean " + shown;
    }
    return "the number " + shown;
  }

  @Override
  public Object toPlain() {
    return value;
  }
}
