package io.promokit.internal.container;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Parses JSON and YAML outputs into JSON-like Java values; errors quote line and column. */
final class StructuredOutput {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  private StructuredOutput() {}

  static Object parseJson(String text) {
    return parse(JSON, "JSON", text);
  }

  static Object parseYaml(String text) {
    return parse(YAML, "YAML", text);
  }

  private static Object parse(ObjectMapper mapper, String format, String text) {
    try {
      return widenInts(mapper.readValue(text, Object.class));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new OutputException("not valid " + format + where + ": " + firstLine(e.getOriginalMessage()));
    }
  }

  /** Integers as {@link Long}, as expressions produce them (bigger ones stay {@link java.math.BigInteger}). */
  private static Object widenInts(Object value) {
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof java.util.Map<?, ?> map) {
      java.util.Map<String, Object> copy = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), widenInts(v)));
      return copy;
    }
    if (value instanceof java.util.List<?> list) {
      java.util.List<Object> copy = new java.util.ArrayList<>(list.size());
      list.forEach(v -> copy.add(widenInts(v)));
      return copy;
    }
    return value;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** The JSON size of a value in bytes (UTF-8). */
  static long jsonSize(Object value) {
    try {
      return JSON.writeValueAsBytes(value).length;
    } catch (JsonProcessingException e) {
      throw io.promokit.StepException.terminal("output cannot be written as JSON: " + e.getOriginalMessage());
    }
  }
}
