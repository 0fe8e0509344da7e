package io.promokit.internal.yaml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.promokit.documents.DocumentException;
import io.promokit.documents.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads YAML or JSON files into trees of {@link YamlNode}s that know their file, line and column. A file may
 * hold several documents separated by {@code ---} (JSON: several top-level values); empty documents are
 * skipped. Anchors and aliases on mappings and lists, and {@code <<} merge keys, are resolved. Duplicate
 * keys and malformed input are {@link DocumentException}s naming {@code file:line:column}.
 *
 * <p>Files whose name ends with {@code .json} are read with the JSON parser; everything else with the YAML
 * parser (which also reads JSON). Stateless and thread-safe.
 */
public final class YamlTreeReader {

  // Factories are immutable once built and safe to share.
  // An empty plain value (`key:`) is null in YAML; a quoted one ('') stays an empty string.
  // Parsers of this factory read in time linear in the text's length (LinearYamlFactory).
  private static final YAMLFactory YAML = new LinearYamlFactory(YAMLFactory.builder()
      .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
      .loaderOptions(loaderOptions()));

  /** Nodes a document may hold once its aliases are expanded; more is an alias bomb, not a template. */
  static final long MAX_EXPANDED_NODES = 1_000_000;

  /** What only some reads need, made on first use rather than with the class (every command start loads it). */
  private static final class Lazy {
    static final JsonFactory JSON = JsonFactory.builder().build();
    // Lines of SnakeYAML's messages that only repeat the position and quote the source.
    static final Pattern POSITION_LINE = Pattern.compile("^\\s*in '.*', line \\d+, column \\d+:$");
  }

  /** The largest YAML text read, in code points (SnakeYAML's default is 3 MB; manifests can be larger). */
  public static final int CODE_POINT_LIMIT = 64 * 1024 * 1024;

  private YamlTreeReader() {}

