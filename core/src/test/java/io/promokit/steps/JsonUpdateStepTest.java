package io.promokit.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonUpdateStepTest {

  @TempDir Path workdir;

  private static final String CONFIG = """
      {
        "name": "guestbook",
        "image": {
          "repository": "ghcr.io/example/guestbook",
          "tag": "v1.0.0"
        },
        "replicas": 2,
        "regions" : ["eu-west-1", "us-east-1"],
        "features": {},
        "limits": {"cpu": "100m", "memory": "128Mi"}
      }
      """;

  @Test
  void changesOnlyTheValuesAndFollowsTheLayoutForNewKeys() throws Exception {
    write("config.json", CONFIG);

    StepResult result = update("config.json",
        u("image.tag", "v1.1.0"),
        u("replicas", 3),
        u("regions.-1", "ap-south-1"),
        u("image.digest", "sha256:abc"),
        u("features.darkMode", true),
        u("limits.gpu", 1),
        u("rollout.strategy.maxSurge", "25%"));

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(read("config.json")).isEqualTo("""
        {
          "name": "guestbook",
          "image": {
            "repository": "ghcr.io/example/guestbook",
            "tag": "v1.1.0",
            "digest": "sha256:abc"
          },
          "replicas": 3,
          "regions" : ["eu-west-1", "us-east-1", "ap-south-1"],
          "features": {"darkMode": true},
          "limits": {"cpu": "100m", "memory": "128Mi", "gpu": 1},
          "rollout": {
            "strategy": {
              "maxSurge": "25%"
            }
          }
        }
        """);
    assertThat(result.outputs()).containsEntry("commitMessage", """
        Updated config.json

        - image.tag: "v1.1.0"
        - replicas: 3
        - regions.-1: "ap-south-1"
        - image.digest: "sha256:abc"
        - features.darkMode: true
        - limits.gpu: 1
        - rollout.strategy.maxSurge: "25%\"""");
  }

  @Test
  void tabsAndFourSpaceIndentationAreLearned() throws Exception {
    write("tabs.json", "{\n\t\"a\": {\n\t\t\"b\": 1\n\t}\n}\n");
    write("four.json", "{\n    \"list\": [\n        1\n    ]\n}\n");

    update("tabs.json", u("a.c", List.of(1, 2)));
    update("four.json", u("list.1", Map.of("x", "y")));

    assertThat(read("tabs.json")).isEqualTo("{\n\t\"a\": {\n\t\t\"b\": 1,\n\t\t\"c\": [\n\t\t\t1,\n\t\t\t2\n\t\t]\n\t}\n}\n");
    assertThat(read("four.json")).isEqualTo("{\n    \"list\": [\n        1,\n        {\n            \"x\": \"y\"\n        }\n    ]\n}\n");
  }

  @Test
  void compactFilesStayCompact() throws Exception {
    write("c.json", "{\"a\":1,\"b\":[true,null],\"c\":{}}");

    update("c.json", u("a", "one"), u("b.0", false), u("c.d", Map.of("e", 1)), u("f", null));

    assertThat(read("c.json")).isEqualTo("{\"a\":\"one\",\"b\":[false,null],\"c\":{\"d\":{\"e\":1}},\"f\":null}");
  }

  @Test
  void stringsAreEscapedAndTypesKept() throws Exception {
    write("s.json", "{\"msg\": \"old\", \"n\": \"1\"}\n");

    update("s.json", u("msg", "line \"one\"\n\ttab \\ back"), u("n", 2.5));

    assertThat(read("s.json")).isEqualTo("{\"msg\": \"line \\\"one\\\"\\n\\ttab \\\\ back\", \"n\": 2.5}\n");
  }

  @Test
  void shapeConflictsAndBadFilesAreErrors() throws Exception {
    write("a.json", "{\"a\": \"text\", \"list\": []}\n");
    write("bad.json", "{\"a\": 1,,}\n");
    write("array.json", "[1, 2]\n");

    assertThatThrownBy(() -> update("a.json", u("a.b", 1)))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("config.updates[0].key: \"a.b\": \"a\" holds a string, not a map or a list");
    assertThatThrownBy(() -> update("a.json", u("list.1", 1)))
        .hasMessage("config.updates[0].key: \"list.1\": index 1 is out of range: \"list\" has 0 items (use 0 or -1 to "
            + "append)");
    assertThatThrownBy(() -> update("bad.json", u("a", 2)))
        .hasMessageStartingWith("config.path: \"bad.json\" is not valid JSON: Unexpected character (',' (code 44))")
        .hasMessageEndingWith("was expecting double-quote to start field name (line 1, column 9)");
    assertThatThrownBy(() -> update("array.json", u("a", 2)))
        .hasMessage("config.updates[0].key: \"a\": the document is a list, so \"a\" must be an index (0, 1, ... or -1 "
            + "to append)");
    assertThat(read("a.json")).isEqualTo("{\"a\": \"text\", \"list\": []}\n");
  }

  // Kargo: Test_jsonUpdater_run "handle empty JSON file": an empty file is an empty object, which the update fills.
  @Test
  void anEmptyFileIsAnEmptyObject() throws Exception {
    write("empty.json", "");
    write("blank.json", "  \n");

    update("empty.json", u("app.version", "1.0.1"));
    update("blank.json", u("a", 2));

    assertThat(read("empty.json")).isEqualTo("{\"app\": {\"version\": \"1.0.1\"}}");
    assertThat(read("blank.json")).isEqualTo("{\"a\": 2}\n");
  }

  // Kargo: Test_jsonUpdater_run "successful run with updates" and Test_jsonUpdater_generateCommitMessage: every
  // string Go-quoted (%q), numbers and booleans as they are (a whole number without a fraction).
  @Test
  void commitMessageQuotesAsKargoDoes() throws Exception {
    write("config.json", "{\"app\": {\"version\": \"1.0.0\"}, \"features\": {\"newFeature\": false}}");

    StepResult result = update("config.json", u("app.version", "1.0.1"), u("features.newFeature", true),
        u("threshold", 100), u("ratio", 100.0), u("tab", "a\tb"));

    assertThat(result.outputs()).containsEntry("commitMessage", "Updated config.json\n\n"
        + "- app.version: \"1.0.1\"\n"
        + "- features.newFeature: true\n"
        + "- threshold: 100\n"
        + "- ratio: 100\n"
        + "- tab: \"a\\tb\"");
    assertThat(read("config.json")).contains("\"ratio\": 100,").contains("\"threshold\": 100");
  }

  @Test
  void arrayRootCanBeUpdatedByIndex() throws Exception {
    write("array.json", "[\n  {\"name\": \"a\"}\n]\n");

    update("array.json", u("0.name", "b"), u("-1", Map.of("name", "c")));

    assertThat(read("array.json")).isEqualTo("[\n  {\"name\": \"b\"},\n  {\n    \"name\": \"c\"\n  }\n]\n");
  }

  @Test
  void badConfigIsNamed() throws Exception {
    assertThat(TestStepContext.of(workdir, "json-update", Map.of("path", "a.json",
        "updates", List.of(Map.of("key", "", "value", 1)))).run().message())
        .isEqualTo("invalid config: config.updates[0].key: must not be empty");
    assertThat(TestStepContext.of(workdir, "json-update", Map.of("path", "a.json",
        "updates", List.of(Map.of("key", "a", "value", 1, "comment", "x")))).run().message())
        .isEqualTo("invalid config: config.updates[0].comment: is not a known field; known fields: key, value");
  }

  private static Map<String, Object> u(String key, Object value) {
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("key", key);
    update.put("value", value);
    return update;
  }

  @SafeVarargs
  private StepResult update(String path, Map<String, Object>... updates) throws Exception {
    StepResult result = TestStepContext.of(workdir, "json-update", Map.of("path", path, "updates", List.of(updates))).run();
    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);
    return result;
  }

  private void write(String path, String text) throws IOException {
    Files.writeString(workdir.resolve(path), text);
  }

  private String read(String path) throws IOException {
    return Files.readString(workdir.resolve(path));
  }
}
