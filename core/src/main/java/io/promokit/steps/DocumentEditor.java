package io.promokit.steps;

import java.util.List;

/**
 * Changes one value in a document's text and nothing else: the text of the value (or of the place where a
 * new key goes) is rewritten, every other character stays as it was. After each change the editor reads the
 * new text back and checks that the key now holds the value, so a change it cannot make safely fails
 * instead of corrupting the file.
 */
interface DocumentEditor {

  /**
   * Returns {@code text} with the key {@code parts} set to {@code value}.
   *
   * @throws DocumentSyntaxException when the text does not parse
   * @throws IllegalArgumentException when the document's shape does not allow the key, saying why
   */
  String update(String text, List<KeyPath.Part> parts, Object value);
}
