package io.promokit.steps;

import java.util.ArrayList;
import java.util.List;

/**
 * The dot paths of {@code yaml-update} and {@code json-update} keys, with Kargo's syntax: {@code .} separates
 * names, {@code \.} is a literal dot, {@code \:} a literal colon, {@code \\} a backslash; a name that is a
 * number indexes a list ({@code -1} appends), and a leading {@code :} makes a number-like name a map key.
 */
final class KeyPath {

  /** One name of a path; {@code mapKey} when a leading {@code :} said it is a key even if it looks numeric. */
  record Part(String name, boolean mapKey) {

    /** The list index this name stands for, or null when it is not an integer. */
    Integer index() {
      if (mapKey || !name.matches("-?\\d{1,9}")) {
        return null;
      }
      return Integer.parseInt(name);
    }
  }

  private KeyPath() {}

  /**
   * Splits a key into its parts.
   *
   * @throws IllegalArgumentException saying what is wrong with the key
   */
  static List<Part> parse(String key) {
    String text = key.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    List<Part> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean mapKey = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 1 == text.length()) {
          throw new IllegalArgumentException("ends with a lone \\ in \"" + key + "\"");
        }
        char next = text.charAt(++i);
        if (next != '.' && next != ':' && next != '\\') {
          throw new IllegalArgumentException("has an unknown escape \\" + next + " in \"" + key
              + "\" (use \\. \\: or \\\\)");
        }
        current.append(next);
      } else if (c == '.') {
        if (current.length() == 0) {
          throw new IllegalArgumentException("has an empty part in \"" + key + "\"");
        }
        parts.add(new Part(current.toString(), mapKey));
        current.setLength(0);
        mapKey = false;
      } else if (c == ':' && current.length() == 0 && !mapKey) {
        mapKey = true;
      } else if (c == ':') {
        throw new IllegalArgumentException("has an unescaped : inside a name in \"" + key
            + "\" (a : may only start a name; write \\: for a literal colon)");
      } else {
        current.append(c);
      }
    }
    if (current.length() == 0) {
      throw new IllegalArgumentException("has an empty part in \"" + key + "\"");
    }
    parts.add(new Part(current.toString(), mapKey));
    return List.copyOf(parts);
  }

  /** The first {@code count} parts written back as a key, for messages. */
  static String display(List<Part> parts, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append('.');
      }
      Part part = parts.get(i);
      sb.append(part.mapKey() ? ":" : "").append(part.name().replace("\\", "\\\\").replace(".", "\\.")
          .replace(":", "\\:"));
    }
    return sb.toString();
  }
}
