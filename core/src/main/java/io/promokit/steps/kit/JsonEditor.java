package io.promokit.steps.kit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.promokit.expressions.Quoting;
import io.promokit.internal.DataFormats;
import io.promokit.internal.JsonValues;
import io.promokit.steps.kit.SourceNode.Entry;
import io.promokit.steps.kit.SourceNode.Mapping;
import io.promokit.steps.kit.SourceNode.Scalar;
import io.promokit.steps.kit.SourceNode.Sequence;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Updates JSON by rewriting only the text of the value that changes, found from Jackson's token offsets. New
 * keys and list items follow the file's own layout: on their own line with the file's indentation when the
 * object or array is spread over lines, inline otherwise. Key order, spacing and indentation elsewhere are
 * untouched. After each change the editor reads the new text back and checks that the key holds the value. An
 * empty (or blank) file is read as an empty object, as Kargo's {@code json-update} reads it.
 *
 * <p>Part of the step kit ({@code json-update} uses it). Stateless and thread-safe.
 */
public final class JsonEditor implements DocumentEditor {

  private static final JsonFactory FACTORY = DataFormats.jsonFactory();

  /** An editor; it holds nothing, so one instance may serve every thread. */
  public JsonEditor() {}

  @Override
  public String update(String original, KeyPath key, Object value) {
    List<KeyPath.Part> parts = key.parts();
    boolean bom = original.startsWith("\ufeff");
    String text = bom ? original.substring(1) : original;
    if (text.isBlank()) {
      // As Kargo's sjson does: an empty file is an empty object, which the update fills.
      text = text.contains("\n") ? "{}\n" : "{}";
    }
    Document document = Document.parse(text);
    UpdateTarget target = UpdateTarget.locate(document.root, parts, value);
    Change change = new Writer(document).write(target);
    String updated = text.substring(0, change.start()) + change.text() + text.substring(change.end());
    Object actual = Values.at(read(updated), parts);
    if (!Values.same(value, actual)) {
      throw new IllegalStateException("the change would not read back as " + Values.toJson(value)
          + " (it reads as " + Values.toJson(actual) + "); the file was left unchanged");
    }
    return bom ? "\ufeff" + updated : updated;
  }

  /**
   * Reads a JSON text as JSON-like Java values (maps keep their key order), as the check after an update
   * does and as {@code json-parse} reads files. Anything after the value is an error.
   *
   * @throws DocumentSyntaxException when the text does not parse
   */
  public static Object read(String text) {
    try {
      return DataFormats.readJson(text.startsWith("\ufeff") ? text.substring(1) : text);
    } catch (DataFormats.SyntaxException e) {
      throw new DocumentSyntaxException("is not valid JSON: " + e.getMessage(), e);
    }
  }

  static DocumentSyntaxException syntaxError(JsonProcessingException e) {
    String where = e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    return new DocumentSyntaxException("is not valid JSON: " + e.getOriginalMessage() + where, e);
  }

  private record Change(int start, int end, String text) {}

  /** The parsed file and its layout habits. */
  private static final class Document {
    final String text;
    final SourceNode root;
    final String newline;
    String indentUnit = "  ";
    String colon = ": ";
    String comma = ", ";

    private Document(String text, SourceNode root) {
      this.text = text;
      this.root = root;
      this.newline = text.contains("\r\n") ? "\r\n" : "\n";
      learnLayout();
    }

