package io.promokit.steps.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** toml-parse and toml-update, with Kargo's own cases. */
class TomlStepsTest {

  static final String CONFIG = """
      # the app's config
      [app]
      version = "1.0.0"   # bumped by promotions
      name = "demo"

      [features]
      newFeature = false
      threshold = 10

      [package]
      version = "1.0.0"
      """;

  @TempDir Path workdir;
  private StepRunner steps;

  @BeforeEach
  void setUp() throws Exception {
    steps = new StepRunner(workdir);
    Files.writeString(workdir.resolve("config.toml"), CONFIG);
  }

  @Test
  void parsePublishesValuesPickedByExpressions() throws Exception {
    StepResult result = steps.run("toml-parse", Map.of("path", "config.toml", "outputs", List.of(
        Map.of("name", "appVersion", "fromExpression", "app.version"),
        Map.of("name", "featureStatus", "fromExpression", "features.newFeature"),
        Map.of("name", "threshold", "fromExpression", "features.threshold + 1"))));
    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).containsExactly(Map.entry("appVersion", "1.0.0"), Map.entry("featureStatus", false),
        Map.entry("threshold", 11L));
  }

  @Test
  void parseReadsNestedDocumentsAsKargoDoes() throws Exception {
    Files.writeString(workdir.resolve("n.toml"), "[a.b]\nanswer = 42\nlist = [1, 2, 3]\nwhen = 1979-05-27T07:32:00Z\n"
        + "[[items]]\nname = 'x'\n[[items]]\nname = 'y'\n");
    StepResult result = steps.run("toml-parse", Map.of("path", "n.toml", "outputs", List.of(
        Map.of("name", "answer", "fromExpression", "a.b.answer"),
        Map.of("name", "list", "fromExpression", "a.b.list"),
        Map.of("name", "when", "fromExpression", "a.b.when"),
        Map.of("name", "second", "fromExpression", "items[1].name"))));
    assertThat(result.outputs()).containsEntry("answer", 42L).containsEntry("list", List.of(1L, 2L, 3L))
        .containsEntry("when", "1979-05-27T07:32:00Z").containsEntry("second", "y");
  }

  @Test
  void parseErrors() throws Exception {
    assertThatThrownBy(() -> steps.run("toml-parse", Map.of("path", "config.toml", "outputs", List.of(
        Map.of("name", "x", "fromExpression", "nonexistent.path")))))
        .isInstanceOf(StepException.class)
        .hasMessageStartingWith("failed to extract outputs: config.outputs[0].fromExpression: ");
    Files.writeString(workdir.resolve("empty.toml"), "");
    assertThatThrownBy(() -> steps.run("toml-parse", Map.of("path", "empty.toml", "outputs", List.of(
        Map.of("name", "x", "fromExpression", "a")))))
        .hasMessage("could not parse empty TOML file: \"empty.toml\"");
    Files.writeString(workdir.resolve("bad.toml"), "key = \n");
    assertThatThrownBy(() -> steps.run("toml-parse", Map.of("path", "bad.toml", "outputs", List.of(
        Map.of("name", "x", "fromExpression", "a")))))
        .hasMessageStartingWith("could not parse TOML file: config.path: \"bad.toml\" is not valid TOML: ")
        .hasMessageContaining("(line 1, column ");
    Files.createDirectories(workdir.resolve("dir"));
    assertThatThrownBy(() -> steps.run("toml-parse", Map.of("path", "dir", "outputs", List.of(
        Map.of("name", "x", "fromExpression", "a")))))
        .hasMessage("config.path: \"dir\" is a directory, not a file");
    assertThat(steps.run("toml-parse", Map.of("path", "config.toml", "outputs", List.of())).message())
        .startsWith("invalid config: config.outputs: ");
    assertThat(steps.run("toml-parse", Map.of("path", "", "outputs", List.of(Map.of("name", "x",
        "fromExpression", "a")))).message()).startsWith("invalid config: config.path: ");
  }

  @Test
  void updateRewritesOnlyTheValuesAndKeepsIntegersIntegers() throws Exception {
    StepResult result = steps.run("toml-update", Map.of("path", "config.toml", "updates", List.of(
        Map.of("key", "package.version", "value", "1.0.1"),
        Map.of("key", "features.newFeature", "value", true),
        Map.of("key", "features.threshold", "value", 100))));
    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(workdir.resolve("config.toml")).hasContent(CONFIG
        .replace("[package]\nversion = \"1.0.0\"", "[package]\nversion = '1.0.1'")
        .replace("newFeature = false", "newFeature = true")
        .replace("threshold = 10", "threshold = 100"));
    assertThat(result.outputs()).containsExactly(Map.entry("commitMessage",
        "Updated config.toml\n\n- package.version: '1.0.1'\n- features.newFeature: true\n- features.threshold: 100"));
  }

  @Test
  void updateErrorsLeaveTheFileAlone() throws Exception {
    assertThatThrownBy(() -> steps.run("toml-update", Map.of("path", "config.toml", "updates", List.of(
        Map.of("key", "app.version", "value", "2"), Map.of("key", "app.missing", "value", "x")))))
        .isInstanceOf(StepException.class)
        .hasMessage("TOML file update failed: config.updates[1].key: \"app.missing\": key path not found in config.toml");
    assertThatThrownBy(() -> steps.run("toml-update", Map.of("path", "config.toml", "updates", List.of(
        Map.of("key", "app", "value", "x")))))
        .hasMessage("TOML file update failed: config.updates[0].key: \"app\": key path addresses Table instead of a "
            + "scalar node in config.toml");
    assertThatThrownBy(() -> steps.run("toml-update", Map.of("path", "missing.toml", "updates", List.of(
        Map.of("key", "a", "value", "x")))))
        .hasMessage("config.path: \"missing.toml\" does not exist");
    assertThat(workdir.resolve("config.toml")).hasContent(CONFIG);
    assertThat(steps.run("toml-update", Map.of("path", "config.toml", "updates", List.of(
        Map.of("key", "a..b", "value", "x")))).message())
        .isEqualTo("invalid config: config.updates[0].key: \"a..b\" has an empty part");
    assertThat(steps.run("toml-update", Map.of("path", "config.toml", "updates", List.of(
        Map.of("key", "app.name", "value", List.of("x"))))).message())
        .startsWith("invalid config: config.updates[0].value: ");
  }
}
