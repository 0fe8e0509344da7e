package io.promokit.internal.yaml;

import io.promokit.documents.SourceLocation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A mapping with string keys, in the order written; each entry knows where its key is. */
public final class YamlMap implements YamlNode {

  /**
   * One key and its value.
   *
   * @param key the key
   * @param keyLocation where the key is written (unknown-field errors point here)
   * @param value the value
   */
  public record Entry(String key, SourceLocation keyLocation, YamlNode value) {
    public Entry {
      Objects.requireNonNull(key, "key must not be null");
      Objects.requireNonNull(keyLocation, "keyLocation must not be null");
      Objects.requireNonNull(value, "value must not be null");
    }
  }

  private final Map<String, Entry> entries;
  private final SourceLocation location;
  private final long expandedSize;

  /** @param entries by key, in document order */
  public YamlMap(Map<String, Entry> entries, SourceLocation location) {
    this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    this.location = Objects.requireNonNull(location, "location must not be null");
    long size = 1;
    for (Entry e : this.entries.values()) { // a loop, not a stream: this runs for every map of every document
      size += 1 + e.value().expandedSize();
    }
    this.expandedSize = size;
  }

  /** The entry for {@code key}, or null. */
  public Entry entry(String key) {
    return entries.get(key);
  }

  /** The keys in document order. */
  public Set<String> keys() {
    return entries.keySet();
  }

  public Iterable<Entry> entries() {
    return entries.values();
  }

  public int size() {
    return entries.size();
  }

  @Override
  public SourceLocation location() {
    return location;
  }

  @Override
  public long expandedSize() {
    return expandedSize;
  }

  @Override
  public String describe() {
    return "a mapping";
  }

  @Override
  public Object toPlain() {
    Map<String, Object> plain = new LinkedHashMap<>();
    for (Entry e : entries.values()) {
      plain.put(e.key(), e.value().toPlain());
    }
    return Collections.unmodifiableMap(plain);
  }
}
