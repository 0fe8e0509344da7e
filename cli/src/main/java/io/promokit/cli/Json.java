package io.promokit.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.promokit.steps.kit.DocumentSyntaxException;
import io.promokit.steps.kit.YamlEditor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/** Reading the command's input files (YAML or JSON) and writing JSON, with messages naming file and line. */
final class Json {
  /** Compact JSON, map keys in insertion order; integers of any size keep every digit. */
  static final ObjectMapper COMPACT = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();
  static final ObjectMapper PRETTY = COMPACT.copy().enable(SerializationFeature.INDENT_OUTPUT);

  /** Strict JSON for input files: a key given twice or anything after the value is an error. */
  private static final ObjectReader STRICT_JSON = COMPACT.readerFor(Object.class)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  /** SnakeYAML's problem for a key given twice in one map. */
  private static final String DUPLICATE_KEY = "found duplicate key ";

  private Json() {}

  /**
   * Reads a YAML or JSON file (JSON is YAML) into plain Java values, as promokit reads templates (core's
   * {@link YamlEditor#read}): YAML 1.1 scalars, anchors, aliases and merge keys resolved, a key given twice an
   * error. A strict JSON text is read as JSON first, so that JSON indented with tabs (no YAML) is read too.
   */
  static Object readYamlOrJson(Path file) {
    return readData(file, readText(file), "");
  }

  /** As {@link #readYamlOrJson(Path)}, for a file whose text the caller has read already. */
  static Object readYamlOrJson(Path file, String text) {
    return readData(file, text, "");
  }

  /**
   * As {@link #readYamlOrJson}, for files holding secrets: a syntax error names the file, line and column and what
   * the parser expected, never the text around it (which may be a secret's line).
   */
  static Object readSecretYamlOrJson(Path file) {
    return readData(file, readText(file), " (the file's content is not shown: it holds secrets)");
  }

  private static Object readData(Path file, String text, String note) {
    String start = text.stripLeading();
    if (start.startsWith("{") || start.startsWith("[")) {
      try {
        return STRICT_JSON.readValue(text);
      } catch (JsonProcessingException e) {
        // not strict JSON: YAML's flow style ({a: 1}) or a mistake, which YAML's reader names below
      }
    }
    try {
      return YamlEditor.read(text);
    } catch (DocumentSyntaxException e) {
      // The cause is not kept: SnakeYAML's own message quotes the lines around the problem.
      throw new BadInputException(file + yamlProblem(e) + note);
    }
  }

  /** ":line:col: not valid YAML/JSON: what is wrong", from the YAML reader's error, quoting none of the text. */
  private static String yamlProblem(DocumentSyntaxException e) {
    Optional<MarkedYAMLException> marked = cause(e, MarkedYAMLException.class);
    if (marked.isEmpty()) {
      // SnakeYAML's errors without a position (the size bound) quote nothing of the text
      return ": not valid YAML/JSON" + cause(e, YAMLException.class).map(y -> ": " + y.getMessage()).orElse("");
    }
    Mark at = marked.get().getProblemMark();
    String where = at == null ? "" : ":" + (at.getLine() + 1) + ":" + (at.getColumn() + 1);
    String problem = marked.get().getProblem() == null ? "" : marked.get().getProblem();
    return where + ": not valid YAML/JSON" + (problem.startsWith(DUPLICATE_KEY)
        ? ": " + appearsTwice(problem.substring(DUPLICATE_KEY.length())) : contextAndProblem(marked.get()));
  }

  /** A syntax error in a file holding secrets: file, line, column and what is wrong, none of the file's text. */
  static BadInputException secretSyntaxError(Path file, JsonProcessingException e) {
    return new BadInputException(file + where(e) + ": not valid YAML/JSON" + duplicateKey(e).map(d -> ": " + d)
        .orElse(cause(e, MarkedYAMLException.class).map(Json::contextAndProblem).orElse(""))
        + " (the file's content is not shown: it holds secrets)");
  }

  /**
   * "key "x" appears twice" when Jackson's parser stopped at a key given twice in one map: a file's later value
   * would otherwise silently win, which is no YAML a user means.
   */
  static Optional<String> duplicateKey(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message != null && message.startsWith("Duplicate field '") && message.endsWith("'")) {
      return Optional.of(appearsTwice(message.substring("Duplicate field '".length(), message.length() - 1)));
    }
    return Optional.empty();
  }

  /** How a key given twice reads, whichever parser found it. */
  private static String appearsTwice(String key) {
    return "key \"" + key + "\" appears twice in the same map";
  }

  /** The first error of that kind in the cause chain, if any. */
  private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> kind) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (kind.isInstance(t)) {
        return Optional.of(kind.cast(t));
      }
    }
    return Optional.empty();
  }

  /** ": context: problem" as SnakeYAML states them, without the lines of text its message quotes; "" if none. */
  private static String contextAndProblem(MarkedYAMLException marked) {
    String context = marked.getContext() == null ? "" : marked.getContext();
    String problem = marked.getProblem() == null ? "" : marked.getProblem();
    String both = context.isEmpty() || problem.isEmpty() ? context + problem : context + ": " + problem;
    return both.isEmpty() ? "" : ": " + both.replace('\n', ' ');
  }

  static String readText(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + ": no such file");
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read it: " + e.getMessage(), e);
    }
  }

  static String where(JsonProcessingException e) {
    return e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
  }

  static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }
}
