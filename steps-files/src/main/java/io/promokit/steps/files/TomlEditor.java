package io.promokit.steps.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replaces existing scalar values in TOML text, rewriting only their characters: comments, spacing, key order
 * and every other value stay exactly as they were. Keys that are missing or that name a table or an array are
 * refused (toml-update cannot add keys, as in Kargo). The result is read back with a TOML parser and must equal
 * the original document with just the new values, or nothing is changed.
 */
final class TomlEditor {

  /** One value to set; {@code path} from {@link DottedKey#split}. */
  record Update(List<String> path, Object value) {}

  /** An update that cannot be made; {@code index} is its place in the list given to {@link #apply}. */
  static final class UpdateException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int index;
    private final boolean configProblem;

    UpdateException(int index, String message, boolean configProblem) {
      super(message);
      this.index = index;
      this.configProblem = configProblem;
    }

    int index() {
      return index;
    }

    /** Whether the update's value itself is unusable (not a scalar), rather than the file lacking the key. */
    boolean isConfigProblem() {
      return configProblem;
    }
  }

  private record Replacement(int start, int end, String text) {}

  /** The edited text, and each update's value as it was written (in the order of the updates). */
  record Edited(String text, List<String> values) {}

  private final TomlDocuments documents;

  TomlEditor(TomlDocuments documents) {
    this.documents = Objects.requireNonNull(documents);
  }

  /**
   * The text with the updates made (a later update of the same key wins), and the values as written.
   *
   * @throws TomlDocuments.SyntaxException when the text is not valid TOML
   * @throws UpdateException when a key is missing, names a table or array, or a value is not a scalar
   * @throws IllegalStateException when the result would not read back as expected (the text is then unused)
   */
  Edited apply(String text, List<Update> updates) throws TomlDocuments.SyntaxException, UpdateException {
    Map<String, Object> before = documents.read(text);
    TomlOutline outline = TomlOutline.of(text);
    Map<List<String>, Replacement> byPath = new LinkedHashMap<>();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < updates.size(); i++) {
      Update update = updates.get(i);
      TomlOutline.Node node = outline.at(update.path());
      if (node == null) {
        throw new UpdateException(i, "key path not found", false);
      }
      if (!node.kind().isScalar()) {
        throw new UpdateException(i, "key path addresses " + node.kind().label() + " instead of a scalar node", false);
      }
      String formatted;
      try {
        formatted = TomlScalars.format(update.value(), node.kind());
      } catch (TomlScalars.NotAScalarException e) {
        throw new UpdateException(i, e.getMessage(), true);
      }
      byPath.put(update.path(), new Replacement(node.start(), node.end(), formatted));
      written.add(formatted);
    }
    List<Replacement> replacements = new ArrayList<>(byPath.values());
    replacements.sort(Comparator.comparingInt(Replacement::start).reversed());
    StringBuilder edited = new StringBuilder(text);
    for (Replacement r : replacements) {
      edited.replace(r.start(), r.end(), r.text());
    }
    String result = edited.toString();
    verify(before, result, byPath);
    return new Edited(result, List.copyOf(written));
  }

  /** The edited text must read as the original document with exactly the new values. */
  private void verify(Map<String, Object> before, String result, Map<List<String>, Replacement> changes)
      throws TomlDocuments.SyntaxException {
    Map<String, Object> expected = deepCopy(before);
    for (Map.Entry<List<String>, Replacement> change : changes.entrySet()) {
      Object newValue = documents.read("v = " + change.getValue().text()).get("v");
      set(expected, change.getKey(), newValue);
    }
    Map<String, Object> actual;
    try {
      actual = documents.read(result);
    } catch (TomlDocuments.SyntaxException e) {
      throw new IllegalStateException("the change would make the file invalid TOML (" + e.getMessage()
          + "); the file was left unchanged", e);
    }
    if (!actual.equals(expected)) {
      throw new IllegalStateException("the change would not read back as intended; the file was left unchanged");
    }
  }

  @SuppressWarnings("unchecked")
  private static void set(Object root, List<String> path, Object value) {
    Object parent = root;
    for (int i = 0; i < path.size() - 1; i++) {
      parent = child(parent, path.get(i));
    }
    String last = path.get(path.size() - 1);
    if (parent instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).put(last, value);
    } else if (parent instanceof List<?> list) {
      ((List<Object>) list).set(Integer.parseInt(last), value);
    } else {
      throw new IllegalStateException("the TOML outline and the parsed document disagree at " + path);
    }
  }

  private static Object child(Object parent, String name) {
    if (parent instanceof Map<?, ?> map) {
      return map.get(name);
    }
    if (parent instanceof List<?> list) {
      return list.get(Integer.parseInt(name));
    }
    throw new IllegalStateException("the TOML outline and the parsed document disagree at " + name);
  }

  @SuppressWarnings("unchecked")
  private static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
      return (T) copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(deepCopy(v)));
      return (T) copy;
    }
    return value;
  }
}