    static Document parse(String text) {
      try (JsonParser parser = FACTORY.createParser(text)) {
        Document.Builder builder = new Document.Builder(text, parser);
        SourceNode root = builder.value(parser.nextToken());
        if (parser.nextToken() != null) {
          throw new DocumentSyntaxException("is not valid JSON: more than one value at the top level (line "
              + parser.currentTokenLocation().getLineNr() + ")", null);
        }
        return new Document(text, root);
      } catch (JsonProcessingException e) {
        throw syntaxError(e);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Builds the outline from the token stream. */
    private record Builder(String text, JsonParser parser) {
      SourceNode value(JsonToken token) throws IOException {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        switch (token) {
          case START_OBJECT -> {
            List<Entry> entries = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_OBJECT) {
              int keyStart = (int) parser.currentTokenLocation().getCharOffset();
              String key = parser.currentName();
              SourceNode value = value(parser.nextToken());
              entries.add(new Entry(key, keyStart, stringEnd(keyStart), value, SourceNode.Span.of(value)));
            }
            return new Mapping(start, start, end(), true, entries);
          }
          case START_ARRAY -> {
            List<SourceNode> items = new ArrayList<>();
            JsonToken next;
            while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
              items.add(value(next));
            }
            return new Sequence(start, start, end(), true, items, items.stream().map(SourceNode.Span::of).toList());
          }
          default -> {
            parser.getText();   // reads the whole token, so the location is after it
            int end = end();
            String type = switch (token) {
              case VALUE_STRING -> "string";
              case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
              case VALUE_TRUE, VALUE_FALSE -> "boolean";
              default -> "null";
            };
            return new Scalar(start, start, end, end, type, token == JsonToken.VALUE_STRING ? '"' : ' ');
          }
        }
      }

      private int end() {
        return (int) parser.currentLocation().getCharOffset();
      }

      /** The index after the closing quote of the string starting at {@code quote}. */
      private int stringEnd(int quote) {
        int p = quote + 1;
        while (p < text.length() && text.charAt(p) != '"') {
          p += text.charAt(p) == '\\' ? 2 : 1;
        }
        return p + 1;
      }
    }

    /** Learns indentation, the space after {@code :} and after {@code ,} from the first examples. */
    private void learnLayout() {
      boolean indentLearned = false;
      boolean colonLearned = false;
      boolean commaLearned = false;
      List<SourceNode> pending = new ArrayList<>();
      pending.add(root);
      while (!pending.isEmpty()) {
        SourceNode node = pending.remove(0);
        List<Integer> childStarts = new ArrayList<>();
        List<Integer> childEnds = new ArrayList<>();
        if (node instanceof Mapping map) {
          for (Entry entry : map.entries) {
            childStarts.add(entry.keyStart());
            childEnds.add(entry.value().end);
            pending.add(entry.value());
            if (!colonLearned) {
              colon = text.substring(entry.keyEnd(), entry.value().start);
              colonLearned = colon.strip().equals(":") && !colon.contains("\n");
              colon = colonLearned ? colon : ": ";
            }
          }
        } else if (node instanceof Sequence list) {
          for (SourceNode item : list.items) {
            childStarts.add(item.start);
            childEnds.add(item.end);
            pending.add(item);
          }
        }
        if (!indentLearned && !childStarts.isEmpty() && multiLine(node)) {
          String outer = indentation(node.start);
          String inner = indentation(childStarts.get(0));
          if (inner.startsWith(outer) && inner.length() > outer.length()) {
            indentUnit = inner.substring(outer.length());
            indentLearned = true;
          }
        }
        if (!commaLearned && childStarts.size() > 1 && !multiLine(node)) {
          String between = text.substring(childEnds.get(0), childStarts.get(1));
          if (between.strip().equals(",")) {
            comma = between;
            commaLearned = true;
          }
        }
      }
    }

    /** Whether an object or array has its first child on a later line than its opening bracket. */
    boolean multiLine(SourceNode node) {
      int firstChild = node instanceof Mapping map && !map.entries.isEmpty() ? map.entries.get(0).keyStart()
          : node instanceof Sequence list && !list.items.isEmpty() ? list.items.get(0).start : -1;
      if (firstChild < 0) {
        return text.substring(node.start, node.end).contains("\n");
      }
      return text.substring(node.start, firstChild).contains("\n");
    }

    /** The blanks at the start of the line holding {@code position}. */
    String indentation(int position) {
      int lineStart = text.lastIndexOf('\n', position - 1) + 1;
      int p = lineStart;
      while (p < text.length() && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
        p++;
      }
      return text.substring(lineStart, p);
    }
  }

