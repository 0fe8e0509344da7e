package io.promokit.internal.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.promokit.internal.DataFormats;

/** Parses JSON and YAML outputs into JSON-like Java values; errors quote line and column. */
final class StructuredOutput {

  private StructuredOutput() {}

  static Object parseJson(String text) {
    return parse(DataFormats::readJson, "JSON", text);
  }

  static Object parseYaml(String text) {
    return parse(DataFormats::readYaml, "YAML", text);
  }

  /** A reader of {@link DataFormats}. */
  private interface Reader {
    Object read(String text);
  }

  private static Object parse(Reader reader, String format, String text) {
    try {
      return widenInts(reader.read(text));
    } catch (DataFormats.SyntaxException e) {
      String where = e.line() < 1 ? "" : " at line " + e.line() + ", column " + e.column();
      throw new OutputException("not valid " + format + where + ": " + firstLine(e.problem()));
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
      return DataFormats.writeJson(value).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    } catch (JsonProcessingException e) {
      throw io.promokit.StepException.terminal("output cannot be written as JSON: " + e.getOriginalMessage());
    }
  }
}