  static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
    org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
    options.setCodePointLimit(CODE_POINT_LIMIT);
    return options;
  }

  /**
   * Reads every document of a file. The file's path, as given, names it in locations.
   *
   * @throws DocumentException when the file cannot be read or is malformed
   */
  public static List<YamlDocument> read(Path file) {
    return read(file, null);
  }

  /**
   * Reads the documents of a file up to its first malformed part, and adds that problem (or why the file
   * could not be read) to {@code problems}: the documents before a syntax error are still used.
   */
  public static List<YamlDocument> read(Path file, DocumentProblems problems) {
    Objects.requireNonNull(file, "file must not be null");
    try {
      return readFile(file, problems);
    } catch (DocumentException e) {
      if (problems == null) {
        throw e;
      }
      problems.add(e);
      return List.of();
    }
  }

  private static List<YamlDocument> readFile(Path file, DocumentProblems problems) {
    String source = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DocumentException(new SourceLocation(source, 0, 0), null, "no such file");
    } catch (IOException e) {
      throw new DocumentException(new SourceLocation(source, 0, 0), null, "cannot read the file: " + e, e);
    }
    try (JsonParser parser = factoryFor(source).createParser(bytes)) {
      return new Builder(parser, source, new SourceText(new String(bytes, StandardCharsets.UTF_8)))
          .documents(problems);
    } catch (IOException e) {
      throw unexpected(source, e);
    }
  }

  /**
   * Reads every document of a text.
   *
   * @param sourceName names the text in locations; a name ending with {@code .json} selects the JSON parser
   * @throws DocumentException when the text is malformed
   */
  public static List<YamlDocument> read(String content, String sourceName) {
    return read(content, sourceName, null);
  }

  /** As {@link #read(Path, DocumentProblems)}, for a text. */
  public static List<YamlDocument> read(String content, String sourceName, DocumentProblems problems) {
    Objects.requireNonNull(content, "content must not be null");
    Objects.requireNonNull(sourceName, "sourceName must not be null");
    try (JsonParser parser = factoryFor(sourceName).createParser(content)) {
      return new Builder(parser, sourceName, new SourceText(content)).documents(problems);
    } catch (IOException e) {
      DocumentException problem = unexpected(sourceName, e);
      if (problems == null) {
        throw problem;
      }
      problems.add(problem);
      return List.of();
    }
  }

  private static JsonFactory factoryFor(String source) {
    return source.toLowerCase(Locale.ROOT).endsWith(".json") ? Lazy.JSON : YAML;
  }

  private static DocumentException unexpected(String source, IOException e) {
    return new DocumentException(new SourceLocation(source, 0, 0), null, "cannot read: " + e.getMessage(), e);
  }

  /** Builds the trees of one source; holds the anchors of the current document. */
  private static final class Builder {
    private final JsonParser parser;
    private final String source;
    private final boolean yaml;
    private final Map<String, YamlNode> anchors = new HashMap<>();
    private final SourceText text;

    Builder(JsonParser parser, String source, SourceText text) {
      this.parser = parser;
      this.source = source;
      this.yaml = parser instanceof YAMLParser;
      this.text = text;
    }

    /**
     * The documents, in order. A malformed part (or a duplicate key, an unknown alias, ...) ends the reading:
     * thrown when {@code problems} is null, else added to it, keeping the documents before it.
     */
    List<YamlDocument> documents(DocumentProblems problems) {
      List<YamlDocument> documents = new ArrayList<>();
      try {
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
          anchors.clear();
          YamlNode root = node(token, "");
          boolean empty = root instanceof YamlScalar scalar && scalar.value() == null && scalar.text().isEmpty();
          if (!empty) {
            documents.add(new YamlDocument(source, documents.size(), root));
          }
        }
      } catch (JsonProcessingException e) {
        stop(malformed(e), problems);
      } catch (DocumentException e) {
        stop(e, problems);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return List.copyOf(documents);
    }

    private static void stop(DocumentException problem, DocumentProblems problems) {
      if (problems == null) {
        throw problem;
      }
      problems.add(problem);
    }

    private YamlNode node(JsonToken token, String path) throws IOException {
      SourceLocation location = location(parser.currentTokenLocation());
      return switch (token) {
        case START_OBJECT -> anchored(parser.getObjectId(), bounded(map(location, path), path));
        case START_ARRAY -> anchored(parser.getObjectId(), bounded(list(location, path), path));
        case VALUE_STRING -> isAlias() ? alias(parser.getText(), location, path) : string(parser.getText(), location);
        case VALUE_NUMBER_INT -> new YamlScalar(integer(), parser.getText(), location);
        case VALUE_NUMBER_FLOAT -> new YamlScalar(decimal(parser.getText()), parser.getText(), location);
        case VALUE_TRUE -> new YamlScalar(Boolean.TRUE, parser.getText(), location);
        case VALUE_FALSE -> new YamlScalar(Boolean.FALSE, parser.getText(), location);
        case VALUE_NULL -> new YamlScalar(null, parser.getText() == null ? "" : parser.getText(), location);
        default -> throw new DocumentException(location, blankToNull(path),
            "unsupported YAML value (" + token + "); use a string, number, boolean, list or mapping");
      };
    }

    /** A string; one holding an expression also gets its span, so that an error inside it points there. */
    private YamlScalar string(String value, SourceLocation location) {
      return new YamlScalar(value, value, location, value.contains("${") ? text.spanOf(value, location) : null);
    }

    private YamlMap map(SourceLocation location, String path) throws IOException {
      Map<String, YamlMap.Entry> entries = new LinkedHashMap<>();
      List<YamlMap> merges = new ArrayList<>();
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
        String key = parser.currentName();
        SourceLocation keyLocation = location(parser.currentTokenLocation());
        String childPath = YamlValue.childPath(path, key);
        YamlNode value = node(parser.nextToken(), childPath);
        if (yaml && key.equals("<<")) {
          merges.addAll(mergeSources(value, childPath));
          continue;
        }
        YamlMap.Entry previous = entries.get(key);
        if (previous != null) {
          throw new DocumentException(keyLocation, childPath,
              "duplicate key \"" + key + "\" (first at line " + previous.keyLocation().line() + ")");
        }
        entries.put(key, new YamlMap.Entry(key, keyLocation, value));
      }
      // YAML merge keys: keys written in the mapping win, then earlier merge sources win over later ones.
      for (YamlMap merged : merges) {
        for (YamlMap.Entry entry : merged.entries()) {
          entries.putIfAbsent(entry.key(), entry);
        }
      }
      return new YamlMap(entries, location);
    }

    private List<YamlMap> mergeSources(YamlNode value, String path) {
      if (value instanceof YamlMap map) {
        return List.of(map);
      }
      if (value instanceof YamlList list && list.items().stream().allMatch(YamlMap.class::isInstance)) {
        return list.items().stream().map(YamlMap.class::cast).toList();
      }
      throw new DocumentException(value.location(), path,
          "a merge key (<<) needs a mapping or a list of mappings, but was " + value.describe());
    }

    private YamlList list(SourceLocation location, String path) throws IOException {
      List<YamlNode> items = new ArrayList<>();
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        items.add(node(token, YamlValue.indexPath(path, items.size())));
      }
      return new YamlList(items, location);
    }

    private YamlNode bounded(YamlNode node, String path) {
      if (node.expandedSize() > MAX_EXPANDED_NODES) {
        throw new DocumentException(node.location(), blankToNull(path), "too large: more than "
            + MAX_EXPANDED_NODES + " values once its aliases are expanded");
      }
      return node;
    }

    private boolean isAlias() {
      return yaml && ((YAMLParser) parser).isCurrentAlias();
    }

    private YamlNode anchored(Object anchor, YamlNode node) {
      if (anchor != null) {
        anchors.put(anchor.toString(), node);
      }
      return node;
    }

    private YamlNode alias(String name, SourceLocation location, String path) {
      YamlNode target = anchors.get(name);
      if (target == null) {
        throw new DocumentException(location, blankToNull(path), "unknown anchor \"" + name
            + "\" (an alias must follow its anchor in the same document; anchors on mappings and lists are"
            + " supported, not on single values)");
      }
      return target;
    }

    private Object integer() throws IOException {
      String text = parser.getText();
      Number number;
      try {
        number = parser.getNumberValue();
      } catch (JsonProcessingException | NumberFormatException e) {
        // YAML 1.1 spellings Jackson does not convert, such as 1_000.
        try {
          number = new BigInteger(text.replace("_", ""));
        } catch (NumberFormatException notANumber) {
          return text;
        }
      }
      if (number instanceof BigInteger big) {
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
      }
      return number.longValue();
    }

    private Object decimal(String text) {
      String lower = text.toLowerCase(Locale.ROOT);
      switch (lower) {
        case ".inf", "+.inf":
          return Double.POSITIVE_INFINITY;
        case "-.inf":
          return Double.NEGATIVE_INFINITY;
        case ".nan":
          return Double.NaN;
        default:
          break;
      }
      BigDecimal exact;
      try {
        exact = new BigDecimal(text.replace("_", ""));
      } catch (NumberFormatException e) {
        return text;
      }
      // A double when it holds the number exactly as written; otherwise keep every digit.
      double approximate = exact.doubleValue();
      if (!Double.isInfinite(approximate) && new BigDecimal(Double.toString(approximate)).compareTo(exact) == 0) {
        return approximate;
      }
      return exact;
    }

    private SourceLocation location(JsonLocation location) {
      return new SourceLocation(source, Math.max(location.getLineNr(), 0), Math.max(location.getColumnNr(), 0));
    }

    private DocumentException malformed(JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      SourceLocation location = problemMark(e, source).orElse(where == null ? new SourceLocation(source, 0, 0) : location(where));
      return new DocumentException(location, null, (yaml ? "malformed YAML: " : "malformed JSON: ")
          + describeProblem(e.getOriginalMessage()), e);
    }
  }

  /**
   * Where SnakeYAML saw the problem itself. Jackson's location is the mark of the context ("while scanning for
   * the next token" at the end of the previous line); the problem mark is the offending character, such as a
   * tab on the next line. When the problem is the end of the text (an unclosed {@code [}), the context (where
   * the {@code [} opened) says more, and Jackson's location is kept.
   */
  private static Optional<SourceLocation> problemMark(Throwable error, String source) {
    for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null
          && !String.valueOf(marked.getProblem()).contains("<stream end>")) {
        org.yaml.snakeyaml.error.Mark mark = marked.getProblemMark();
        return Optional.of(new SourceLocation(source, mark.getLine() + 1, mark.getColumn() + 1));
      }
    }
    return Optional.empty();
  }

  /** SnakeYAML's messages quote the source with carets; keep only the sentences. */
  static String describeProblem(String message) {
    if (message == null || message.isBlank()) {
      return "cannot parse";
    }
    List<String> sentences = new ArrayList<>();
    boolean skippingQuote = false;
    for (String line : message.split("\\R")) {
      if (Lazy.POSITION_LINE.matcher(line).matches()) {
        skippingQuote = true;
        continue;
      }
      if (skippingQuote && (line.startsWith("    ") || line.isBlank())) {
        continue;
      }
      skippingQuote = false;
      if (!line.isBlank()) {
        sentences.add(line.strip());
      }
    }
    String text = sentences.isEmpty() ? message.strip() : String.join(", ", sentences);
    if (text.contains("expected <block end>")) {
      text += " (check the indentation)";
    } else if (text.contains("mapping values are not allowed here")) {
      text += " (check the indentation, or quote a value that holds \": \")";
    }
    return text;
  }

  private static String blankToNull(String path) {
    return path == null || path.isEmpty() ? null : path;
  }
}
