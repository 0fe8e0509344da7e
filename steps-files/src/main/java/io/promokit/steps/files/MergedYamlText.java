package io.promokit.steps.files;

import io.promokit.steps.kit.KeyPath;
import io.promokit.steps.kit.YamlEditor;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The text of a merged YAML document, written as the first input's text with only the merge's changes made to
 * it, so that the first file's comments, key order and layout survive: changed values are set and new keys
 * added with the step kit's {@link YamlEditor}, and keys a later file removed ({@code null}) are cut out line by
 * line. When a change cannot be made that way (a removal inside a flow collection, say), or the result would not
 * read back as the merged document, the merged document is written fresh instead (block style, two-space
 * indent; comments are then lost, as in Kargo, which always writes it fresh).
 */
final class MergedYamlText {

  private final YamlEditor editor = new YamlEditor();

  /** One change: set {@code value} at {@code path}, or remove the key at {@code path} when {@code remove}. */
  private record Edit(List<String> path, Object value, boolean remove) {}

  /**
   * The merged document's text.
   *
   * @param baseText the first input that had content, or null when there was none
   * @param base what {@code baseText} reads as
   * @param merged the merged document (not null)
   */
  String write(String baseText, Object base, Object merged) {
    if (baseText != null) {
      try {
        String edited = edit(baseText, base, merged);
        if (same(merged, YamlEditor.read(edited))) {
          return edited;
        }
      } catch (RuntimeException e) {
        // fall through to a fresh rendering: the edit is an optimisation for comments, not a requirement
      }
    }
    return fresh(merged);
  }

  private String edit(String text, Object base, Object merged) {
    List<Edit> edits = new ArrayList<>();
    diff(base, merged, List.of(), edits);
    String result = text;
    for (Edit edit : edits) {
      if (edit.remove()) {
        result = removeKey(result, edit.path());
      }
    }
    for (Edit edit : edits) {
      if (!edit.remove()) {
        result = edit.path().isEmpty() ? fresh(edit.value())
            : editor.update(result, KeyPath.of(edit.path().toArray(String[]::new)), edit.value());
      }
    }
    return result;
  }

  private static void diff(Object base, Object merged, List<String> path, List<Edit> edits) {
    if (base instanceof Map<?, ?> baseMap && merged instanceof Map<?, ?> mergedMap && !(mergedMap.isEmpty()
        && !baseMap.isEmpty())) {
      for (Object key : baseMap.keySet()) {
        if (!mergedMap.containsKey(String.valueOf(key))) {
          edits.add(new Edit(append(path, String.valueOf(key)), null, true));
        }
      }
      for (Map.Entry<?, ?> e : mergedMap.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (baseMap.containsKey(key)) {
          diff(baseMap.get(key), e.getValue(), append(path, key), edits);
        } else {
          edits.add(new Edit(append(path, key), e.getValue(), false));
        }
      }
      return;
    }
    if (base instanceof List<?> baseList && merged instanceof List<?> mergedList
        && mergedList.size() >= baseList.size() && !baseList.isEmpty() && sameKinds(baseList, mergedList)) {
      for (int i = 0; i < baseList.size(); i++) {
        diff(baseList.get(i), mergedList.get(i), append(path, String.valueOf(i)), edits);
      }
      for (int i = baseList.size(); i < mergedList.size(); i++) {
        edits.add(new Edit(append(path, "-1"), mergedList.get(i), false));
      }
      return;
    }
    if (!same(base, merged)) {
      edits.add(new Edit(path, merged, false));
    }
  }

  /** Whether the items at the same places are both maps or both not (so that item edits make sense). */
  private static boolean sameKinds(List<?> base, List<?> merged) {
    for (int i = 0; i < base.size(); i++) {
      if ((base.get(i) instanceof Map) != (merged.get(i) instanceof Map)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Cuts the lines of one key of a block mapping out of the text (the key's line up to the end of its value).
   *
   * @throws IllegalStateException when the key is not on lines of its own (flow style, a list item's first key)
   */
  private static String removeKey(String text, List<String> path) {
    Node node = compose(text);
    NodeTuple found = null;
    for (int i = 0; i < path.size(); i++) {
      String name = path.get(i);
      if (node instanceof MappingNode mapping) {
        NodeTuple tuple = mapping.getValue().stream()
            .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(name))
            .findFirst().orElseThrow(() -> new IllegalStateException("no key " + name));
        if (i == path.size() - 1) {
          if (mapping.getFlowStyle() != DumperOptions.FlowStyle.BLOCK || mapping.getValue().size() < 2) {
            throw new IllegalStateException("not a block mapping with other keys");
          }
          found = tuple;
        }
        node = tuple.getValueNode();
      } else if (node instanceof SequenceNode sequence) {
        node = sequence.getValue().get(Integer.parseInt(name));
      } else {
        throw new IllegalStateException("no collection at " + name);
      }
    }
    int keyStart = charIndex(text, found.getKeyNode().getStartMark().getIndex());
    int valueEnd = charIndex(text, found.getValueNode().getEndMark().getIndex());
    int lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
    if (!text.substring(lineStart, keyStart).isBlank()) {
      throw new IllegalStateException("the key does not start its line");
    }
    int end;
    if (valueEnd > 0 && text.charAt(valueEnd - 1) == '\n') {
      end = valueEnd;
    } else {
      int newline = text.indexOf('\n', valueEnd);
      end = newline < 0 ? text.length() : newline + 1;
      String rest = text.substring(valueEnd, newline < 0 ? text.length() : newline).strip();
      if (!rest.isEmpty() && !rest.startsWith("#")) {
        throw new IllegalStateException("something follows the value on its line");
      }
    }
    // A block value's end mark is where the next token starts: comment and blank lines before that belong to
    // what follows, not to the removed key.
    while (end > lineStart) {
      int previousLineStart = text.lastIndexOf('\n', end - 2) + 1;
      String line = text.substring(previousLineStart, end).strip();
      if (previousLineStart <= keyStart || !(line.isEmpty() || line.startsWith("#"))) {
        break;
      }
      end = previousLineStart;
    }
    return text.substring(0, lineStart) + text.substring(end);
  }

  private static Node compose(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024);
    try {
      return new Yaml(options).compose(new StringReader(text.startsWith("\ufeff") ? text.substring(1) : text));
    } catch (YAMLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** SnakeYAML marks count code points; Java strings count chars. */
  private static int charIndex(String text, int codePointIndex) {
    int offset = text.startsWith("\ufeff") ? 1 : 0;
    return text.offsetByCodePoints(offset, codePointIndex);
  }

  /** The document written fresh: block style, two-space indent, list items indented under their key. */
  static String fresh(Object value) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setWidth(Integer.MAX_VALUE);
    options.setSplitLines(false);
    return new Yaml(options).dump(value);
  }

  /** Equal as documents: numbers by value (an Integer and a Long of the same value are the same). */
  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !same(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return java.util.Objects.equals(a, b);
  }

  private static List<String> append(List<String> path, String name) {
    List<String> result = new ArrayList<>(path);
    result.add(name);
    return List.copyOf(result);
  }
}