  /** Writes new JSON text in the document's layout. */
  private static final class Writer {
    private final Document doc;

    Writer(Document doc) {
      this.doc = doc;
    }

    Change write(UpdateTarget target) {
      if (target instanceof UpdateTarget.Replace replace) {
        SourceNode node = replace.node();
        boolean spread = replace.parent().isDocument() ? doc.text.contains("\n")
            : doc.multiLine(replace.parent().container());
        return new Change(node.start, node.end, value(replace.value(), doc.indentation(node.start), spread));
      }
      if (target instanceof UpdateTarget.AddEntry add) {
        return add(add.map(), Quoting.json(add.key()) + doc.colon, add.value(), add.map().entries.isEmpty()
            ? -1 : add.map().entries.get(add.map().entries.size() - 1).keyStart(),
            add.map().entries.isEmpty() ? -1 : add.map().entries.get(add.map().entries.size() - 1).value().end);
      }
      UpdateTarget.Append append = (UpdateTarget.Append) target;
      List<SourceNode> items = append.list().items;
      return add(append.list(), "", append.value(), items.isEmpty() ? -1 : items.get(items.size() - 1).start,
          items.isEmpty() ? -1 : items.get(items.size() - 1).end);
    }

    /** Adds a member (prefix + value) after the last one, or into the empty container. */
    private Change add(SourceNode container, String prefix, Object value, int lastStart, int lastEnd) {
      String nl = doc.newline;
      if (lastEnd < 0) {
        if (doc.multiLine(container)) {
          String outer = doc.indentation(container.start);
          String inner = outer + doc.indentUnit;
          return new Change(container.start + 1, container.end - 1,
              nl + inner + prefix + value(value, inner, true) + nl + outer);
        }
        return new Change(container.start + 1, container.start + 1, prefix + value(value, "", false));
      }
      if (doc.multiLine(container)) {
        String indent = doc.indentation(lastStart);
        return new Change(lastEnd, lastEnd, "," + nl + indent + prefix + value(value, indent, true));
      }
      return new Change(lastEnd, lastEnd, doc.comma + prefix + value(value, "", false));
    }

    /** A value; collections spread over lines (at {@code indent}) when {@code spread}, else inline. */
    private String value(Object value, String indent, boolean spread) {
      if (value instanceof Map<?, ?> map) {
        if (map.isEmpty()) {
          return "{}";
        }
        List<String> members = new ArrayList<>();
        String inner = indent + doc.indentUnit;
        map.forEach((k, v) -> members.add(Quoting.json(String.valueOf(k)) + doc.colon + value(v, inner, spread)));
        return wrap("{", "}", members, indent, spread);
      }
      if (value instanceof List<?> list) {
        if (list.isEmpty()) {
          return "[]";
        }
        List<String> members = new ArrayList<>();
        String inner = indent + doc.indentUnit;
        list.forEach(v -> members.add(value(v, inner, spread)));
        return wrap("[", "]", members, indent, spread);
      }
      return scalar(value);
    }

    private String wrap(String open, String close, List<String> members, String indent, boolean spread) {
      if (!spread) {
        return open + String.join(doc.comma, members) + close;
      }
      String nl = doc.newline;
      String inner = indent + doc.indentUnit;
      return open + nl + inner + String.join("," + nl + inner, members) + nl + indent + close;
    }

    private static String scalar(Object value) {
      if (value == null) {
        return "null";
      }
      if (value instanceof String s) {
        return Quoting.json(s);
      }
      if (value instanceof Double d) {
        if (d.isNaN() || d.isInfinite()) {
          throw new IllegalArgumentException("the value " + d + " cannot be written in JSON");
        }
        return JsonValues.wholeAsDigits(d);
      }
      if (value instanceof Long || value instanceof BigInteger || value instanceof Boolean) {
        return value.toString();
      }
      return Quoting.json(String.valueOf(value));
    }
  }
}
