package io.promokit.internal.yaml;

import io.promokit.documents.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** A sequence of nodes. */
public final class YamlList implements YamlNode {
  private final List<YamlNode> items;
  private final SourceLocation location;
  private final long expandedSize;

  public YamlList(List<YamlNode> items, SourceLocation location) {
    this.items = List.copyOf(items);
    this.location = Objects.requireNonNull(location, "location must not be null");
    long size = 1;
    for (YamlNode item : this.items) { // a loop, not a stream: this runs for every list of every document
      size += item.expandedSize();
    }
    this.expandedSize = size;
  }

  public List<YamlNode> items() {
    return items;
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
    return "a list";
  }

  @Override
  public Object toPlain() {
    List<Object> plain = new ArrayList<>(items.size());
    for (YamlNode item : items) {
      plain.add(item.toPlain());
    }
    return Collections.unmodifiableList(plain);
  }
}
