package io.promokit.expressions.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.promokit.expressions.SemanticVersion;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** YAML for asYAML(): block style, sorted keys, no document marker, ending with a newline. */
final class Yaml {
  private Yaml() {}

  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  static String write(Object v) {
    try {
      return MAPPER.writeValueAsString(plain(v, 0, Walk.start()));
    } catch (JsonProcessingException e) {
      throw new EvalError("asYAML(): " + e.getOriginalMessage());
    }
  }

  private static Object plain(Object v, int depth, Walk walk) {
    walk.step();
    if (depth > 1000) {
      throw new EvalError("asYAML(): the value is nested too deeply");
    }
    if (v instanceof Map) {
      Map<String, Object> out = new TreeMap<>();
      ((Map<?, ?>) v).forEach((k, x) -> out.put(String.valueOf(k), plain(x, depth + 1, walk)));
      return out;
    }
    if (Values.isList(v)) {
      List<Object> out = new ArrayList<>();
      for (Object x : Values.asList(v)) {
        out.add(plain(x, depth + 1, walk));
      }
      return out;
    }
    if (v instanceof SemanticVersion) {
      return ((SemanticVersion) v).canonical();
    }
    if (v instanceof OffsetDateTime) {
      return GoTime.rfc3339((OffsetDateTime) v);
    }
    if (v instanceof Duration) {
      return GoDuration.nanos((Duration) v);
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
    }
    return Values.normalize(v);
  }
}
