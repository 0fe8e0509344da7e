package io.promokit.documents;

import io.promokit.internal.ConfigPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the parts of one written mapping are: a step's fields ({@code uses}, {@code if}) and every node of its
 * {@code config}, or a var's {@code value}, looked up by path in the project's notation
 * ({@code config.apps[0].name}, {@code config['my-key']}; the resolver's {@code config["my-key"]} reads the
 * same). Problems and run-time errors use it to point at the offending node's own line and column rather than
 * at its step. Immutable; {@link #EMPTY} for things built in code.
 */
public final class SourceMap {

  /** No locations (things built in code). */
  public static final SourceMap EMPTY = new SourceMap(Map.of());

  /**
   * One written node.
   *
   * @param key where its key is written (for a list item: the item itself)
   * @param value where its value starts
   * @param textLine for a string written as is (plain or quoted without escapes, or a literal block), the line
   *     of its first character; 0 when its characters cannot be mapped to the file
   * @param textColumn the column of that first character
   * @param block whether the text is a literal block ({@code |}): its line {@code k} is file line
   *     {@code textLine + k}, starting at {@code textColumn}
   */
  private record Node(SourceLocation key, SourceLocation value, int textLine, int textColumn, boolean block) {}

  private final Map<List<String>, Node> nodes;

  private SourceMap(Map<List<String>, Node> nodes) {
    this.nodes = Map.copyOf(nodes);
  }

  /** Starts an empty map. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether nothing is known. */
  public boolean isEmpty() {
    return nodes.isEmpty();
  }

  /** Where the key at {@code path} is written (for a list item, the item); empty when unknown. */
  public Optional<SourceLocation> keyOf(String path) {
    return node(path).map(Node::key);
  }

  /** Where the value at {@code path} starts; empty when unknown. */
  public Optional<SourceLocation> valueOf(String path) {
    return node(path).map(Node::value);
  }

  /**
   * Where the key at {@code path} is written, or else the key of its nearest ancestor that is written (a
   * missing field is reported at the map that lacks it); empty when none is known.
   */
  public Optional<SourceLocation> nearestKeyOf(String path) {
    List<String> segments = ConfigPath.segments(path);
    if (segments == null) {
      return Optional.empty();
    }
    for (int n = segments.size(); n > 0; n--) {
      Node node = nodes.get(segments.subList(0, n));
      if (node != null) {
        return Optional.of(node.key());
      }
    }
    return Optional.empty();
  }

  /**
   * Where character {@code index} (0-based, in UTF-16 units) of the string at {@code path} is written, when
   * its characters are written as they are (a plain or quoted value without escapes on one line, or a literal
   * block); otherwise where the value starts. Empty when the path is unknown.
   */
  public Optional<SourceLocation> charOf(String path, String text, int index) {
    Optional<Node> found = node(path);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Node node = found.get();
    if (node.textLine() <= 0 || text == null || index < 0 || index > text.length()) {
      return Optional.of(node.value());
    }
    String file = node.value().file();
    if (!node.block()) {
      return Optional.of(new SourceLocation(file, node.textLine(),
          node.textColumn() + text.codePointCount(0, index)));
    }
    int line = 0;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return Optional.of(new SourceLocation(file, node.textLine() + line,
        node.textColumn() + text.codePointCount(lineStart, index)));
  }

  private Optional<Node> node(String path) {
    Objects.requireNonNull(path, "path must not be null");
    List<String> segments = ConfigPath.segments(path);
    return segments == null ? Optional.empty() : Optional.ofNullable(nodes.get(segments));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SourceMap map && map.nodes.equals(nodes);
  }

  @Override
  public int hashCode() {
    return nodes.hashCode();
  }

  @Override
  public String toString() {
    return "SourceMap[" + nodes.size() + " nodes]";
  }

  /** Collects the nodes of a {@link SourceMap}. Not thread-safe. */
  public static final class Builder {
    private final Map<List<String>, Node> nodes = new HashMap<>();

    private Builder() {}

    /**
     * Records a node whose characters cannot be mapped one by one (a map, a list, a number, an escaped
     * string).
     *
     * @param path the node's path ({@code config.apps[0]})
     * @param key where its key is written (for a list item, the item)
     * @param value where its value starts
     */
    public Builder node(String path, SourceLocation key, SourceLocation value) {
      return put(path, new Node(Objects.requireNonNull(key, "key must not be null"),
          Objects.requireNonNull(value, "value must not be null"), 0, 0, false));
    }

    /**
     * Records a string whose characters are written as they are.
     *
     * @param textLine the line of its first character
     * @param textColumn the column of its first character
     * @param block whether it is a literal block, one file line per line of text from {@code textLine}
     */
    public Builder text(String path, SourceLocation key, SourceLocation value, int textLine, int textColumn,
        boolean block) {
      if (textLine <= 0 || textColumn <= 0) {
        throw new IllegalArgumentException("textLine and textColumn must be positive, but were " + textLine
            + " and " + textColumn);
      }
      return put(path, new Node(Objects.requireNonNull(key, "key must not be null"),
          Objects.requireNonNull(value, "value must not be null"), textLine, textColumn, block));
    }

    private Builder put(String path, Node node) {
      List<String> segments = ConfigPath.segments(Objects.requireNonNull(path, "path must not be null"));
      if (segments == null) {
        throw new IllegalArgumentException("not a path: \"" + path + "\"");
      }
      nodes.put(List.copyOf(segments), node);
      return this;
    }

    /** The map. */
    public SourceMap build() {
      return nodes.isEmpty() ? EMPTY : new SourceMap(nodes);
    }
  }
}
