package io.promokit.internal.yaml;

import io.promokit.documents.DocumentException;
import io.promokit.documents.SourceLocation;
import io.promokit.documents.SourceMap;
import io.promokit.expressions.ClosestNames;
import io.promokit.internal.ConfigPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mapping being bound to a model, field by field. A field whose value is null reads as absent (as in
 * Kubernetes). Every accessor either returns the value in the wanted type or throws a
 * {@link DocumentException} naming {@code file:line:column} and the field path.
 *
 * <pre>{@code
 * YamlObject spec = root.requiredObject("spec").allowOnly("image", "command", "defaultTimeout");
 * String image = spec.requiredString("image");
 * Duration timeout = spec.optionalDuration("defaultTimeout");   // null when absent
 * }</pre>
 */
public final class YamlObject {

  private final YamlMap map;
  private final String path;

  YamlObject(YamlMap map, String path) {
    this.map = Objects.requireNonNull(map, "map must not be null");
    this.path = Objects.requireNonNull(path, "path must not be null");
  }

  /** The field path of this mapping; empty for a document root. */
  public String path() {
    return path;
  }

  public SourceLocation location() {
    return map.location();
  }

  /**
   * Where each field of this mapping, and every node below it, is written, by path relative to it
   * ({@code uses}, {@code config.apps[0].name}).
   */
  public SourceMap sourceMap() {
    SourceMap.Builder builder = SourceMap.builder();
    for (YamlMap.Entry entry : map.entries()) {
      addNode(builder, ConfigPath.key("", entry.key()), entry.keyLocation(), entry.value());
    }
    return builder.build();
  }

  private static void addNode(SourceMap.Builder builder, String path, SourceLocation key, YamlNode value) {
    if (value instanceof YamlScalar scalar && scalar.span() != null) {
      YamlScalar.TextSpan span = scalar.span();
      builder.text(path, key, scalar.location(), span.line(), span.column(), span.block());
    } else {
      builder.node(path, key, value.location());
    }
    if (value instanceof YamlMap nested) {
      for (YamlMap.Entry entry : nested.entries()) {
        addNode(builder, ConfigPath.key(path, entry.key()), entry.keyLocation(), entry.value());
      }
    } else if (value instanceof YamlList list) {
      for (int i = 0; i < list.items().size(); i++) {
        YamlNode item = list.items().get(i);
        addNode(builder, ConfigPath.index(path, i), item.location(), item);
      }
    }
  }

  /** The keys written, in document order. */
  public Set<String> fieldNames() {
    return map.keys();
  }

  /** Whether the key is written (even with a null value). */
  public boolean has(String field) {
    return map.entry(field) != null;
  }

  /** The path of a field of this mapping. */
  public String fieldPath(String field) {
    return YamlValue.childPath(path, field);
  }

  /** Where a field's key is written, or this mapping's location when it is absent. */
  public SourceLocation keyLocation(String field) {
    YamlMap.Entry entry = map.entry(field);
    return entry == null ? location() : entry.keyLocation();
  }

  /** An error about a field, located at its key (or at this mapping when the field is absent). */
  public DocumentException error(String field, String problem) {
    return new DocumentException(keyLocation(field), fieldPath(field), problem);
  }

  /**
   * Rejects any key not listed, suggesting the closest allowed one ({@code unknown field; did you mean
   * "continueOnError"?}) or listing them all.
   */
  public YamlObject allowOnly(String... fields) {
    return allowOnly(Arrays.asList(fields), Map.of());
  }

  /**
   * Rejects any key not listed; {@code hints} give a better explanation for keys commonly put in the wrong
   * place (key → explanation).
   *
   * @throws DocumentException for the first key not listed
   */
  public YamlObject allowOnly(Collection<String> fields, Map<String, String> hints) {
    List<DocumentException> unknown = unknownFields(fields, hints);
    if (!unknown.isEmpty()) {
      throw unknown.get(0);
    }
    return this;
  }

  /**
   * Records every key not listed as a problem (see {@link #allowOnly(Collection, Map)}); the caller reads the
   * listed ones and so skips the others.
   */
  public YamlObject allowOnly(Collection<String> fields, Map<String, String> hints, DocumentProblems problems) {
    unknownFields(fields, hints).forEach(problems::add);
    return this;
  }

  /** {@link #allowOnly(Collection, Map, DocumentProblems)} without hints. */
  public YamlObject allowOnly(DocumentProblems problems, String... fields) {
    return allowOnly(Arrays.asList(fields), Map.of(), problems);
  }

