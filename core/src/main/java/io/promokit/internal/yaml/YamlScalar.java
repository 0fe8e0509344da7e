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
 */
public record YamlScalar(Object value, String text, SourceLocation location) implements YamlNode {

  public YamlScalar {
    Objects.requireNonNull(text, "text must not be null");
    Objects.requireNonNull(location, "location must not be null");
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
