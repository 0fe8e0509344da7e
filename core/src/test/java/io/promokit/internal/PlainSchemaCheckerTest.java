package io.promokit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The plain checker gives what networknt gives: each schema here is checked both ways against values that break
 * each keyword in turn, and the messages must be the same, in the same order.
 */
class PlainSchemaCheckerTest {

  private static final String SCHEMA = """
      {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "description": "a step",
        "required": ["path", "updates"],
        "additionalProperties": false,
        "properties": {
          "path": {"type": "string", "minLength": 1, "description": "where"},
          "name": {"type": "string", "minLength": 3, "maxLength": 5, "pattern": "^[a-z]+$"},
          "mode": {"enum": ["a", "b", null]},
          "kind": {"const": "fixed"},
          "count": {"type": "integer", "minimum": 1, "maximum": 10},
          "ratio": {"type": "number", "minimum": 0},
          "flag": {"type": ["boolean", "null"], "default": false},
          "anything": true,
          "nothing": false,
          "labels": {"type": "object", "minProperties": 1, "maxProperties": 2,
                     "additionalProperties": {"type": "string"}},
          "updates": {
            "type": "array", "minItems": 1, "maxItems": 3,
            "items": {"$ref": "#/$defs/update"}
          }
        },
        "$defs": {
          "update": {
            "type": "object",
            "additionalProperties": false,
            "required": ["key", "value"],
            "properties": {
              "key": {"type": "string", "minLength": 1},
              "value": {"type": ["string", "number", "integer", "boolean"]}
            }
          }
        }
      }
      """;

  @Test
  void aPlainSchemaIsCheckedWithoutNetworknt() {
    assertThat(JsonSchemaChecker.compile(schema(SCHEMA), false).isPlain()).isTrue();
    assertThat(JsonSchemaChecker.compile(schema(SCHEMA), true).isPlain()).isFalse();
  }

  @Test
  void givesNetworkntsMessagesForEveryKeyword() {
    List<Object> configs = new ArrayList<>();
    configs.add(null);
    configs.add("text");
    configs.add(List.of());
    configs.add(Map.of());
    configs.add(valid());
    for (Map.Entry<String, List<Object>> field : badValues().entrySet()) {
      for (Object bad : field.getValue()) {
        Map<String, Object> config = valid();
        config.put(field.getKey(), bad);
        configs.add(config);
      }
    }
    Map<String, Object> twoUnknown = valid();
    twoUnknown.put("pth", "x");
    twoUnknown.put("zzzzzzzz", 1);
    twoUnknown.remove("path");
    configs.add(twoUnknown);

    assertSameMessages(SCHEMA, configs);
  }

  @Test
  void keywordsAreCheckedInTheOrderTheSchemaWritesThem() {
    String schema = """
        {"properties": {"a": {"minLength": 5, "pattern": "^x", "type": "string", "enum": ["xxxxxx"]}},
         "required": ["b"], "type": "object"}
        """;
    assertSameMessages(schema, List.of(Map.of("a", "yy"), Map.of("a", 3), Map.of("a", "yy", "c", true), List.of(1)));
  }

  @Test
  void unknownFieldsAreNamedWithTheClosestKnownOne() {
    String many = """
        {"type": "object", "additionalProperties": false, "properties": {
          "a1": {}, "a2": {}, "a3": {}, "a4": {}, "a5": {}, "a6": {}, "a7": {}, "a8": {}, "a9": {}, "b1": {},
          "b2": {}, "b3": {}, "b4": {}}}
        """;
    String none = """
        {"type": "object", "additionalProperties": false, "properties": {}}
        """;
    String noProperties = """
        {"type": "object", "additionalProperties": false}
        """;
    assertSameMessages(many, List.of(Map.of("zzzzzzzzzz", 1), Map.of("a", 1)));
    assertSameMessages(none, List.of(Map.of("x", 1)));
    assertSameMessages(noProperties, List.of(Map.of("x", 1)));
  }

  @Test
  void numbersAreComparedByValue() {
    String schema = """
        {"type": "object", "properties": {
          "i": {"type": "integer", "minimum": 2, "maximum": 3},
          "n": {"type": "number", "minimum": 2}}}
        """;
    List<Object> configs = new ArrayList<>();
    for (Object n : Arrays.asList(1, 2L, 3.0, 2.5, 1.9999, 4, new java.math.BigInteger("99999999999999999999"),
        new java.math.BigDecimal("2.50"), new java.math.BigDecimal("3.00"), 2.0f, -0.0, "2")) {
      configs.add(Map.of("i", n, "n", n));
    }
    assertSameMessages(schema, configs);
  }

  @Test
  void stringLengthsCountCodePoints() {
    String schema = """
        {"type": "string", "minLength": 2, "maxLength": 2}
        """;
    assertSameMessages(schema, List.of("😀", "😀😀", "😀😀😀", "ab", ""));
  }

  @Test
  void patternsMatchAnywhereInTheValue() {
    String schema = """
        {"type": "string", "pattern": "[0-9]+(ms|s)"}
        """;
    assertSameMessages(schema, List.of("x10sx", "10", "ms", "µs"));
  }

