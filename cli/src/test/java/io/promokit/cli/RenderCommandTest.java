package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {

  @TempDir Path dir;

  @Test
  void aTemplatePrintsItsValueAsJson() {
    Cli number = Cli.run("render", "--template", "${{ 40 + 2 }}");
    Cli string = Cli.run("render", "--template", "v${{ 1 }}");

    assertThat(number.exitCode).as(number.toString()).isZero();
    assertThat(number.out).isEqualTo("42\n");
    assertThat(string.out).isEqualTo("\"v1\"\n");
  }

  @Test
  void theEnvFileGivesCtxVarsOutputsSecretsAndStepHistory() throws Exception {
    Path env = Files.writeString(dir.resolve("env.json"), """
        {"ctx": {"stage": "prod", "meta": {"step": {"alias": "task-1::check"}}},
         "vars": {"n": 2},
         "outputs": {"build": {"tag": "v1"}},
         "secrets": {"db": {"password": "hunter2-secret"}},
         "steps": [{"alias": "task-1::lint", "status": "Failed", "continueOnError": true},
                   {"alias": "lint", "status": "Succeeded"}]}
        """);

    Cli cli = Cli.run("render", "--env", env.toString(), "--template",
        "${{ ctx.stage }}-${{ vars.n * 2 }}-${{ outputs.build.tag }}-${{ status('lint') }}-${{ success() }}-${{ secret('db').password }}");

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.out).isEqualTo("\"prod-4-v1-Failed-true-***\"\n");
  }

  @Test
  void aConfigFileIsEvaluatedAsAWhole() throws Exception {
    Path config = Files.writeString(dir.resolve("config.yaml"), """
        path: ./${{ 'a' }}.yaml
        replicas: ${{ 1 + 1 }}
        keep: 42
        """);

    Cli cli = Cli.run("render", "--config", config.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.out).isEqualToIgnoringWhitespace("{\"path\": \"./a.yaml\", \"replicas\": 2, \"keep\": 42}");
  }

  @Test
  void batchModePrintsOneLinePerInputAndABadLineNeverStopsTheOthers() throws Exception {
    Path batch = Files.writeString(dir.resolve("batch.jsonl"), """
        {"id": 1, "template": "${{ vars.a + 1 }}", "env": {"vars": {"a": 1}}}
        {"id": "two", "template": "${{ nope( }}"}
        not json
        {"id": 4, "template": {"k": "${{ 'v' }}", "n": 5}}
        {"id": 5, "template": "${{ secret('s').k }}", "env": {"secrets": {"s": {"k": "very-secret-value"}}}}
        """);

    Cli cli = Cli.run("render", "--batch", batch.toString());

    String[] lines = cli.out.split("\n");
    assertThat(lines).hasSize(5);
    assertThat(lines[0]).isEqualTo("{\"id\":1,\"value\":2}");
    assertThat(lines[1]).startsWith("{\"id\":\"two\",\"error\":\"");
    assertThat(lines[2]).startsWith("{\"id\":null,\"error\":\"" + batch + ":3: not valid JSON");
    assertThat(lines[3]).isEqualTo("{\"id\":4,\"value\":{\"k\":\"v\",\"n\":5}}");
    assertThat(lines[4]).isEqualTo("{\"id\":5,\"value\":\"***\"}");
    assertThat(cli.exitCode).isEqualTo(2);
  }

  @Test
  void thousandsOfBatchLinesEvaluateInOneProcess() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      sb.append("{\"id\":").append(i).append(",\"template\":\"${{ vars.i * 2 }}\",\"env\":{\"vars\":{\"i\":").append(i).append("}}}\n");
    }
    Path batch = Files.writeString(dir.resolve("many.jsonl"), sb);

    Cli cli = Cli.run("render", "--batch", batch.toString());

    String[] lines = cli.out.split("\n");
    assertThat(cli.exitCode).isZero();
    assertThat(lines).hasSize(5000);
    assertThat(lines[4999]).isEqualTo("{\"id\":4999,\"value\":9998}");
  }

  @Test
  void badInputExitsWithTwoAndNamesTheFile() throws Exception {
    Path env = Files.writeString(dir.resolve("env.json"), "{\"vars\": [1, 2]}");
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"vars\": ");

    Cli notAMap = Cli.run("render", "--env", env.toString(), "--template", "x");
    Cli unreadable = Cli.run("render", "--env", broken.toString(), "--template", "x");
    Cli missing = Cli.run("render", "--env", dir.resolve("nope.json").toString(), "--template", "x");
    Cli unknownField = Cli.run("render", "--env", Files.writeString(dir.resolve("f.json"), "{\"var\": {}}").toString(),
        "--template", "x");
    Cli failing = Cli.run("render", "--template", "${{ vars.a.b }}");
    Cli noInput = Cli.run("render");

    assertThat(notAMap.exitCode).isEqualTo(2);
    assertThat(notAMap.err).contains(env + ": env.vars must be an object");
    assertThat(unreadable.err).contains(broken + ":1:").contains("not valid YAML/JSON");
    assertThat(missing.err).contains("nope.json: no such file");
    assertThat(unknownField.err).contains("unknown env field \"var\"");
    assertThat(failing.exitCode).isEqualTo(2);
    assertThat(failing.err).contains("vars.a");
    assertThat(noInput.exitCode).isEqualTo(2);
  }
}
