package io.promokit.internal.yaml;

import io.promokit.documents.DocumentException;
import io.promokit.documents.SourceLocation;
import io.promokit.expressions.GoDuration;
import io.promokit.expressions.Quoting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A node together with its field path from the document root ({@code spec.steps[2].retry.timeout}), with
 * strict conversions: each one either returns the value in the wanted type or throws a
 * {@link DocumentException} naming {@code file:line:column}, the path, what was expected and what was
 * found. Immutable.
 */
public final class YamlValue {

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

  private final YamlNode node;
  private final String path;

  YamlValue(YamlNode node, String path) {
    this.node = Objects.requireNonNull(node, "node must not be null");
    this.path = Objects.requireNonNull(path, "path must not be null");
  }

  /** A document root (its path is empty). */
  public static YamlValue root(YamlNode node) {
    return new YamlValue(node, "");
  }

  /** {@code parent.key}, or {@code parent["odd key"]} for keys that are not plain names. */
  public static String childPath(String parent, String key) {
    if (PLAIN_KEY.matcher(key).matches()) {
      return parent.isEmpty() ? key : parent + "." + key;
    }
    return parent + "[" + Quoting.json(key) + "]";
  }

  /** {@code parent[index]}. */
  public static String indexPath(String parent, int index) {
    return parent + "[" + index + "]";
  }

  public YamlNode node() {
    return node;
  }

  /** The field path from the document root; empty for the root. */
  public String path() {
    return path;
  }

  public SourceLocation location() {
    return node.location();
  }

  public boolean isNull() {
    return node instanceof YamlScalar scalar && scalar.value() == null;
  }

  public boolean isMapping() {
    return node instanceof YamlMap;
  }

  public boolean isList() {
    return node instanceof YamlList;
  }

  public boolean isScalar() {
    return node instanceof YamlScalar;
  }

  /** An error at this value: {@code file:line:column: path: problem}. */
  public DocumentException error(String problem) {
    return new DocumentException(location(), path.isEmpty() ? null : path, problem);
  }

  /** The value as a mapping. */
  public YamlObject asObject() {
    if (node instanceof YamlMap map) {
      return new YamlObject(map, path);
    }
    throw mismatch("a mapping");
  }

  /** The value as a list; null reads as an empty list. */
  public List<YamlValue> asList() {
    if (isNull()) {
      return List.of();
    }
    if (node instanceof YamlList list) {
      List<YamlValue> values = new ArrayList<>(list.items().size());
      for (int i = 0; i < list.items().size(); i++) {
        values.add(new YamlValue(list.items().get(i), indexPath(path, i)));
      }
      return List.copyOf(values);
    }
    throw mismatch("a list");
  }

  /** The value as a string; other scalars are wrong types (quote them to make them strings). */
  public String asString() {
    if (node instanceof YamlScalar scalar && scalar.value() instanceof String s) {
      return s;
    }
    throw mismatch("a string");
  }

  /** Any scalar as written ({@code true}, {@code 42}, {@code abc}); mappings and lists are errors. */
  public String asScalarText() {
    if (node instanceof YamlScalar scalar && scalar.value() != null) {
      return scalar.value() instanceof String s ? s : scalar.text();
    }
    throw mismatch("a string");
  }

  public boolean asBoolean() {
    if (node instanceof YamlScalar scalar && scalar.value() instanceof Boolean b) {
      return b;
    }
    throw mismatch("a boolean (true or false)");
  }

  /** A whole number that fits an {@code int}. */
  public int asInt() {
    if (node instanceof YamlScalar scalar && scalar.value() instanceof Long l) {
      if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
        return l.intValue();
      }
      throw error("must be between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + ", but was " + l);
    }
    throw mismatch("a whole number");
  }

  /** A whole number of at least {@code min}. */
  public int asInt(int min) {
    int value = asInt();
    if (value < min) {
      throw error("must be at least " + min + ", but was " + value);
    }
    return value;
  }

  public long asLong() {
    if (node instanceof YamlScalar scalar && scalar.value() instanceof Long l) {
      return l;
    }
    throw mismatch("a whole number");
  }

  /** A Go duration ({@code 90s}, {@code 5m}, {@code 1h30m}); a bare {@code 0} is zero. Must not be negative. */
  public Duration asDuration() {
    String text;
    if (node instanceof YamlScalar scalar && scalar.value() instanceof Long l && l == 0) {
      text = "0";
    } else if (node instanceof YamlScalar scalar && scalar.value() instanceof String s) {
      text = s;
    } else {
      throw mismatch("a duration such as 90s, 5m or 1h30m");
    }
    Duration duration;
    try {
      duration = GoDuration.parse(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw error(e instanceof ArithmeticException ? "duration \"" + text + "\" is too long" : e.getMessage());
    }
    if (duration.isNegative()) {
      throw error("duration must not be negative, but was " + text);
    }
    return duration;
  }

  /** Any value as plain Java values (see {@link YamlNode#toPlain()}). */
  public Object asPlain() {
    return node.toPlain();
  }

  /** A mapping as plain Java values (any JSON object, nested); null reads as an empty map. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> asPlainObject() {
    if (isNull()) {
      return Map.of();
    }
    if (node instanceof YamlMap) {
      return (Map<String, Object>) node.toPlain();
    }
    throw mismatch("a mapping");
  }

  /** A list of strings; null reads as an empty list. */
  public List<String> asStringList() {
    List<String> strings = new ArrayList<>();
    for (YamlValue item : asList()) {
      strings.add(item.asString());
    }
    return List.copyOf(strings);
  }

  /** A mapping of string values, in document order; null reads as an empty map. */
  public Map<String, String> asStringMap() {
    if (isNull()) {
      return Map.of();
    }
    YamlObject object = asObject();
    Map<String, String> strings = new LinkedHashMap<>();
    for (String key : object.fieldNames()) {
      strings.put(key, object.present(key).asString());
    }
    return Collections.unmodifiableMap(strings);
  }

  private DocumentException mismatch(String expected) {
    return error("expected " + expected + ", but was " + node.describe());
  }

  @Override
  public String toString() {
    return (path.isEmpty() ? "<root>" : path) + " at " + location();
  }
}
