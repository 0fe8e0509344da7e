package io.promokit.steps.files;

import java.util.ArrayList;
import java.util.List;

/**
 * A toml-update key in Kargo's (sjson's) syntax: parts separated by {@code .}; {@code \.} and {@code \:} are a
 * literal dot and colon; a colon at the start of a part is a hint (dropped) that a numeric part is a key, not an
 * index. For example {@code labels.example\.com/version} or {@code values.1}.
 */
final class DottedKey {

  private DottedKey() {}

  /**
   * The key's parts.
   *
   * @throws IllegalArgumentException saying what is wrong (empty key, empty part, stray colon, bad escape)
   */
  static List<String> split(String key) {
    String trimmed = key.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("is empty");
    }
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean escaped = false;
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (escaped) {
        if (c != '.' && c != ':') {
          throw new IllegalArgumentException("has an invalid escape \\" + c + " (only \\. and \\: are escapes)");
        }
        part.append(c);
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '.') {
        if (part.length() == 0) {
          throw new IllegalArgumentException("has an empty part");
        }
        parts.add(part.toString());
        part.setLength(0);
      } else if (c == ':') {
        if (part.length() > 0) {
          throw new IllegalArgumentException("has a colon inside a part (write \\: for a literal colon)");
        }
      } else {
        part.append(c);
      }
    }
    if (escaped) {
      throw new IllegalArgumentException("ends with a lone \\");
    }
    if (part.length() == 0) {
      throw new IllegalArgumentException("has an empty part");
    }
    parts.add(part.toString());
    return List.copyOf(parts);
  }
}
