package io.promokit.steps.manifests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads YAML, and sets one field in YAML text by rewriting only that field's value text (SnakeYAML's node
 * marks say where it is), so comments and layout elsewhere stay. A minimal stand-in for the step kit's
 * YamlEditor, which is not on this branch yet: it sets a scalar at any path, and a top-level list of maps.
 */
final class YamlFields {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private YamlFields() {}

  static Object read(String text) {
    try {
      return YAML.readValue(text, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("is not valid YAML: " + e.getMessage(), e);
    }
  }

  /**
   * Sets the value at {@code path} (map keys as strings, list indexes as integers).
   *
   * @throws IllegalArgumentException when the path does not lead to an existing scalar (or a top-level key)
   */
  static String set(String text, List<Object> path, Object value) {
    Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    if (root == null) {
      return text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + path.get(0) + ":" + block(value, 0) + "\n";
    }
    Node parent = root;
    for (int i = 0; i < path.size(); i++) {
      Object part = path.get(i);
      boolean last = i == path.size() - 1;
      if (parent instanceof MappingNode map && part instanceof String key) {
        NodeTuple found = null;
        for (NodeTuple tuple : map.getValue()) {
          if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
            found = tuple;
          }
        }
        if (found == null) {
          if (last && i == 0) {
            return text + (text.endsWith("\n") ? "" : "\n") + key + ":" + block(value, 0) + "\n";
          }
          throw new IllegalArgumentException("no key \"" + key + "\" at " + path.subList(0, i));
        }
        if (last) {
          return replace(text, found, value);
        }
        parent = found.getValueNode();
      } else if (parent instanceof SequenceNode list && part instanceof Integer index && index < list.getValue().size()) {
        if (last) {
          throw new IllegalArgumentException("a list item cannot be replaced whole");
        }
        parent = list.getValue().get(index);
      } else {
        throw new IllegalArgumentException("cannot follow " + part + " at " + path.subList(0, i));
      }
    }
    throw new IllegalArgumentException("empty path");
  }

  private static String replace(String text, NodeTuple tuple, Object value) {
    Node node = tuple.getValueNode();
    int keyColumn = tuple.getKeyNode().getStartMark().getColumn();
    int start = tuple.getKeyNode().getEndMark().getIndex();
    int colon = text.indexOf(':', start);
    int end = node.getEndMark().getIndex();
    if (node instanceof ScalarNode scalar && !(value instanceof List)) {
      String quoted = scalar.getScalarStyle().getChar() == null ? plain(String.valueOf(value))
          : "\"" + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      return text.substring(0, node.getStartMark().getIndex()) + quoted + text.substring(end);
    }
    while (end > colon && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, colon + 1) + block(value, keyColumn) + text.substring(end);
  }

  /** A value written after {@code key:} whose key sits at {@code column}: a block list of maps, or a scalar. */
  private static String block(Object value, int column) {
    if (!(value instanceof List<?> list)) {
      return " " + plain(String.valueOf(value));
    }
    if (list.isEmpty()) {
      return " []";
    }
    StringBuilder sb = new StringBuilder();
    String indent = " ".repeat(column);
    for (Object item : list) {
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) item).entrySet()) {
        sb.append('\n').append(indent).append(first ? "- " : "  ").append(e.getKey()).append(": ")
            .append(plain(String.valueOf(e.getValue())));
        first = false;
      }
    }
    return sb.toString();
  }

  /** The text plain when it reads back as the same string, double-quoted otherwise. */
  private static String plain(String s) {
    Object back;
    try {
      back = YAML.readValue("k: " + s, Map.class).get("k");
    } catch (IOException | RuntimeException e) {
      back = null;
    }
    if (s.equals(back) && !s.contains(" #") && !s.startsWith("*") && !s.startsWith("&")) {
      return s;
    }
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
