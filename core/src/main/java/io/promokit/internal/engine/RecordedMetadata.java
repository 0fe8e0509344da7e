package io.promokit.internal.engine;

import io.promokit.PromotionContext;
import io.promokit.spi.MetadataKind;
import io.promokit.spi.PromotionMetadataSink;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's {@link PromotionMetadataSink} when the host gives none: {@code set-metadata} writes into the
 * promotion record's {@code metadata} section ({@code {"Stage": {"<name>": {key: value}}, "Freight": ...}}),
 * kept across a resume. Written by step threads while the coordinator reads it for records: synchronized.
 */
final class RecordedMetadata implements PromotionMetadataSink {

  private final Map<String, Map<String, Map<String, Object>>> byKind = new LinkedHashMap<>();

  @Override
  public synchronized void setMetadata(PromotionContext promotion, MetadataKind kind, String name,
      Map<String, Object> values) {
    byKind.computeIfAbsent(kind.word(), k -> new LinkedHashMap<>())
        .computeIfAbsent(name, n -> new LinkedHashMap<>())
        .putAll(values);
  }

  /** A copy for the record: kind word → object name → metadata. */
  synchronized Map<String, Object> snapshot() {
    Map<String, Object> copy = new LinkedHashMap<>();
    byKind.forEach((kind, objects) -> {
      Map<String, Object> names = new LinkedHashMap<>();
      objects.forEach((name, values) -> names.put(name, new LinkedHashMap<>(values)));
      copy.put(kind, names);
    });
    return copy;
  }

  /** Takes back what a record of this promotion holds (on resume). */
  synchronized void restore(Map<String, Object> recorded) {
    recorded.forEach((kind, objects) -> {
      if (objects instanceof Map<?, ?> names) {
        names.forEach((name, values) -> {
          if (values instanceof Map<?, ?> map) {
            Map<String, Object> target = byKind.computeIfAbsent(kind, k -> new LinkedHashMap<>())
                .computeIfAbsent(String.valueOf(name), n -> new LinkedHashMap<>());
            map.forEach((key, value) -> target.put(String.valueOf(key), value));
          }
        });
      }
    });
  }
}
