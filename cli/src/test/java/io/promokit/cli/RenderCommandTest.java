package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
  void wholeNumbersFromTextPrintWithoutADecimalPoint() {
    assertThat(Cli.run("render", "--template", "${{ \"1.0\" }}").out).isEqualTo("1\n");
    assertThat(Cli.run("render", "--template", "${{ \"1e3\" }}").out).isEqualTo("1000\n");
    assertThat(Cli.run("render", "--template", "${{ \"2.50\" }}").out).isEqualTo("2.5\n");
    assertThat(Cli.run("render", "--template", "${{ \"123456789012345678901234.0\" }}").out)
        .isEqualTo("123456789012345678901234\n");
  }

  @Test
  void secretsWithQuotesBackslashesOrNewlinesAreMaskedInATemplate() throws Exception {
    Path env = Files.writeString(dir.resolve("env.json"), SECRET_ENV);

    Cli quoted = Cli.run("render", "--env", env.toString(), "--template", "x ${{ secret('db').password }} y");
    Cli multiLine = Cli.run("render", "--env", env.toString(), "--template", "x ${{ secret('db').cert }} y");
    Cli asKey = Cli.run("render", "--env", env.toString(), "--template",
        "${{ fromJSON('{\"' + secret('db').user + '\": 1}') }}");

    assertThat(quoted.exitCode).as(quoted.toString()).isZero();
    assertThat(quoted.out).isEqualTo("\"x *** y\"\n");
    assertThat(multiLine.out).isEqualTo("\"x *** y\"\n");
    assertThat(asKey.out).isEqualTo("{\"***\":1}\n");
  }

  @Test
  void secretsWithQuotesBackslashesOrNewlinesAreMaskedInAConfig() throws Exception {
    Path env = Files.writeString(dir.resolve("env.json"), SECRET_ENV);
    Path config = Files.writeString(dir.resolve("config.yaml"), """
        password: ${{ secret('db').password }}
        note: "cert ${{ secret('db').cert }} end"
        list: ["${{ secret('db').password }}!"]
        """);

    Cli cli = Cli.run("render", "--env", env.toString(), "--config", config.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(Json.COMPACT.readValue(cli.out, Map.class))
        .isEqualTo(Map.of("password", "***", "note", "cert *** end", "list", List.of("***!")));
    assertThat(cli.out).doesNotContain("ss\\", "BEGIN", "line-two");
  }

  @Test
  void anExpressionErrorDoesNotPrintASecret() throws Exception {
    Path env = Files.writeString(dir.resolve("env.json"), SECRET_ENV);

    Cli cli = Cli.run("render", "--env", env.toString(), "--template", "${{ int(secret('db').password) }}");

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).isEqualTo("promokit render: int() cannot convert \"***\" to an int (in expression "
        + "\"int(secret('db').password)\" at column 1 of \"${{ int(secret('db').password) }}\")\n");
  }

  private static final String SECRET_ENV = """
      {"secrets": {"db": {"password": "pa\\"ss\\\\w",
                          "cert": "-----BEGIN-----\\nline-two\\n-----END-----",
                          "user": "admin-user"}}}
      """;

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
  void aConfigFileIsReadAsATemplatesConfigIsAnchorsAndMergeKeysIncluded() throws Exception {
    Path config = Files.writeString(dir.resolve("anchors.yaml"), """
        base: &base
          replicas: ${{ 1 + 1 }}
          enabled: yes
          mode: 0644
        prod:
          <<: *base
          replicas: 5
        copy: *base
        """);

    Cli cli = Cli.run("render", "--config", config.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.out).isEqualToIgnoringWhitespace("{\"base\": {\"replicas\": 2, \"enabled\": true, \"mode\": 420},"
        + " \"prod\": {\"replicas\": 5, \"enabled\": true, \"mode\": 420},"
        + " \"copy\": {\"replicas\": 2, \"enabled\": true, \"mode\": 420}}");
  }

  @Test
  void anEnvFileOfJsonIndentedWithTabsIsRead() throws Exception {
    Path env = Files.writeString(dir.resolve("env.json"), "{\n\t\"vars\": {\n\t\t\"region\": \"eu\"\n\t}\n}\n");

    Cli cli = Cli.run("render", "--env", env.toString(), "--template", "${{ vars.region }}");

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.out).isEqualTo("\"eu\"\n");
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
  void theEnvFileIsTheBaseOfEveryBatchLineAndEachLineIsMergedOverItDeeply() throws Exception {
    Path env = Files.writeString(dir.resolve("env.json"), """
        {"ctx": {"stage": "prod"},
         "vars": {"a": 1, "b": 2},
         "outputs": {"build": {"tag": "v1", "digest": "sha256:abc"}},
         "secrets": {"db": {"password": "base-secret"}},
         "steps": [{"alias": "lint", "status": "Failed"}]}
        """);
    Path batch = Files.writeString(dir.resolve("batch.jsonl"), """
        {"id": 1, "template": "${{ vars.a }}-${{ vars.b }}-${{ ctx.stage }}"}
        {"id": 2, "template": "${{ vars.a }}-${{ vars.b }}-${{ ctx.stage }}", "env": {"vars": {"b": 20}}}
        {"id": 3, "template": "${{ vars.a }}-${{ vars.b }}-${{ ctx.stage }}", "env": {"ctx": {"stage": "uat"}, "vars": {"a": null}}}
        {"id": 4, "template": "${{ outputs.build.tag }}@${{ outputs.build.digest }}", "env": {"outputs": {"build": {"tag": "v2"}}}}
        {"id": 5, "template": "${{ failure() }}"}
        {"id": 6, "template": "${{ failure() }}", "env": {"steps": [{"alias": "lint", "status": "Succeeded"}]}}
        {"id": 7, "template": "${{ secret('db').password }}", "env": {"vars": {}}}
        {"id": 8, "template": "x", "env": {"vars": [1]}}
        {"id": 9, "template": "x", "env": "not an object"}
        """);

    Cli cli = Cli.run("render", "--env", env.toString(), "--batch", batch.toString());

    assertThat(cli.out.split("\n")).containsExactly(
        "{\"id\":1,\"value\":\"1-2-prod\"}",
        "{\"id\":2,\"value\":\"1-20-prod\"}",
        "{\"id\":3,\"value\":\"null-2-uat\"}",
        "{\"id\":4,\"value\":\"v2@sha256:abc\"}",
        "{\"id\":5,\"value\":true}",
        "{\"id\":6,\"value\":false}",
        "{\"id\":7,\"value\":\"***\"}",
        "{\"id\":8,\"error\":\"" + batch + ":8: env.vars must be an object\"}",
        "{\"id\":9,\"error\":\"" + batch + ":9: env must be an object\"}");
    assertThat(cli.exitCode).isEqualTo(2);
  }

  @Test
  void aBadEnvFileStopsABatchBeforeAnyLine() throws Exception {
    Path env = Files.writeString(dir.resolve("env.json"), "{\"vars\": [1]}");
    Path batch = Files.writeString(dir.resolve("batch.jsonl"), "{\"id\": 1, \"template\": \"x\"}\n");

    Cli cli = Cli.run("render", "--env", env.toString(), "--batch", batch.toString());

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.out).isEmpty();
    assertThat(cli.err).isEqualTo("promokit render: " + env + ": env.vars must be an object\n");
  }

  @Test
  void theHelpSaysHowTheEnvFileAndABatchLinesEnvCombine() {
    Cli cli = Cli.run("render", "--help");

    assertThat(cli.out.replaceAll("\\s+", " "))
        .contains("With --batch it is the base env of every line: a line's \"env\" is merged over it, objects "
            + "deeply (the line wins key by key, e.g. vars.a from the line, vars.b from the file), anything else "
            + "(lists such as steps, strings, numbers, null) replaced by the line's value.");
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

  @Test
  void aKeyGivenTwiceInAnEnvOrConfigFileIsBadInputNamingFileLineAndKey() throws Exception {
    Path env = Files.writeString(dir.resolve("env.yaml"), "vars:\n  region: eu\n  region: us\n");
    Path config = Files.writeString(dir.resolve("config.json"), "{\"a\": 1,\n \"a\": 2}");

    Cli fromEnv = Cli.run("render", "--env", env.toString(), "--template", "${{ vars.region }}");
    Cli fromConfig = Cli.run("render", "--config", config.toString());

    assertThat(fromEnv.exitCode).isEqualTo(2);
    assertThat(fromEnv.err).startsWith("promokit render: " + env + ":3:")
        .endsWith(": not valid YAML/JSON: key \"region\" appears twice in the same map\n");
    assertThat(fromConfig.exitCode).isEqualTo(2);
    assertThat(fromConfig.err).startsWith("promokit render: " + config + ":2:")
        .endsWith(": not valid YAML/JSON: key \"a\" appears twice in the same map\n");
    assertThat(fromEnv.out + fromConfig.out).isEmpty();
  }

  @Test
  void aBatchLineWithASecretTooShortToMaskIsThatLinesErrorAndNeverPrintsIt() throws Exception {
    Path batch = Files.writeString(dir.resolve("short.jsonl"), """
        {"id": 1, "template": "${{ secret('s').k }}", "env": {"secrets": {"s": {"k": "ab"}}}}
        {"id": 2, "template": "${{ 1 + 1 }}"}
        """);

    Cli cli = Cli.run("render", "--batch", batch.toString());

    assertThat(cli.out).isEqualTo("{\"id\":1,\"error\":\"" + batch + ":1: env.secrets.s.k: the value is shorter than 4"
        + " characters, too short to be masked safely (masking it would hide the same letters in unrelated output); use"
        + " a longer secret (the value is not shown)\"}\n{\"id\":2,\"value\":2}\n");
    assertThat(cli.exitCode).isEqualTo(2);
  }
}
