package io.promokit.steps.kit;

import java.util.List;

/**
 * Where one update lands in a document: an existing value to replace, a map that lacks the key, a list to
 * append to, or a null value (or empty document) to turn into a map.
 */
sealed interface UpdateTarget {

  /** How a node sits in its parent: as a map entry's value, a list item, or the document itself. */
  record Parent(SourceNode container, SourceNode.Entry entry, int index) {
    static final Parent DOCUMENT = new Parent(null, null, -1);

    boolean isDocument() {
      return container == null;
    }
  }

  /** The key exists (or a null on its way): replace {@code node} by {@code value}. */
  record Replace(SourceNode node, Parent parent, Object value) implements UpdateTarget {}

  /** The map lacks {@code key}: add it with {@code value}. */
  record AddEntry(SourceNode.Mapping map, String key, Object value) implements UpdateTarget {}

  /** Append {@code value} to the list. */
  record Append(SourceNode.Sequence list, Object value) implements UpdateTarget {}

  /** The document has no value at all: make it the map {@code value}. */
  record FillDocument(java.util.Map<String, Object> value) implements UpdateTarget {}

  /**
   * Finds where {@code value} goes for the key {@code parts}. Missing keys are created (as Kargo does):
   * missing map entries, an index equal to the list's size or {@code -1} (append), and a null value on the
   * way, which becomes a map.
   *
   * @throws IllegalArgumentException when the document's shape does not allow the key, saying where
   */
  static UpdateTarget locate(SourceNode root, List<KeyPath.Part> parts, Object value) {
    SourceNode node = root;
    Parent parent = Parent.DOCUMENT;
    for (int i = 0; i < parts.size(); i++) {
      KeyPath.Part part = parts.get(i);
      if (node == null) {
        return new FillDocument(Values.nest(parts.subList(i, parts.size()), value));
      }
      if (node instanceof SourceNode.Mapping map) {
        SourceNode.Entry entry = map.find(part.name());
        if (entry == null) {
          return new AddEntry(map, part.name(), Values.nestValue(parts.subList(i + 1, parts.size()), value));
        }
        parent = new Parent(map, entry, -1);
        node = entry.value();
      } else if (node instanceof SourceNode.Sequence list) {
        Integer index = part.index();
        if (index == null) {
          throw new IllegalArgumentException(where(parts, i) + " is a list, so \"" + part.name()
              + "\" must be an index (0, 1, ... or -1 to append)");
        }
        int size = list.items.size();
        if (index == -1 || index == size) {
          return new Append(list, Values.nestValue(parts.subList(i + 1, parts.size()), value));
        }
        if (index < -1 || index > size) {
          throw new IllegalArgumentException("index " + index + " is out of range: " + where(parts, i) + " has "
              + size + (size == 1 ? " item" : " items") + " (use " + size + " or -1 to append)");
        }
        parent = new Parent(list, null, index);
        node = list.items.get(index);
      } else {
        SourceNode.Scalar scalar = (SourceNode.Scalar) node;
        if (!scalar.isNull()) {
          throw new IllegalArgumentException(where(parts, i) + " holds " + scalar.describe()
              + ", not a map or a list");
        }
        return new Replace(scalar, parent, Values.nest(parts.subList(i, parts.size()), value));
      }
    }
    return new Replace(node, parent, value);
  }

  private static String where(List<KeyPath.Part> parts, int count) {
    return count == 0 ? "the document" : "\"" + KeyPath.display(parts, count) + "\"";
  }
}
