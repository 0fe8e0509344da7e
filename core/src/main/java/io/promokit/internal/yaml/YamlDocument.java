package io.promokit.internal.yaml;

import java.util.Objects;

/**
 * One document of a file (files may hold several, separated by {@code ---}).
 *
 * @param source the file (or source name) it was read from
 * @param index 0-based position of the document in its source, counting only non-empty documents
 * @param root the document's content
 */
public record YamlDocument(String source, int index, YamlNode root) {
  public YamlDocument {
    Objects.requireNonNull(source, "source must not be null");
    Objects.requireNonNull(root, "root must not be null");
  }

  /** The document's root, ready to bind. */
  public YamlValue value() {
    return YamlValue.root(root);
  }
}
