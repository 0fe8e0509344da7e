package io.promokit.steps.kit;

/**
 * Part of the step kit: changes one value in a document's text and nothing else: the text of the value (or of the place where a
 * new key goes) is rewritten, every other character stays as it was. After each change the editor reads the
 * new text back and checks that the key now holds the value, so a change it cannot make safely fails
 * instead of corrupting the file.
 */
public interface DocumentEditor {

  /**
   * Returns {@code text} with {@code key} set to {@code value}. A missing key is created (maps on the way
   * too), as Kargo does; index {@code -1} appends to a list.
   *
   * @param value a JSON-like value: string, number, boolean, null, or a map or list of them
   * @throws DocumentSyntaxException when the text does not parse
   * @throws IllegalArgumentException when the document's shape does not allow the key, saying why
   * @throws IllegalStateException when the change would not read back as {@code value}; nothing is changed
   */
  String update(String text, KeyPath key, Object value);
}
