package io.promokit.steps.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A key in a YAML or JSON document, as {@link DocumentEditor}s take it: the dot paths of Kargo's
 * {@code yaml-update} and {@code json-update} keys. In the text form {@code .} separates names, {@code \.} is
 * a literal dot, {@code \:} a literal colon, {@code \\} a backslash; a name that is a number indexes a list
 * ({@code -1} appends), and a leading {@code :} makes a number-like name a map key
 * ({@code spec.template.spec.containers.0.image}, {@code data.:8080}). Immutable.
 */
public final class KeyPath {

  /**
   * One name of a path.
   *
   * @param name the name (unescaped)
   * @param mapKey true when a leading {@code :} said it is a map key even if it looks like a number
   */
  public record Part(String name, boolean mapKey) {

    /** Checks the name. */
    public Part {
      Objects.requireNonNull(name, "name must not be null");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("a key part must not be empty");
      }
    }

    /** The list index this name stands for ({@code -1}: append), or null when it is not an integer. */
    public Integer index() {
      if (mapKey || !name.matches("-?\\d{1,9}")) {
        return null;
      }
      return Integer.parseInt(name);
    }
  }

  private final List<Part> parts;

  private KeyPath(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /**
   * A key from its text form ({@code spec.images.0.name}).
   *
   * @throws IllegalArgumentException saying what is wrong with the key, such as
   *     {@code has an empty part in "a..b"}
   */
  public static KeyPath parse(String key) {
    Objects.requireNonNull(key, "key must not be null");
    return new KeyPath(split(key));
  }

  /**
   * A key from its names, taken literally (no escapes): a name that is an integer indexes a list when the
   * document has a list there ({@code KeyPath.of("images")}, {@code KeyPath.of("dependencies", "0", "version")}).
   *
   * @throws IllegalArgumentException when there is no name or a name is empty
   */
  public static KeyPath of(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("a key needs at least one name");
    }
    List<Part> parts = new ArrayList<>(names.length);
    for (String name : names) {
      parts.add(new Part(name, false));
    }
    return new KeyPath(parts);
  }

  /** The names, first to last. */
  public List<Part> parts() {
    return parts;
  }

  /**
   * The value this key names in a document read as JSON-like values (maps and lists), or null when it names
   * nothing there. An index of {@code -1} names the last item.
   */
  public Object valueIn(Object document) {
    return Values.at(document, parts);
  }

  /** The text form, escaped so that {@link #parse} reads it back. */
  @Override
  public String toString() {
    return display(parts, parts.size());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyPath k && k.parts.equals(parts);
  }

  @Override
  public int hashCode() {
    return parts.hashCode();
  }

  private static List<Part> split(String key) {
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
