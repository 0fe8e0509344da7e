package io.promokit.steps.kit;

import java.util.List;

/**
 * A value of a YAML or JSON document with where its text is, so that an update can rewrite exactly that text
 * and leave the rest of the file as it was. Offsets are {@code char} indexes into the document text.
 */
abstract sealed class SourceNode permits SourceNode.Mapping, SourceNode.Sequence, SourceNode.Scalar {

  /** Where the node's own text starts (after any YAML anchor or tag) and ends. */
  final int start;
  final int end;
  /** Where the node's text starts with its anchor and tag, if any. */
  final int outerStart;

  SourceNode(int outerStart, int start, int end) {
    this.outerStart = outerStart;
    this.start = start;
    this.end = end;
  }

  /** Where the node's content ends: the end of its last value, before trailing comments and blank lines. */
  abstract int contentEnd();

  /** "a map", "a list", "a string", ... for messages. */
  abstract String describe();

  /** A map; {@code flow} when written inline ({@code {a: 1}} in YAML, always in JSON). */
  static final class Mapping extends SourceNode {
    final boolean flow;
    final List<Entry> entries;

    Mapping(int outerStart, int start, int end, boolean flow, List<Entry> entries) {
      super(outerStart, start, end);
      this.flow = flow;
      this.entries = List.copyOf(entries);
    }

    /** The last entry with this key (as YAML and JSON readers keep the last of duplicates), or null. */
    Entry find(String key) {
      Entry found = null;
      for (Entry entry : entries) {
        if (entry.key().equals(key)) {
          found = entry;
        }
      }
      return found;
    }

    @Override
    int contentEnd() {
      return flow || entries.isEmpty() ? end : entries.get(entries.size() - 1).valueSpan().end();
    }

    @Override
    String describe() {
      return "a map";
    }
  }

  /** A list; {@code spans} says where each item's text is in this list (see {@link Span}). */
  static final class Sequence extends SourceNode {
    final boolean flow;
    final List<SourceNode> items;
    final List<Span> spans;

    Sequence(int outerStart, int start, int end, boolean flow, List<SourceNode> items, List<Span> spans) {
      super(outerStart, start, end);
      this.flow = flow;
      this.items = List.copyOf(items);
      this.spans = List.copyOf(spans);
    }

    @Override
    int contentEnd() {
      return flow || spans.isEmpty() ? end : spans.get(spans.size() - 1).end();
    }

    @Override
    String describe() {
      return "a list";
    }
  }

  /**
   * A scalar. {@code type} names its kind for messages ({@code string}, {@code number}, {@code boolean},
   * {@code null}); {@code style} is its YAML quoting style ('"', '\'', '|', '>' or ' ' for plain).
   */
  static final class Scalar extends SourceNode {
    final String type;
    final char style;
    private final int contentEnd;

    Scalar(int outerStart, int start, int end, int contentEnd, String type, char style) {
      super(outerStart, start, end);
      this.contentEnd = contentEnd;
      this.type = type;
      this.style = style;
    }

    boolean isNull() {
      return type.equals("null");
    }

    boolean isQuoted() {
      return style == '"' || style == '\'';
    }

    @Override
    int contentEnd() {
      return contentEnd;
    }

    @Override
    String describe() {
      return isNull() ? "null" : (type.matches("[aeiou].*") ? "an " : "a ") + type;
    }
  }

  /**
   * Where a value's text is in the place it is used: the value's own text, or, for a YAML alias
   * ({@code *name}), the alias's text while the value is the anchored node written elsewhere.
   */
  record Span(int start, int end) {
    static Span of(SourceNode node) {
      return new Span(node.outerStart, node.contentEnd());
    }

    /** Whether the place holds an alias to a value written elsewhere. */
    boolean isAliasOf(SourceNode node) {
      return start != node.outerStart;
    }
  }

  /** A map entry: its key, where the key's text starts and ends, its value, and where the value's text is. */
  record Entry(String key, int keyStart, int keyEnd, SourceNode value, Span valueSpan) {}
}
