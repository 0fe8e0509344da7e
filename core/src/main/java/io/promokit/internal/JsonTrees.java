package io.promokit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values between Java and Jackson without an {@code ObjectMapper}: Java values to the JSON Schema validator's
 * trees, and JSON text to Java values token by token. An {@code ObjectMapper}'s first use costs a cold JVM some 50
 * ms (its default date format alone loads the locale's calendar data), which a {@code promokit validate} paid for
 * nothing but copying plain maps and lists; an {@code ObjectMapper} is made only for a value that is no JSON-like
 * Java value, and then converts it as {@code valueToTree} always did.
 */
final class JsonTrees {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /** The tree of a JSON-like Java value, as {@code ObjectMapper.valueToTree} makes it. */
  static JsonNode toTree(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof Double d) {
      return NODES.numberNode(d);
    }
    if (value instanceof BigInteger b) {
      return NODES.numberNode(b);
    }
    if (value instanceof BigDecimal d) {
      return NODES.numberNode(d);
    }
    if (value instanceof Float f) {
      return NODES.numberNode(f);
    }
    if (value instanceof Short s) {
      return NODES.numberNode(s);
    }
    if (value instanceof Map<?, ?> map && allStringKeys(map)) {
      ObjectNode object = NODES.objectNode();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        object.set((String) entry.getKey(), toTree(entry.getValue()));
      }
      return object;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode(list.size());
      for (Object item : list) {
        array.add(toTree(item));
      }
      return array;
    }
    return Fallback.MAPPER.valueToTree(value);
  }

  /**
   * The Java value of the JSON text a parser is positioned before: maps (insertion-ordered), lists, strings,
   * Integer/Long/BigInteger, Double, Boolean and null, as {@code ObjectMapper.readValue(text, Object.class)} gives
   * them. The parser's features decide what is an error (duplicate keys, for one).
   *
   * @throws IOException when the text is no JSON, with the parser's location
   */
  static Object read(JsonFactory factory, String text) throws IOException {
    try (JsonParser parser = factory.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new com.fasterxml.jackson.core.JsonParseException(parser, "No content to map due to end-of-input");
      }
      Object value = value(parser, first);
      JsonToken after = parser.nextToken();
      if (after != null) {
        throw new com.fasterxml.jackson.core.JsonParseException(parser,
            "Trailing token (of type " + after + ") found after value");
      }
      return value;
    }
  }

  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String key = parser.currentName();
          map.put(key, value(parser, parser.nextToken()));
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          list.add(value(parser, t));
        }
        return list;
      }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new com.fasterxml.jackson.core.JsonParseException(parser, "Unexpected token " + token);
    }
  }

  private static boolean allStringKeys(Map<?, ?> map) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        return false;
      }
    }
    return true;
  }

  /** Made only when a value is no JSON-like Java value. */
  private static final class Fallback {
    static final JsonMapper MAPPER = JsonMapper.builder().build();
  }
}
