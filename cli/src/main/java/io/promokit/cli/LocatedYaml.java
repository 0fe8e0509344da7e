package io.promokit.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of a multi-document YAML file as trees whose every node knows its line, for input files
 * whose problems the CLI reports as {@code file:line}. Scalars keep their text as written (a secret
 * {@code 0123} stays {@code "0123"}); a key given twice in one map is an error. Syntax errors are reported
 * without quoting the file's text (it may hold secrets).
 */
final class LocatedYaml {

  /** A value with the line it starts on: a {@code Map<String, Node>}, a {@code List<Node>}, or a scalar. */
  record Node(Object value, int line) {

    @SuppressWarnings("unchecked")
    Map<String, Node> map() {
      return value instanceof Map<?, ?> m ? (Map<String, Node>) m : null;
    }

    /** The scalar as text, or null when this is not a scalar. */
    String text() {
      return value == null || value instanceof Map || value instanceof List ? null : String.valueOf(value);
    }
  }

  // An empty plain value (and an empty document) is null, as `new YAMLFactory()` has it; the builder does not.
  private static final YAMLFactory FACTORY = YAMLFactory.builder()
      .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private LocatedYaml() {}

  /** Every document of the file, in order (empty documents are null nodes). */
  static List<Node> documents(Path file) {
    String text = Json.readText(file);
    List<Node> documents = new ArrayList<>();
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        documents.add(read(file, (YAMLParser) parser, token));
      }
    } catch (JsonProcessingException e) {
      throw Json.secretSyntaxError(file, e);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read it: " + e.getMessage(), e);
    }
    return documents;
  }

  private static Node read(Path file, YAMLParser parser, JsonToken token) throws IOException {
    int line = parser.currentTokenLocation().getLineNr();
    if (parser.isCurrentAlias()) {
      // Jackson's streaming parser gives an alias as its anchor's name, and "<<" as a plain key.
      throw new BadInputException(file + ":" + line + ": YAML aliases (*" + parser.getText() + ") are not supported"
          + " in this file; write the value out");
    }
    switch (token) {
      case START_OBJECT -> {
        Map<String, Node> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          if ("<<".equals(name)) {
            throw new BadInputException(file + ":" + parser.currentTokenLocation().getLineNr()
                + ": YAML merge keys (<<) are not supported in this file; write the values out");
          }
          map.put(name, read(file, parser, parser.nextToken()));
        }
        return new Node(map, line);
      }
      case START_ARRAY -> {
        List<Node> list = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          list.add(read(file, parser, next));
        }
        return new Node(list, line);
      }
      case VALUE_NULL -> {
        return new Node(null, line);
      }
      default -> {
        return new Node(parser.getText(), line);
      }
    }
  }
}
