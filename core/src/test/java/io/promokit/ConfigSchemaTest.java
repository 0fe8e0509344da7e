package io.promokit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {

  private static final ConfigSchema UPDATES = ConfigSchema.fromJson("""
      {
        "type": "object",
        "required": ["path", "updates"],
        "additionalProperties": false,
        "properties": {
          "path": {"type": "string", "minLength": 1},
          "overwrite": {"type": "boolean"},
          "mode": {"enum": ["fast", "safe"]},
          "count": {"type": "integer", "minimum": 1},
          "permissions": {"type": "string", "pattern": "^[0-7]{3,4}$"},
          "updates": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "object",
              "required": ["key", "value"],
              "additionalProperties": false,
              "properties": {"key": {"type": "string"}, "value": {}}
            }
          }
        }
      }
      """);

  @Test
  void validConfigHasNoProblems() {
    Map<String, Object> config = Map.of("path", "values.yaml", "updates", List.of(Map.of("key", "a", "value", 1)));

    assertThat(UPDATES.validate(config, "config")).isEmpty();
  }

  @Test
  void missingFieldIsNamedWithItsConfigPath() {
    Map<String, Object> config = Map.of("path", "v.yaml", "updates", List.of(Map.of("value", 1)));

    assertThat(UPDATES.validate(config, "config")).containsExactly("config.updates[0].key: is required");
  }

  @Test
  void wrongTypesSayWhatWasExpectedAndWhatCame() {
    Map<String, Object> config = Map.of("path", 5, "updates", List.of(Map.of("key", List.of(), "value", 1)));

    assertThat(UPDATES.validate(config, "config")).containsExactly(
        "config.path: must be a string, but was an integer",
        "config.updates[0].key: must be a string, but was a list");
  }

  @Test
  void unknownFieldSuggestsTheClosestKnownField() {
    Map<String, Object> config = Map.of("path", "v", "updates", List.of(Map.of("key", "a", "value", 1)),
        "overwrit", true);

    assertThat(UPDATES.validate(config, "config"))
        .containsExactly("config.overwrit: is not a known field; did you mean \"overwrite\"?");
  }

  @Test
  void unknownFieldWithoutCloseMatchListsTheKnownFields() {
    Map<String, Object> config = Map.of("path", "v",
        "updates", List.of(Map.of("key", "a", "value", 1, "comment", "x")));

    assertThat(UPDATES.validate(config, "config"))
        .containsExactly("config.updates[0].comment: is not a known field; known fields: key, value");
  }

  @Test
  void keysThatAreNotIdentifiersAreQuoted() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("path", "v");
    config.put("updates", List.of(Map.of("key", "a", "value", 1)));
    config.put("my-field", 1);

    assertThat(UPDATES.validate(config, "config"))
        .containsExactly("config['my-field']: is not a known field; known fields: path, overwrite, mode, count, "
            + "permissions, updates");
  }

  @Test
  void rangesEnumsPatternsAndEmptyListsReadWell() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("path", "");
    config.put("updates", List.of());
    config.put("mode", "quick");
    config.put("count", 0);
    config.put("permissions", "999");

    assertThat(UPDATES.validate(config, "config")).containsExactly(
        "config.path: must not be empty",
        "config.mode: must be one of \"fast\", \"safe\", but was \"quick\"",
        "config.count: must be at least 1, but was 0",
        "config.permissions: must match the pattern ^[0-7]{3,4}$, but was \"999\"",
        "config.updates: must have at least 1 item, but had 0");
  }

  @Test
  void alternativesOfTypesFoldIntoOneMessage() {
    ConfigSchema schema = ConfigSchema.fromJson("""
        {"type": "object", "properties": {"ignore": {"oneOf": [
          {"type": "string"}, {"type": "array", "items": {"type": "string"}}]}}}
        """);

    assertThat(schema.validate(Map.of("ignore", true), "config"))
        .containsExactly("config.ignore: must be a string or a list, but was a boolean");
  }

  @Test
  void alternativesWithDeeperProblemsListEachForm() {
    ConfigSchema schema = ConfigSchema.fromJson("""
        {"type": "object", "properties": {"source": {"anyOf": [
          {"type": "string"},
          {"type": "object", "required": ["url"]}]}}}
        """);

    assertThat(schema.validate(Map.of("source", Map.of("uri", "x")), "config"))
        .containsExactly("config.source: matches none of the allowed forms (config.source: must be a string, "
            + "but was an object; or config.source.url: is required)");
  }

  @Test
  void rootProblemsUseTheRootName() {
    ConfigSchema schema = ConfigSchema.fromJson("{\"type\": \"object\", \"minProperties\": 1}");

    assertThat(schema.validate(Map.of(), "config")).containsExactly("config: must have at least 1 field, but had 0");
    assertThat(schema.validate(List.of(), "config")).containsExactly("config: must be an object, but was a list");
  }

  @Test
  void formatsAreAsserted() {
    ConfigSchema schema = ConfigSchema.fromJson("{\"properties\": {\"url\": {\"type\": \"string\", \"format\": \"uri\"}}}");

    assertThat(schema.validate(Map.of("url", "not a uri"), "config"))
        .containsExactly("config.url: must be a valid uri, but was \"not a uri\"");
  }

  @Test
  void schemaFromYamlTextAndMapBehaveTheSame() {
    ConfigSchema fromYaml = ConfigSchema.fromJson("type: object\nrequired: [name]\n");
    ConfigSchema fromMap = ConfigSchema.fromMap(Map.of("type", "object", "required", List.of("name")));

    assertThat(fromYaml.validate(Map.of(), "config")).containsExactly("config.name: is required");
    assertThat(fromMap.validate(Map.of(), "config")).containsExactly("config.name: is required");
    assertThat(fromYaml.asMap()).isEqualTo(fromMap.asMap());
  }

  @Test
  void schemaMapIsReadOnlyAndCopied() {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("type", "object");
    ConfigSchema schema = ConfigSchema.fromMap(source);
    source.put("required", List.of("x"));

    assertThat(schema.asMap()).containsOnlyKeys("type");
    assertThatThrownBy(() -> schema.asMap().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void malformedSchemaIsRejectedWithEveryProblem() {
    assertThatThrownBy(() -> ConfigSchema.fromJson("""
        {"type": "object", "required": "name", "properties": {"a": {"minLength": -1}}}
        """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid config schema: schema.properties.a.minLength: must be at least 0, but was -1; "
            + "schema.required: must be a list, but was a string");
  }

  @Test
  void unknownTypeNameInSchemaIsRejected() {
    assertThatThrownBy(() -> ConfigSchema.fromJson("{\"type\": \"strin\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid config schema: schema.type: matches none of the allowed forms (")
        .hasMessageContaining("must be one of \"array\", \"boolean\", \"integer\", \"null\", \"number\", \"object\", "
            + "\"string\", but was \"strin\"");
  }

  @Test
  void referencesOutsideTheSchemaAreNeverLoaded() {
    assertThatThrownBy(() -> ConfigSchema.fromJson("{\"$ref\": \"file:///etc/hostname\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid config schema: Schema from 'file:///etc/hostname' is not allowed to be loaded. "
            + "(a $ref may only point inside the schema)");
    assertThatThrownBy(() -> ConfigSchema.fromJson("{\"$ref\": \"http://127.0.0.1:9/schema.json\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not allowed to be loaded");
  }

  @Test
  void danglingInternalReferenceIsRejected() {
    assertThatThrownBy(() -> ConfigSchema.fromJson("{\"properties\": {\"a\": {\"$ref\": \"#/$defs/missing\"}}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid config schema: ")
        .hasMessageContaining("/$defs/missing");
  }

  @Test
  void internalReferencesWork() {
    ConfigSchema schema = ConfigSchema.fromJson("""
        {"$defs": {"pair": {"type": "object", "required": ["name", "value"]}},
         "type": "object", "properties": {"headers": {"type": "array", "items": {"$ref": "#/$defs/pair"}}}}
        """);

    assertThat(schema.validate(Map.of("headers", List.of(Map.of("name", "a"))), "config"))
        .containsExactly("config.headers[0].value: is required");
  }

  @Test
  void unsupportedDialectIsRejected() {
    assertThatThrownBy(() -> ConfigSchema.fromJson("{\"$schema\": \"http://example.com/my-dialect\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid config schema: unsupported $schema \"http://example.com/my-dialect\"; use "
            + "\"https://json-schema.org/draft/2020-12/schema\" or leave it out");
  }

  @Test
  void olderDraftsAreAcceptedWhenDeclared() {
    ConfigSchema schema = ConfigSchema.fromJson(
        "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\", \"required\": [\"a\"]}");

    assertThat(schema.validate(Map.of(), "config")).containsExactly("config.a: is required");
  }

  @Test
  void textThatIsNotASchemaIsRejected() {
    assertThatThrownBy(() -> ConfigSchema.fromJson("[1, 2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("config schema must be a JSON object, but was a list");
    assertThatThrownBy(() -> ConfigSchema.fromJson("{\"type\": "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("config schema is not valid JSON or YAML: ");
  }

  @Test
  void schemaHoldingNonJsonValuesIsRejected() {
    assertThatThrownBy(() -> ConfigSchema.fromMap(Map.of("default", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("config schema holds a java.lang.Object at schema.default; only JSON values");
    assertThatThrownBy(() -> ConfigSchema.fromMap(Map.of("properties",
        Map.of("a", Map.of("enum", List.of("x", java.time.Duration.ZERO))))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("config schema holds a java.time.Duration at schema.properties.a.enum[1]; only JSON");
    assertThatThrownBy(() -> ConfigSchema.fromMap(Map.of("properties", Map.of("a", Map.of(1, "x")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("config schema has a non-string key 1 at schema.properties.a");
  }

  @Test
  void aHostsResourceSchemaIsCheckedAgainstTheMetaSchemaOnFirstUse() {
    ConfigSchema schema = ConfigSchema.fromResource(org.example.hoststeps.HostAnchor.class, "bad-schema.json");

    assertThatThrownBy(() -> schema.validate(Map.of(), "config"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid config schema: schema.properties.a.type: ");
  }

  @Test
  void missingResourceIsNamed() {
    assertThatThrownBy(() -> ConfigSchema.fromResource(org.example.hoststeps.HostAnchor.class, "nope.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("config schema resource \"nope.json\" not found next to org.example.hoststeps.HostAnchor");
  }

  @Test
  void aMissingResourceOfPromokitsOwnFailsAtFirstUseWithTheSameMessage() {
    // promokit's own schemas are not looked up at registration (the build checks each exists: BundledSchemasTest).
    ConfigSchema schema = ConfigSchema.fromResource(ConfigSchemaTest.class, "nope.json");

    assertThatThrownBy(() -> schema.validate(Map.of(), "config"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("config schema resource \"nope.json\" not found next to io.promokit.ConfigSchemaTest");
  }

  @Test
  void aSchemaIsSafeToShareBetweenThreads() throws Exception {
    List<Thread> threads = new java.util.ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    for (int t = 0; t < 8; t++) {
      int n = t;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          try {
            List<String> problems = UPDATES.validate(Map.of("path", n, "updates", List.of()), "config");
            assertThat(problems).containsExactly("config.path: must be a string, but was an integer",
                "config.updates: must have at least 1 item, but had 0");
          } catch (Throwable e) {
            failures.add(e);
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
  }

  private static final String MALFORMED = """
      {"type": "object", "required": "name", "properties": {"a": {"minLength": -1}}}
      """;
  private static final String MALFORMED_PROBLEMS = "invalid config schema: schema.properties.a.minLength: must be at "
      + "least 0, but was -1; schema.required: must be a list, but was a string";
  private static final String MALFORMED_DRAFT_07 =
      "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\", \"required\": \"a\"}";
  // A schema whose values must themselves be schemas: it reaches the shared meta-schema through $ref.
  private static final String SCHEMA_OF_SCHEMAS = """
      {"type": "object", "properties": {"inner": {"$ref": "https://json-schema.org/draft/2020-12/schema"}}}
      """;

  private static String problemsOf(String schemaText) {
    try {
      ConfigSchema.fromJson(schemaText);
      return "no problem";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  @Test
  void schemasCompiledOneAfterAnotherReportTheSameMetaSchemaProblems() {
    // The meta-schemas are compiled once per dialect and shared: what one compile saw must not leak into the next.
    String draft07 = problemsOf(MALFORMED_DRAFT_07);
    assertThat(draft07).startsWith("invalid config schema: schema.required: ");

    assertThat(problemsOf(MALFORMED)).isEqualTo(MALFORMED_PROBLEMS);
    assertThat(problemsOf("{\"$ref\": \"file:///etc/hostname\"}")).contains("is not allowed to be loaded");
    assertThat(problemsOf("{\"type\": \"object\"}")).isEqualTo("no problem");
    assertThat(problemsOf(MALFORMED)).isEqualTo(MALFORMED_PROBLEMS);
    assertThat(problemsOf(MALFORMED_DRAFT_07)).isEqualTo(draft07);
    assertThat(problemsOf(MALFORMED)).isEqualTo(MALFORMED_PROBLEMS);
    assertThat(ConfigSchema.fromJson(SCHEMA_OF_SCHEMAS).validate(Map.of("inner", Map.of("type", 5)), "config"))
        .singleElement().asString().startsWith("config.inner.type: ");
  }

  @Test
  void schemasCompiledConcurrentlyReportTheSameProblems() throws Exception {
    String draft07 = problemsOf(MALFORMED_DRAFT_07);
    List<String> innerProblems =
        ConfigSchema.fromJson(SCHEMA_OF_SCHEMAS).validate(Map.of("inner", Map.of("type", 5)), "config");
    assertThat(innerProblems).hasSize(1);
    List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int n = t;
      Thread thread = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < 25; i++) {
            switch ((n + i) % 4) {
              case 0 -> assertThat(problemsOf(MALFORMED)).isEqualTo(MALFORMED_PROBLEMS);
              case 1 -> assertThat(problemsOf(MALFORMED_DRAFT_07)).isEqualTo(draft07);
              case 2 -> assertThat(ConfigSchema.fromJson(SCHEMA_OF_SCHEMAS)
                  .validate(Map.of("inner", Map.of("type", 5)), "config")).isEqualTo(innerProblems);
              default -> assertThat(ConfigSchema.fromJson("{\"required\": [\"k" + n + "\"]}")
                  .validate(Map.of(), "config")).containsExactly("config.k" + n + ": is required");
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void jsonTextReadsAsTheSameValuesAsItsYamlSpelling() {
    // JSON text is read by Jackson (faster on a cold start), YAML by SnakeYAML: the values must not differ.
    ConfigSchema json = ConfigSchema.fromJson("""
        {"type": "object", "properties": {"n": {"type": "integer", "minimum": 1, "maximum": 3000000000,
         "multipleOf": 0.5, "default": 12345678901234567890, "examples": [-0.25, 1e3, "\\u00e9t\\u00e9", null,
         true]}}, "required": []}
        """);
    ConfigSchema yaml = ConfigSchema.fromJson("""
        type: object
        properties:
          n:
            type: integer
            minimum: 1
            maximum: 3000000000
            multipleOf: 0.5
            default: 12345678901234567890
            examples: [-0.25, 1.0e+3, "\u00e9t\u00e9", null, true]
        required: []
        """);

    assertThat(json.asMap()).isEqualTo(yaml.asMap());
    @SuppressWarnings("unchecked")
    Map<String, Object> n = (Map<String, Object>) ((Map<String, Object>) json.asMap().get("properties")).get("n");
    assertThat(n.get("minimum")).isEqualTo(1);
    assertThat(n.get("maximum")).isEqualTo(3000000000L);
    assertThat(n.get("default")).isEqualTo(new java.math.BigInteger("12345678901234567890"));
    assertThat(n.get("multipleOf")).isEqualTo(0.5);
    assertThat(n.get("examples")).asList().containsExactly(-0.25, 1000.0, "\u00e9t\u00e9", null, true);
  }

  @Test
  void jsonTextWithADuplicateKeyIsRejectedAsYamlRejectsIt() {
    assertThatThrownBy(() -> ConfigSchema.fromJson("{\"type\": \"object\", \"type\": \"string\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("config schema is not valid JSON or YAML: ")
        .hasMessageContaining("duplicate key type");
  }
}
