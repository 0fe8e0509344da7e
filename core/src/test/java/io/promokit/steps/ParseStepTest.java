package io.promokit.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParseStepTest {

  @TempDir Path workdir;

  @Test
  void yamlParseSeesTopLevelKeysAsVariables() throws Exception {
    Files.writeString(workdir.resolve("values.yaml"), """
        image:
          tag: latest   # bumped by CI
        rbac:
          installClusterRoles: true
        replicas: 3
        released: 2024-05-01
        apps:
          test: {url: https://test.example.com}
        """);

    StepResult result = TestStepContext.of(workdir, "yaml-parse", Map.of("path", "./values.yaml", "outputs", List.of(
        output("imageTag", "image.tag"),
        output("roles", "rbac.installClusterRoles"),
        output("double", "replicas * 2"),
        output("released", "released"),
        output("url", "apps[ctx.stage].url"),
        output("whole", "image")))).run();

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).isEqualTo(Map.of(
        "imageTag", "latest", "roles", true, "double", 6L, "released", "2024-05-01",
        "url", "https://test.example.com", "whole", Map.of("tag", "latest")));
    assertThat(result.outputs().keySet()).containsExactly("imageTag", "roles", "double", "released", "url", "whole");
  }

  @Test
  void jsonParseWorksTheSameWay() throws Exception {
    Files.writeString(workdir.resolve("values.json"), "{\"image\": {\"tag\": \"v2\"}, \"my-key\": 1, \"n\": 1.5}");

    StepResult result = TestStepContext.of(workdir, "json-parse", Map.of("path", "values.json", "outputs", List.of(
        output("tag", "image.tag"), output("n", "n")))).run();

    assertThat(result.outputs()).containsEntry("tag", "v2").containsEntry("n", 1.5);
  }

  @Test
  void documentKeysWinOverTheStepsOwnVariables() throws Exception {
    Files.writeString(workdir.resolve("v.yaml"), "vars: {from: document}\n");

    StepResult result = TestStepContext.of(workdir, "yaml-parse",
        Map.of("path", "v.yaml", "outputs", List.of(output("from", "vars.from"), output("stage", "ctx.stage"))),
        Map.of("from", "template"), Map.of()).run();

    assertThat(result.outputs()).containsEntry("from", "document").containsEntry("stage", "test");
  }

  @Test
  void expressionErrorsNameTheOutput() throws Exception {
    Files.writeString(workdir.resolve("v.yaml"), "image: {tag: v1}\n");

    assertThatThrownBy(() -> TestStepContext.of(workdir, "yaml-parse", Map.of("path", "v.yaml",
        "outputs", List.of(output("ok", "image.tag"), output("bad", "image.nope.deeper")))).run())
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessageStartingWith("config.outputs[1].fromExpression: ");
  }

  @Test
  void fileProblemsAreTerminalErrorsNamingThePath() throws Exception {
    Files.writeString(workdir.resolve("list.yaml"), "- a\n- b\n");
    Files.writeString(workdir.resolve("bad.json"), "{\"a\": ");
    Files.writeString(workdir.resolve("bad.yaml"), "a: [1\n");

    assertThatThrownBy(() -> parse("yaml-parse", "missing.yaml"))
        .isInstanceOf(StepException.class)
        .hasMessage("config.path: \"missing.yaml\" does not exist");
    assertThatThrownBy(() -> parse("yaml-parse", "list.yaml"))
        .hasMessage("config.path: \"list.yaml\" holds a list at the top level; yaml-parse needs a map");
    assertThatThrownBy(() -> parse("json-parse", "bad.json"))
        .hasMessageStartingWith("config.path: \"bad.json\" is not valid JSON: Unexpected end-of-input");
    assertThatThrownBy(() -> parse("yaml-parse", "bad.yaml"))
        .hasMessageStartingWith("config.path: \"bad.yaml\" is not valid YAML: ");
  }

  @Test
  void badConfigIsNamed() throws Exception {
    assertThat(TestStepContext.of(workdir, "yaml-parse", Map.of("path", "v.yaml")).run().message())
        .isEqualTo("invalid config: config.outputs: is required");
    assertThat(TestStepContext.of(workdir, "yaml-parse", Map.of("path", "v.yaml",
        "outputs", List.of(Map.of("name", "a")))).run().message())
        .isEqualTo("invalid config: config.outputs[0].fromExpression: is required");
    assertThat(TestStepContext.of(workdir, "json-parse", Map.of("path", "v.json",
        "outputs", List.of(output("a", "x"), output("a", "y")))).run().message())
        .isEqualTo("invalid config: config.outputs[1].name: \"a\" is already the name of config.outputs[0]");
  }

  private void parse(String step, String path) throws Exception {
    TestStepContext.of(workdir, step, Map.of("path", path, "outputs", List.of(output("a", "a")))).run();
  }

  private static Map<String, Object> output(String name, String expression) {
    return Map.of("name", name, "fromExpression", expression);
  }
}
