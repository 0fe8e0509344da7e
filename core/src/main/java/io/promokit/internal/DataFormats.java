package io.promokit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.promokit.internal.yaml.YamlScalarResolver;
import io.promokit.internal.yaml.YamlTreeReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.Iterator;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads and writes JSON-like data (maps, lists, strings, numbers, booleans, null) as JSON and YAML text, for
 * core's data readers (the parse and update steps, the YAML editor's check, container step outputs, config
 * schemas). JSON has one Jackson set-up here; records ({@link RecordJson}), config binding
 * ({@link io.promokit.steps.kit.ConfigBinder}) and the schema validator's trees ({@code JsonTrees}, for values
 * that are not JSON-like) have theirs, one each; each is made on first use.
 *
 * <p>YAML is read by SnakeYAML with {@link YamlScalarResolver}, which types scalars as the document loader
 * ({@link YamlTreeReader}) does, so they resolve the same way for templates, step files and outputs: YAML 1.1
 * booleans ({@code yes}, {@code on}, {@code true}), integers
 * ({@code 012} octal, {@code 0x1A}, {@code 1_000}) and nulls ({@code ~}, {@code null}, an empty plain value;
 * {@code ''} is the empty string), as go-yaml v2 and Kubernetes read them; timestamps stay strings
 * ({@code 2024-01-02}), as Kargo's YAML-to-JSON conversion leaves them; {@code 1:30} stays a string (no base
 * 60). Anchors (on single values too), aliases and {@code <<} merge keys are resolved; a duplicate key is
 * an error; the text may be up to {@link YamlTreeReader#CODE_POINT_LIMIT} code points.
 */
public final class DataFormats {

  // Strict: a duplicate key is no JSON here, as it is no YAML for readYaml. A bare factory, not an ObjectMapper's:
  // readStrictJson reads config schemas on every cold start, and an ObjectMapper costs ~50 ms to make there.
  private static final JsonFactory STRICT_JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private DataFormats() {}

  /**
   * One JSON value from the text; anything after it is an error.
   *
   * @throws SyntaxException saying what and where
   */
  public static Object readJson(String text) {
    try {
      return Json.MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new SyntaxException(e.getOriginalMessage(), at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), e);
    }
  }

  /**
   * The value of a text that is one strict JSON value (no duplicate keys, nothing after it, at most
   * {@link YamlTreeReader#CODE_POINT_LIMIT} characters); empty for any other text. For such a text it is the
   * value {@link #readYaml} gives (JSON is YAML), read several times faster on a cold JVM than by SnakeYAML; a
   * caller falls back to {@link #readYaml} for every other text, which keeps its rules and messages.
   */
  public static Optional<Object> readStrictJson(String text) {
    if (text.length() > YamlTreeReader.CODE_POINT_LIMIT) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JsonTrees.read(STRICT_JSON, text));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The first document of a YAML (or JSON) text, or null when it holds none.
   *
   * @throws SyntaxException saying what and where
   */
  public static Object readYaml(String text) {
    try {
      Iterator<Object> documents = yaml().loadAll(new StringReader(text)).iterator();
      return documents.hasNext() ? documents.next() : null;
    } catch (MarkedYAMLException e) {
      Mark at = e.getProblemMark();
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
      throw new SyntaxException(problem, at == null ? 0 : at.getLine() + 1, at == null ? 0 : at.getColumn() + 1, e);
    } catch (YAMLException e) {
      throw new SyntaxException(String.valueOf(e.getMessage()), 0, 0, e);
    }
  }

  /** A new SnakeYAML instance (they are not thread-safe) typing scalars with {@link YamlScalarResolver}. */
  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(YamlTreeReader.CODE_POINT_LIMIT);
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
        Scalars.RESOLVER);
  }

  /** Compact JSON text of a JSON-like value. */
  public static String writeJson(Object value) throws JsonProcessingException {
    return Json.MAPPER.writeValueAsString(value);
  }

  /** The JSON token reader, for code that needs token offsets (the JSON editor). */
  public static JsonFactory jsonFactory() {
    return Json.MAPPER.getFactory();
  }

  /** The scalar resolver, made with the first YAML read (its patterns are a cost strict JSON need not pay). */
  private static final class Scalars {
    static final YamlScalarResolver RESOLVER = new YamlScalarResolver();
  }

  /** The JSON mapper, made on first use (see {@link #STRICT_JSON}). */
  private static final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /** A text that does not parse: what is wrong, and where (line and column from 1; 0 when unknown). */
  public static final class SyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String problem;
    private final int line;
    private final int column;

    SyntaxException(String problem, int line, int column, Throwable cause) {
      super(problem + (line > 0 ? " (line " + line + ", column " + column + ")" : ""), cause);
      this.problem = problem;
      this.line = line;
      this.column = column;
    }

    /** What is wrong, without the place. */
    public String problem() {
      return problem;
    }

    public int line() {
      return line;
    }

    public int column() {
      return column;
    }
  }
}
