package io.promokit.steps.kit;

import io.promokit.internal.DataFormats;
import io.promokit.internal.yaml.YamlTreeReader;
import io.promokit.steps.kit.SourceNode.Entry;
import io.promokit.steps.kit.SourceNode.Mapping;
import io.promokit.steps.kit.SourceNode.Scalar;
import io.promokit.steps.kit.SourceNode.Sequence;
import io.promokit.steps.kit.SourceNode.Span;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Updates YAML by rewriting only the text of the value that changes. SnakeYAML's node marks say where each
 * value's text is; the new value is written in the old one's place, in its quoting style (a quoted value
 * stays quoted, a literal block stays a literal block), and new keys and list items are written with the
 * indentation the file already uses. Comments, key order, quoting and indentation elsewhere are untouched,
 * because no other character of the file is rewritten.
 *
 * <p>Files with more than one document ({@code ---}) are refused: which document a key means would be a
 * guess.
 *
 * <p>Part of the step kit: {@code yaml-update} uses it, and so can any step that edits a YAML file a person
 * also edits (a {@code kustomization.yaml}, a {@code Chart.yaml}). After each change the editor reads the new
 * text back and checks that the key holds the value, so an edit it cannot make safely fails instead of
 * corrupting the file. Stateless and thread-safe.
 *
 * <pre>{@code
 * String text = Files.readString(file);
 * String updated = new YamlEditor().update(text, KeyPath.parse("spec.replicas"), 3);
 * AtomicFiles.write(file, updated.getBytes(StandardCharsets.UTF_8), null, true);
 * }</pre>
 */
public final class YamlEditor implements DocumentEditor {


  /** An editor; it holds nothing, so one instance may serve every thread. */
  public YamlEditor() {}

  @Override
  public String update(String original, KeyPath key, Object value) {
    List<KeyPath.Part> parts = key.parts();
    boolean bom = original.startsWith("\ufeff");
    String text = bom ? original.substring(1) : original;
    Document document = Document.parse(text);
    UpdateTarget target = UpdateTarget.locate(document.root, parts, value);
    Change change = new Writer(document).write(target);
    String updated = text.substring(0, change.start) + change.text + text.substring(change.end);
    boolean direct = target instanceof UpdateTarget.Replace replace && replace.value() == value;
    verify(updated, parts, direct ? change.readsAs : value);
    return bom ? "\ufeff" + updated : updated;
  }

  /**
   * Reads the first document of a YAML text as JSON-like Java values (maps keep their key order), as the
   * check after an update does and as {@code yaml-parse} reads files. Scalars resolve as in every promokit
   * YAML reader: YAML 1.1 booleans, integers and nulls (as go-yaml v2 and Kubernetes), timestamps and
   * {@code 1:30} kept as strings (as Kargo's YAML-to-JSON conversion leaves them); anchors, aliases and merge
   * keys resolved; a duplicate key is an error.
   *
   * @return the value, or null for an empty text
   * @throws DocumentSyntaxException when the text does not parse
   */
  public static Object read(String text) {
    try {
      return DataFormats.readYaml(text.startsWith("\ufeff") ? text.substring(1) : text);
    } catch (DataFormats.SyntaxException e) {
      throw new DocumentSyntaxException("is not valid YAML: " + e.getMessage(), e);
    }
  }

  private static void verify(String updated, List<KeyPath.Part> parts, Object expected) {
    Object actual = Values.at(read(updated), parts);
    if (!Values.same(expected, actual)) {
      throw new IllegalStateException("the change would not read back as " + Values.toJson(expected)
          + " (it reads as " + Values.toJson(actual) + "); the file was left unchanged");
    }
  }