  @Test
  void configsThatAreNotPlainJavaValuesAreCheckedByNetworkntAsBefore() {
    // A host step's code may pass objects: networknt's conversion decides, as it did.
    Map<String, Object> withKeyNotAString = new LinkedHashMap<>(valid());
    withKeyNotAString.put("labels", Map.of(1, "x"));
    Map<String, Object> withObject = new LinkedHashMap<>(valid());
    withObject.put("path", java.time.Duration.ofSeconds(3));
    assertSameMessages(SCHEMA, List.of(withKeyNotAString, withObject));
  }

  @Test
  void yamlInfinitiesCompareAsInfinitiesAndNanIsWithinNoBound() {
    // Shown as Jackson writes non-finite numbers, as networknt's messages show values.
    JsonSchemaChecker plain = JsonSchemaChecker.compile(schema("""
        {"type": "object", "properties": {"n": {"type": "number", "minimum": 0, "maximum": 10}}}
        """), false);

    assertThat(plain.check(Map.of("n", Double.POSITIVE_INFINITY), "config"))
        .containsExactly("config.n: must be at most 10, but was \"Infinity\"");
    assertThat(plain.check(Map.of("n", Double.NEGATIVE_INFINITY), "config"))
        .containsExactly("config.n: must be at least 0, but was \"-Infinity\"");
    assertThat(plain.check(Map.of("n", Double.NaN), "config"))
        .containsExactly("config.n: must be at least 0, but was \"NaN\"",
            "config.n: must be at most 10, but was \"NaN\"");
    // networknt throws on .nan with a bound; that is a message now, not an exception.
    assertThat(JsonSchemaChecker.compile(schema("{\"properties\": {\"n\": {\"minimum\": 0}}}"), true)
        .check(Map.of("n", Double.NaN), "config"))
        .singleElement().asString().startsWith("config: cannot be checked against the config schema (");
  }

  @Test
  void schemasItCannotCheckExactlyGoToNetworknt() {
    for (String schema : List.of(
        "{\"anyOf\": [{\"type\": \"string\"}]}",
        "{\"type\": \"string\", \"format\": \"email\"}",
        "{\"enum\": [1, 2]}",
        "{\"minimum\": 1.5}",
        "{\"$ref\": \"#/definitions/x\", \"definitions\": {\"x\": {}}}",
        "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\"}",
        "{\"patternProperties\": {\"^a\": {}}}",
        "{\"type\": \"strnig\"}",
        "{\"$defs\": {\"x\": {\"$ref\": \"#/$defs/x\"}}, \"$ref\": \"#/$defs/x\"}")) {
      assertThat(JsonSchemaChecker.compile(schema(schema), false).isPlain()).as(schema).isFalse();
    }
  }

  private static Map<String, Object> valid() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("path", "values.yaml");
    config.put("updates", new ArrayList<>(List.of(Map.of("key", "a.b", "value", 1))));
    return config;
  }

  private static Map<String, List<Object>> badValues() {
    Map<String, List<Object>> bad = new LinkedHashMap<>();
    bad.put("path", Arrays.asList("", 12, null, List.of("x"), Map.of("a", 1)));
    bad.put("name", Arrays.asList("ab", "abcdef", "ABC", "aB", 7, "a-b-c-d-e-f-g"));
    bad.put("mode", Arrays.asList("c", 1, true, List.of()));
    bad.put("kind", Arrays.asList("loose", 1, null));
    bad.put("count", Arrays.asList(0, 11, 1.5, 2.0, "3", -1L, true));
    bad.put("ratio", Arrays.asList(-0.5, -1, "x"));
    bad.put("flag", Arrays.asList("yes", 0));
    bad.put("anything", Arrays.asList(1, null));
    bad.put("nothing", Arrays.asList(1, null, false));
    bad.put("labels", Arrays.asList(Map.of(), Map.of("a", 1), Map.of("a", "x", "b", "y", "c", "z"), "x"));
    bad.put("updates", Arrays.asList(List.of(), List.of(Map.of()), List.of(Map.of("key", "", "value", List.of())),
        List.of(1, 2, 3, 4), List.of(Map.of("key", "k", "value", "v", "extra", 1)), "x",
        List.of(Map.of("key", "k", "value", Map.of("deep", "x".repeat(100))))));
    return bad;
  }

  private static void assertSameMessages(String schemaText, List<Object> configs) {
    JsonSchemaChecker plain = JsonSchemaChecker.compile(schema(schemaText), false);
    JsonSchemaChecker networknt = JsonSchemaChecker.compile(schema(schemaText), true);
    assertThat(plain.isPlain()).as("taken by the plain checker").isTrue();
    int invalid = 0;
    for (Object config : configs) {
      List<String> expected = networknt.check(config, "config");
      assertThat(plain.check(config, "config")).as(String.valueOf(config)).isEqualTo(expected);
      invalid += expected.isEmpty() ? 0 : 1;
    }
    assertThat(invalid).as("configs that break the schema").isGreaterThan(0);
  }

  private static Map<String, Object> schema(String text) {
    return JsonSchemaChecker.parseSchemaText(text);
  }
}