  private List<DocumentException> unknownFields(Collection<String> fields, Map<String, String> hints) {
    List<DocumentException> unknown = new ArrayList<>();
    for (YamlMap.Entry entry : map.entries()) {
      String key = entry.key();
      if (fields.contains(key)) {
        continue;
      }
      StringBuilder problem = new StringBuilder("unknown field");
      String hint = hints.get(key);
      String suggestion = ClosestNames.didYouMean(key, fields);
      if (hint != null) {
        problem.append("; ").append(hint);
      } else if (!suggestion.isEmpty()) {
        problem.append("; ").append(suggestion);
      } else {
        problem.append("; expected one of: ").append(String.join(", ", new TreeSet<>(fields)));
      }
      unknown.add(new DocumentException(entry.keyLocation(), fieldPath(key), problem.toString()));
    }
    return unknown;
  }

  /** A field's value when written and not null. */
  public Optional<YamlValue> optional(String field) {
    YamlMap.Entry entry = map.entry(field);
    if (entry == null) {
      return Optional.empty();
    }
    YamlValue value = new YamlValue(entry.value(), fieldPath(field));
    return value.isNull() ? Optional.empty() : Optional.of(value);
  }

  /** A field's value, which must be written and not null. */
  public YamlValue required(String field) {
    YamlValue value = valueOrNull(field);
    if (value == null) {
      throw missing(field);
    }
    return value;
  }

  /** A written field's value, null included. */
  YamlValue present(String field) {
    YamlMap.Entry entry = map.entry(field);
    if (entry == null) {
      throw missing(field);
    }
    return new YamlValue(entry.value(), fieldPath(field));
  }

  /** A string that must be written and not blank. */
  public String requiredString(String field) {
    YamlValue value = required(field);
    String text = value.asString();
    if (text.isBlank()) {
      throw value.error("must not be empty");
    }
    return text;
  }

  /** A string, or null when absent. */
  public String optionalString(String field) {
    YamlValue value = valueOrNull(field);
    return value == null ? null : value.asString();
  }

  /** A string, or {@code defaultValue} when absent. */
  public String optionalString(String field, String defaultValue) {
    YamlValue value = valueOrNull(field);
    return value == null ? defaultValue : value.asString();
  }

  public boolean optionalBoolean(String field, boolean defaultValue) {
    YamlValue value = valueOrNull(field);
    return value == null ? defaultValue : value.asBoolean();
  }

  /** A whole number of at least {@code min}, or {@code defaultValue} when absent. */
  public int optionalInt(String field, int min, int defaultValue) {
    YamlValue value = valueOrNull(field);
    return value == null ? defaultValue : value.asInt(min);
  }

  /** A Go duration, or null when absent. */
  public Duration optionalDuration(String field) {
    YamlValue value = valueOrNull(field);
    return value == null ? null : value.asDuration();
  }

  public YamlObject requiredObject(String field) {
    return required(field).asObject();
  }

  public Optional<YamlObject> optionalObject(String field) {
    YamlValue value = valueOrNull(field);
    return value == null ? Optional.empty() : Optional.of(value.asObject());
  }

  /** A list's items; empty when absent. */
  public List<YamlValue> list(String field) {
    YamlValue value = valueOrNull(field);
    return value == null ? List.of() : value.asList();
  }

  /** A list of mappings; empty when absent. */
  public List<YamlObject> objectList(String field) {
    List<YamlObject> objects = new ArrayList<>();
    for (YamlValue item : list(field)) {
      objects.add(item.asObject());
    }
    return List.copyOf(objects);
  }

  /** A list of strings; empty when absent. */
  public List<String> stringList(String field) {
    YamlValue value = valueOrNull(field);
    return value == null ? List.of() : value.asStringList();
  }

  /** A mapping of strings; empty when absent. */
  public Map<String, String> stringMap(String field) {
    YamlValue value = valueOrNull(field);
    return value == null ? Map.of() : value.asStringMap();
  }

  /** Any JSON object, nested, as plain Java values; empty when absent. */
  public Map<String, Object> plainObject(String field) {
    YamlValue value = valueOrNull(field);
    return value == null ? Map.of() : value.asPlainObject();
  }

  /**
   * A field's value, or null when absent or null. The typed getters use it rather than Optional.map(...): each
   * method reference is linked on first use, which every command's start paid for once per getter.
   */
  private YamlValue valueOrNull(String field) {
    return optional(field).orElse(null);
  }

  private DocumentException missing(String field) {
    return new DocumentException(location(), fieldPath(field), "missing required field");
  }

  @Override
  public String toString() {
    return (path.isEmpty() ? "<root>" : path) + " at " + location();
  }
}