  static DocumentSyntaxException syntaxError(YAMLException e) {
    if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark mark = marked.getProblemMark();
      String problem = marked.getProblem() == null ? marked.getMessage() : marked.getProblem();
      return new DocumentSyntaxException("is not valid YAML: " + problem + " (line " + (mark.getLine() + 1)
          + ", column " + (mark.getColumn() + 1) + ")", e);
    }
    return new DocumentSyntaxException("is not valid YAML: " + e.getMessage(), e);
  }

  /** One text replacement and what the changed value reads back as. */
  private record Change(int start, int end, String text, Object readsAs) {}

  /** The parsed file: its outline, and the layout habits new text should follow. */
  private static final class Document {
    final String text;
    final SourceNode root;
    final String newline;
    int indentStep = 2;
    int sequenceIndent = -1;

    private final int[] charIndexOfCodePoint;
    private final Map<Node, SourceNode> built = new IdentityHashMap<>();

    private Document(String text, Node rootNode) {
      this.text = text;
      this.newline = text.contains("\r\n") ? "\r\n" : "\n";
      this.charIndexOfCodePoint = codePointTable(text);
      this.root = rootNode == null ? null : build(rootNode);
      learnLayout(root, false);
      if (sequenceIndent < 0) {
        sequenceIndent = indentStep;
      }
    }

    static Document parse(String text) {
      LoaderOptions options = new LoaderOptions();
      options.setCodePointLimit(YamlTreeReader.CODE_POINT_LIMIT);
      List<Node> documents = new ArrayList<>();
      try {
        new Yaml(options).composeAll(new StringReader(text)).forEach(documents::add);
      } catch (YAMLException e) {
        throw syntaxError(e);
      }
      if (documents.size() > 1) {
        throw new IllegalArgumentException("the file holds " + documents.size()
            + " YAML documents; yaml-update changes files with one document");
      }
      return new Document(text, documents.isEmpty() ? null : documents.get(0));
    }

    /** SnakeYAML counts code points; Java strings count chars. Null when they agree (no surrogates). */
    private static int[] codePointTable(String text) {
      if (text.codePoints().count() == text.length()) {
        return null;
      }
      int[] table = new int[text.codePointCount(0, text.length()) + 1];
      int cp = 0;
      for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
        table[cp++] = i;
      }
      table[cp] = text.length();
      return table;
    }

    int index(Mark mark) {
      int codePoint = mark.getIndex();
      return charIndexOfCodePoint == null ? codePoint : charIndexOfCodePoint[codePoint];
    }

    private SourceNode build(Node node) {
      int outer = index(node.getStartMark());
      int end = index(node.getEndMark());
      int start = skipProperties(outer, end);
      SourceNode result;
      if (node instanceof ScalarNode scalar) {
        result = new Scalar(outer, start, end, trimEnd(start, end), typeOf(scalar), style(scalar));
      } else if (node instanceof MappingNode mapping) {
        boolean flow = mapping.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
        built.put(node, new Mapping(outer, start, end, flow, List.of()));   // stands in for a recursive alias
        List<Entry> entries = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
          if (tuple.getKeyNode() instanceof ScalarNode key) {
            int keyStart = skipProperties(index(key.getStartMark()), index(key.getEndMark()));
            int keyEnd = index(key.getEndMark());
            Node valueNode = tuple.getValueNode();
            boolean alias = built.containsKey(valueNode);
            SourceNode value = alias ? built.get(valueNode) : build(valueNode);
            Span span = alias ? aliasSpan(colonAfter(keyEnd), value) : Span.of(value);
            entries.add(new Entry(key.getValue(), keyStart, keyEnd, value, span));
          }
        }
        result = new Mapping(outer, start, end, flow, entries);
      } else {
        SequenceNode sequence = (SequenceNode) node;
        boolean flow = sequence.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
        built.put(node, new Sequence(outer, start, end, flow, List.of(), List.of()));
        List<SourceNode> items = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        int previousEnd = start;
        for (Node itemNode : sequence.getValue()) {
          boolean alias = built.containsKey(itemNode);
          SourceNode item = alias ? built.get(itemNode) : build(itemNode);
          Span span = alias ? aliasSpan(indicatorAfter(previousEnd, flow), item) : Span.of(item);
          items.add(item);
          spans.add(span);
          previousEnd = span.end();
        }
        result = new Sequence(outer, start, end, flow, items, spans);
      }
      built.put(node, result);
      return result;
    }

    /** Just after the {@code :} that follows a key ending at {@code keyEnd} (or keyEnd when there is none). */
    private int colonAfter(int keyEnd) {
      int p = keyEnd;
      while (p < text.length() && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
        p++;
      }
      return p < text.length() && text.charAt(p) == ':' ? p + 1 : keyEnd;
    }

    /** Just after the {@code -} (block) or {@code [} / {@code ,} (flow) that introduces the next list item. */
    private int indicatorAfter(int position, boolean flow) {
      int p = position;
      while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
        p++;
      }
      boolean indicator = p < text.length() && (flow ? text.charAt(p) == '[' || text.charAt(p) == ',' : text.charAt(p) == '-');
      return indicator ? p + 1 : position;
    }

    /** The span of an alias token ({@code *name}) starting after {@code from}, or the value's own span. */
    private Span aliasSpan(int from, SourceNode value) {
      int p = from;
      while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
        p++;
      }
      if (p >= text.length() || text.charAt(p) != '*') {
        return Span.of(value);
      }
      int end = p + 1;
      while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && ",]}".indexOf(text.charAt(end)) < 0) {
        end++;
      }
      return new Span(p, end);
    }

    /** Skips an anchor ({@code &a}) and a tag ({@code !!str}) before a value. */
    private int skipProperties(int start, int end) {
      int p = start;
      while (p < end && (text.charAt(p) == '&' || text.charAt(p) == '!')) {
        while (p < end && !Character.isWhitespace(text.charAt(p))) {
          p++;
        }
        while (p < end && Character.isWhitespace(text.charAt(p))) {
          p++;
        }
      }
      return p;
    }

    /** The end without trailing blanks and line breaks (a block scalar's marks include them). */
    private int trimEnd(int start, int end) {
      int e = end;
      while (e > start && Character.isWhitespace(text.charAt(e - 1))) {
        e--;
      }
      return e;
    }

    private static String typeOf(ScalarNode scalar) {
      Tag tag = scalar.getTag();
      if (tag.equals(Tag.NULL)) {
        return "null";
      }
      if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
        return "number";
      }
      if (tag.equals(Tag.BOOL)) {
        return "boolean";
      }
      return tag.equals(Tag.STR) ? "string" : tag.getValue().replaceFirst("^tag:yaml.org,2002:", "");
    }

    private static char style(ScalarNode scalar) {
      return switch (scalar.getScalarStyle()) {
        case DOUBLE_QUOTED -> '"';
        case SINGLE_QUOTED -> '\'';
        case LITERAL -> '|';
        case FOLDED -> '>';
        default -> ' ';
      };
    }

    /** Learns the indentation step and whether lists under a key are indented, from the first examples. */
    private void learnLayout(SourceNode node, boolean learnedStep) {
      if (node instanceof Mapping map && !map.flow) {
        for (Entry entry : map.entries) {
          int keyColumn = column(entry.keyStart());
          if (entry.value() instanceof Mapping child && !child.flow && !child.entries.isEmpty() && !learnedStep) {
            int step = column(child.entries.get(0).keyStart()) - keyColumn;
            if (step > 0) {
              indentStep = step;
              learnedStep = true;
            }
          }
          if (entry.value() instanceof Sequence list && !list.flow && !list.items.isEmpty() && sequenceIndent < 0) {
            int dash = dashBefore(list.spans.get(0).start());
            if (dash >= 0 && column(dash) >= keyColumn) {
              sequenceIndent = column(dash) - keyColumn;
            }
          }
          learnLayout(entry.value(), learnedStep);
        }
      } else if (node instanceof Sequence list) {
        list.items.forEach(item -> learnLayout(item, false));
      }
    }

    int column(int position) {
      return position - (text.lastIndexOf('\n', position - 1) + 1);
    }

    /** The end of the line holding {@code position} (before its line break). */
    int lineEnd(int position) {
      int newline = text.indexOf('\n', position);
      if (newline < 0) {
        return text.length();
      }
      return newline > 0 && text.charAt(newline - 1) == '\r' ? newline - 1 : newline;
    }

    /** The index of the {@code -} that introduces the block list item whose text starts at {@code itemStart}, or -1. */
    int dashBefore(int itemStart) {
      int p = itemStart - 1;
      while (p >= 0 && Character.isWhitespace(text.charAt(p))) {
        p--;
      }
      return p >= 0 && text.charAt(p) == '-' ? p : -1;
    }

    /** The index just after the {@code :} that follows a key. */
    int afterColon(Entry entry) {
      int p = entry.keyEnd();
      while (p < text.length() && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
        p++;
      }
      if (p >= text.length() || text.charAt(p) != ':') {
        throw new IllegalArgumentException("the key \"" + entry.key() + "\" is written in a form yaml-update "
            + "does not rewrite (a complex key)");
      }
      return p + 1;
    }
  }

  /** Writes new text for an update target in the document's own style. */
  private static final class Writer {
    private final Document doc;
    private final String nl;

    Writer(Document doc) {
      this.doc = doc;
      this.nl = doc.newline;
    }

    Change write(UpdateTarget target) {
      if (target instanceof UpdateTarget.Replace replace) {
        return replace(replace.node(), replace.parent(), replace.value());
      }
      if (target instanceof UpdateTarget.AddEntry add) {
        return addEntry(add.map(), add.key(), add.value());
      }
      if (target instanceof UpdateTarget.Append append) {
        return append(append.list(), append.value());
      }
      return fillDocument(((UpdateTarget.FillDocument) target).value());
    }

    private Change replace(SourceNode node, UpdateTarget.Parent parent, Object value) {
      boolean flowParent = isFlow(parent.container());
      Span span = spanOf(node, parent);
      if (span.isAliasOf(node) && (!(node instanceof Scalar) || isNonEmptyCollection(value))) {
        // An alias shares its anchor's value; only an aliased scalar can be changed in the anchor's place.
        throw new IllegalArgumentException("the value is an alias (" + doc.text.substring(span.start(), span.end())
            + ") of a map or list defined elsewhere; yaml-update changes aliased scalars only");
      }
      if (!isNonEmptyCollection(value)) {
        if (node instanceof Scalar scalar) {
          Rendered rendered = scalar(value, scalar, flowParent);
          String text = rendered.text;
          if (scalar.start == scalar.contentEnd() && scalar.start > 0 && doc.text.charAt(scalar.start - 1) != ' ') {
            text = " " + text;   // "key:" with no value yet
          }
          return new Change(scalar.start, scalar.contentEnd(), text, rendered.readsAs);
        }
        if (isFlow(node) || parent.isDocument()) {
          return new Change(node.start, node.contentEnd(), inline(value, flowParent), value);
        }
        return new Change(indicatorEnd(node, parent), node.contentEnd(), " " + inline(value, false), value);
      }
      if (flowParent || isFlow(node)) {
        return new Change(node.start, node.contentEnd(), flow(value), value);
      }
      if (parent.isDocument()) {
        return new Change(node.start, node.contentEnd(), block(value, 0), value);
      }
      if (parent.container() instanceof Mapping) {
        int keyColumn = doc.column(parent.entry().keyStart());
        return new Change(doc.afterColon(parent.entry()), node.contentEnd(), afterColon(value, keyColumn), value);
      }
      int dash = doc.dashBefore(span.start());
      return new Change(dash + 1, node.contentEnd(), afterDash(value, doc.column(dash)), value);
    }

    /** Where the node's text is in its parent (an alias's own text when the node is used through one). */
    private static Span spanOf(SourceNode node, UpdateTarget.Parent parent) {
      if (parent.entry() != null) {
        return parent.entry().valueSpan();
      }
      if (parent.container() instanceof Sequence list) {
        return list.spans.get(parent.index());
      }
      return Span.of(node);
    }

    private Change addEntry(Mapping map, String key, Object value) {
      if (map.flow) {
        String entry = YamlScalars.plainOrQuoted(key, true) + ": " + flow(value);
        if (map.entries.isEmpty()) {
          return new Change(map.end - 1, map.end - 1, entry, value);
        }
        int after = map.entries.get(map.entries.size() - 1).valueSpan().end();
        return new Change(after, after, ", " + entry, value);
      }
      int keyColumn = doc.column(map.entries.get(0).keyStart());
      int at = doc.lineEnd(map.contentEnd());
      String entry = nl + spaces(keyColumn) + YamlScalars.plainOrQuoted(key, false) + ":" + afterColon(value, keyColumn);
      return new Change(at, at, entry, value);
    }

    private Change append(Sequence list, Object value) {
      if (list.flow) {
        if (list.items.isEmpty()) {
          return new Change(list.end - 1, list.end - 1, flow(value), value);
        }
        int after = list.spans.get(list.spans.size() - 1).end();
        return new Change(after, after, ", " + flow(value), value);
      }
      int dashColumn = doc.column(doc.dashBefore(list.spans.get(0).start()));
      int at = doc.lineEnd(list.contentEnd());
      return new Change(at, at, nl + spaces(dashColumn) + "-" + afterDash(value, dashColumn), value);
    }

    private Change fillDocument(Map<String, Object> value) {
      String text = doc.text;
      String before = text.isEmpty() || text.endsWith("\n") ? "" : nl;
      return new Change(text.length(), text.length(), before + block(value, 0) + nl, value);
    }

    /** A scalar replacing {@code old}, in old's quoting style where the new value allows it. */
    private Rendered scalar(Object value, Scalar old, boolean flow) {
      if (value == null) {
        return new Rendered("null", null);
      }
      if (value instanceof Boolean || value instanceof Number) {
        String text = value instanceof Number n ? YamlScalars.number(n) : value.toString();
        if (old.style == '"') {
          return new Rendered(YamlScalars.doubleQuoted(text), text);
        }
        if (old.style == '\'') {
          return new Rendered(YamlScalars.singleQuoted(text), text);
        }
        return new Rendered(text, value);
      }
      if (value instanceof String s) {
        if (old.style == '"') {
          return new Rendered(YamlScalars.doubleQuoted(s), s);
        }
        if (old.style == '\'' && YamlScalars.canSingleQuote(s)) {
          return new Rendered(YamlScalars.singleQuoted(s), s);
        }
        if ((old.style == '|' || old.style == '>') && fitsLiteral(s)) {
          return new Rendered(literal(s, literalIndent(old)), s);
        }
        return new Rendered(YamlScalars.plainOrQuoted(s, flow), s);
      }
      return new Rendered(inline(value, flow), value);
    }

    /** A multi-line string that reads back the same as a {@code |} block (no leading blank, one final break at most). */
    private boolean fitsLiteral(String s) {
      if (!s.contains("\n") || s.startsWith(" ") || s.startsWith("\t") || s.endsWith("\n\n") || s.contains("\r")) {
        return false;
      }
      for (String line : s.split("\n", -1)) {
        if (!line.isEmpty() && (line.endsWith(" ") || line.endsWith("\t"))) {
          return false;   // trailing blanks would survive, but keep the check simple and safe
        }
        if (!YamlScalars.canSingleQuote(line.replace("\t", " "))) {
          return false;
        }
      }
      return true;
    }

    private String literal(String s, int indent) {
      boolean finalBreak = s.endsWith("\n");
      String body = finalBreak ? s.substring(0, s.length() - 1) : s;
      StringBuilder sb = new StringBuilder(finalBreak ? "|" : "|-");
      for (String line : body.split("\n", -1)) {
        sb.append(nl).append(line.isEmpty() ? "" : spaces(indent) + line);
      }
      return sb.toString();
    }

    /** The indentation of an existing block scalar's first content line. */
    private int literalIndent(Scalar old) {
      int lineStart = doc.text.indexOf('\n', old.start);
      while (lineStart >= 0 && lineStart + 1 < old.contentEnd()) {
        int p = lineStart + 1;
        int indent = 0;
        while (p < doc.text.length() && doc.text.charAt(p) == ' ') {
          p++;
          indent++;
        }
        if (p < doc.text.length() && doc.text.charAt(p) != '\n' && doc.text.charAt(p) != '\r') {
          return indent;
        }
        lineStart = doc.text.indexOf('\n', p);
      }
      return doc.column(old.outerStart) + doc.indentStep;
    }

    /** Where the value's text may start: after the key's {@code :} or the item's {@code -}. */
    private int indicatorEnd(SourceNode node, UpdateTarget.Parent parent) {
      if (parent.container() instanceof Mapping) {
        return doc.afterColon(parent.entry());
      }
      return doc.dashBefore(spanOf(node, parent).start()) + 1;
    }

    /** The text after {@code key:} for a value whose key sits at {@code keyColumn}. */
    private String afterColon(Object value, int keyColumn) {
      if (!isNonEmptyCollection(value)) {
        return " " + inline(value, false);
      }
      StringBuilder sb = new StringBuilder();
      if (value instanceof Map<?, ?> map) {
        int column = keyColumn + doc.indentStep;
        map.forEach((k, v) -> sb.append(nl).append(spaces(column))
            .append(YamlScalars.plainOrQuoted(String.valueOf(k), false)).append(':').append(afterColon(v, column)));
      } else {
        int column = keyColumn + doc.sequenceIndent;
        ((List<?>) value).forEach(item -> sb.append(nl).append(spaces(column)).append('-')
            .append(afterDash(item, column)));
      }
      return sb.toString();
    }

    /** The text after a list item's {@code -} at {@code dashColumn}. */
    private String afterDash(Object value, int dashColumn) {
      if (!isNonEmptyCollection(value)) {
        return " " + inline(value, false);
      }
      int column = dashColumn + 2;
      StringBuilder sb = new StringBuilder();
      if (value instanceof Map<?, ?> map) {
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          sb.append(first ? " " : nl + spaces(column)).append(YamlScalars.plainOrQuoted(String.valueOf(e.getKey()), false))
              .append(':').append(afterColon(e.getValue(), column));
          first = false;
        }
      } else {
        boolean first = true;
        for (Object item : (List<?>) value) {
          sb.append(first ? " " : nl + spaces(column)).append('-').append(afterDash(item, column));
          first = false;
        }
      }
      return sb.toString();
    }

    /** A map in block style at column 0 (the document's top level); anything else on one line. */
    private String block(Object value, int column) {
      if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
        return inline(value, false);
      }
      StringBuilder sb = new StringBuilder();
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(first ? "" : nl + spaces(column)).append(YamlScalars.plainOrQuoted(String.valueOf(e.getKey()), false))
            .append(':').append(afterColon(e.getValue(), column));
        first = false;
      }
      return sb.toString();
    }

    /** A scalar or an empty collection, on one line. */
    private String inline(Object value, boolean flow) {
      if (value == null) {
        return "null";
      }
      if (value instanceof String s) {
        return YamlScalars.plainOrQuoted(s, flow);
      }
      if (value instanceof Number n) {
        return YamlScalars.number(n);
      }
      if (value instanceof Map<?, ?> || value instanceof List<?>) {
        return flow(value);
      }
      return String.valueOf(value);
    }

    /** A value in flow style: {@code {a: 1, b: [x, y]}}. */
    private String flow(Object value) {
      if (value instanceof Map<?, ?> map) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          sb.append(first ? "" : ", ").append(YamlScalars.plainOrQuoted(String.valueOf(e.getKey()), true))
              .append(": ").append(flow(e.getValue()));
          first = false;
        }
        return sb.append('}').toString();
      }
      if (value instanceof List<?> list) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
          sb.append(i == 0 ? "" : ", ").append(flow(list.get(i)));
        }
        return sb.append(']').toString();
      }
      return inline(value, true);
    }

    private static boolean isFlow(SourceNode node) {
      return (node instanceof Mapping map && map.flow) || (node instanceof Sequence list && list.flow);
    }

    private static boolean isNonEmptyCollection(Object value) {
      return (value instanceof Map<?, ?> map && !map.isEmpty()) || (value instanceof List<?> list && !list.isEmpty());
    }

    private static String spaces(int n) {
      return " ".repeat(Math.max(0, n));
    }
  }

  private record Rendered(String text, Object readsAs) {}
}
