package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionPhase;
import io.promokit.StepStatus;
import io.promokit.records.PromotionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

  @TempDir Path dir;

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private static final String ECHO_STEP = """
      apiVersion: promokit.io/v1
      kind: CustomPromotionStep
      metadata:
        name: echo
      spec:
        image: busybox
        command: ["sh", "-c", "echo said=$WORD >> \\"$KARGO_OUTPUT\\"; echo hello $WORD"]
        env:
          - name: WORD
            value: ${{ config.word }}
      """;

  @Test
  void aPromotionRunsPrintsProgressAndWritesItsRecord() throws Exception {
    Path steps = write("steps/echo.yaml", ECHO_STEP);
    Path template = write("template.yaml", """
        vars:
          - name: word
            value: hi
        steps:
          - as: greet
            uses: echo
            config:
              word: ${{ vars.word }}
          - as: summary
            uses: compose-output
            config:
              said: ${{ outputs.greet.said }}
              stage: ${{ ctx.stage }}
        """);
    Path record = dir.resolve("out/record.json");

    Cli cli = Cli.run("run", template.toString(), "--steps", steps.toString(), "--runtime", "local",
        "--ctx", "stage=prod", "--ctx", "promotion=promo-9", "--var", "word=there", "--record", record.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.err)
        .contains("[start] greet (echo) attempt 1")
        .contains("  greet | hello there")
        .contains("[end]  greet (echo) Succeeded attempt 1 in ")
        .contains("[end]  summary (compose-output) Succeeded attempt 1 in ")
        .contains("promotion promo-9 Succeeded in ");
    PromotionRecord r = PromotionRecord.fromJson(Files.readString(record));
    assertThat(r.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(r.outputs().get("summary")).isEqualTo(java.util.Map.of("said", "there", "stage", "prod"));
    assertThat(r.step("greet").orElseThrow().container().runtime()).isEqualTo("local");
  }

  @Test
  void jsonPrintsTheRecordOnStdoutAndQuietPrintsNoProgress() throws Exception {
    Path template = write("t.yaml", """
        steps:
          - uses: compose-output
            config: {a: 1}
        """);

    Cli json = Cli.run("run", template.toString(), "--json");
    Cli quiet = Cli.run("run", template.toString(), "--quiet");

    assertThat(json.exitCode).as(json.toString()).isZero();
    assertThat(PromotionRecord.fromJson(json.out).outputs().get("step-1")).isEqualTo(java.util.Map.of("a", 1L));
    assertThat(quiet.err).doesNotContain("[start]");
    assertThat(quiet.out).isEmpty();
  }

  @Test
  void theEngineIdIsPrintedWhenThePromotionStartsAndStoredInTheRecord() throws Exception {
    Path template = write("t.yaml", """
        steps:
          - uses: compose-output
            config: {a: 1}
        """);
    Path record = dir.resolve("record.json");

    Cli cli = Cli.run("run", template.toString(), "--ctx", "promotion=promo-e", "--record", record.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    String engineId = PromotionRecord.fromJson(Files.readString(record)).engineId();
    assertThat(engineId).matches("pk-[0-9a-f]{8}");
    assertThat(cli.err.lines().filter(line -> !line.contains("warning")).findFirst())
        .contains("[engine] " + engineId + " runs promotion promo-e");
  }

  @Test
  void aFailedPromotionExitsWithOne() throws Exception {
    Path template = write("t.yaml", """
        steps:
          - uses: fail
            as: stop
            config:
              message: not today
          - uses: compose-output
            as: cleanup
            if: ${{ always() }}
            config: {done: true}
        """);

    Cli cli = Cli.run("run", template.toString(), "--json");

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(1);
    PromotionRecord r = PromotionRecord.fromJson(cli.out);
    assertThat(r.phase()).isEqualTo(PromotionPhase.FAILED);
    assertThat(r.step("cleanup").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
  }

  @Test
  void runTimeErrorsNameWhereTheValueIsWrittenInTheProgressLines() throws Exception {
    // issue 19: an expression failing on real values, and a step module's (steps-files) message about a config
    // field, both point at the template's line and column.
    Path template = write("t.yaml", """
        steps:
          - as: first
            uses: compose-output
            config: {tag: v1}
          - as: tagged
            uses: compose-output
            continueOnError: true
            config:
              image: "repo:${{ outputs.first.tag.nope }}"
          - as: unpack
            uses: untar
            config:
              inPath: missing.tar
              outPath: out
        """);

    Cli cli = Cli.run("run", template.toString(), "--workdir", dir.resolve("work").toString());

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(1);
    // Durations left out: "attempt 1 in 3ms: ..." is read as "attempt 1: ...".
    assertThat(cli.err.lines().filter(line -> line.startsWith("[end]"))
        .map(line -> line.replaceFirst(" attempt (\\d+) in [^:]+", " attempt $1"))).containsExactly(
        "[end]  first (compose-output) Succeeded attempt 1",
        // No attempt: the config failed before the step could start one.
        "[end]  tagged (compose-output) Errored: " + template + ":9:20: step \"tagged\": config.image:"
            + " outputs.first.tag is a string, cannot read \"nope\" (in expression \"outputs.first.tag.nope\" at"
            + " column 6 of \"repo:${{ outputs.first.tag.nope }}\")",
        "[end]  unpack (untar) Errored attempt 1: " + template + ":13:7: step \"unpack\" met error threshold of 1:"
            + " config.inPath: \"missing.tar\" does not exist");
  }

  @Test
  void secretsFromTheSecretsFileAreMaskedInProgressAndRecord() throws Exception {
    Path secrets = write("secrets.yaml", """
        db:
          password: s3cr3t-pa55
        """);
    Path template = write("t.yaml", """
        steps:
          - uses: compose-output
            as: conn
            config:
              url: postgres://app:${{ secret('db').password }}@db
          - uses: fail
            config:
              message: cannot log in with ${{ secret('db').password }}
        """);

    Cli cli = Cli.run("run", template.toString(), "--secrets", secrets.toString(), "--json");

    assertThat(cli.out + cli.err).doesNotContain("s3cr3t-pa55");
    PromotionRecord r = PromotionRecord.fromJson(cli.out);
    assertThat(r.outputs().get("conn")).isEqualTo(java.util.Map.of("url", "postgres://app:***@db"));
    assertThat(r.message()).endsWith("cannot log in with ***");
  }

  @Test
  void anInvalidTemplateExitsWithTwoAndRunsNothing() throws Exception {
    Path marker = dir.resolve("ran");
    Path template = write("t.yaml", """
        steps:
          - uses: file-write
            config:
              path: ran
              contents: x
          - uses: compose-outptu
            as: step-1
        """);

    Cli cli = Cli.run("run", template.toString(), "--workdir", dir.toString());

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).contains(template + ":6:").contains("unknown step \"compose-outptu\"")
        .contains("did you mean \"compose-output\"");
    assertThat(cli.err).contains("reserved");
    assertThat(marker).doesNotExist();
  }

  @Test
  void badOptionsExitWithTwo() throws Exception {
    Path template = write("t.yaml", "steps:\n  - uses: compose-output\n    config: {a: 1}\n");

    Cli unknownCtx = Cli.run("run", template.toString(), "--ctx", "colour=red");
    Cli unknownOption = Cli.run("run", template.toString(), "--frobnicate");
    Cli missingTemplate = Cli.run("run", dir.resolve("nope.yaml").toString());
    Cli typo = Cli.run("run", write("typo.yaml", "steps:\n  - uses: compose-output\n    contineOnError: true\n").toString());
    Cli namespaceWithoutK8s = Cli.run("run", template.toString(), "--namespace", "ns");

    assertThat(unknownCtx.exitCode).isEqualTo(2);
    assertThat(unknownCtx.err).contains("unknown ctx field \"colour\"");
    assertThat(unknownOption.exitCode).isEqualTo(2);
    assertThat(missingTemplate.exitCode).isEqualTo(2);
    assertThat(missingTemplate.err).contains("nope.yaml: no such file");
    assertThat(typo.exitCode).isEqualTo(2);
    assertThat(typo.err).contains("typo.yaml:3:5").contains("contineOnError").contains("did you mean \"continueOnError\"");
    assertThat(namespaceWithoutK8s.exitCode).isEqualTo(2);
  }

  @Test
  void theWorkdirOptionKeepsFilesForInspection() throws Exception {
    Path template = write("t.yaml", """
        steps:
          - uses: file-write
            config:
              path: out/hello.txt
              contents: hello
        """);
    Path work = dir.resolve("work");

    Cli cli = Cli.run("run", template.toString(), "--workdir", work.toString(), "--quiet");

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(work.resolve("out/hello.txt")).hasContent("hello");
  }

  @Test
  void aVarGivenOnTheCommandLineIsNotReportedAsUndefinedButAnUnusedOneIs() throws Exception {
    Path template = write("vars.yaml", """
        steps:
          - as: out
            uses: compose-output
            config:
              tag: ${{ vars.imageTag }}
        """);

    Cli given = Cli.run("run", template.toString(), "--var", "imageTag=v9", "--json");
    Cli missing = Cli.run("run", template.toString(), "--json");
    Cli typo = Cli.run("run", template.toString(), "--var", "imageTag=v9", "--var", "imagTag=v8", "--quiet");

    assertThat(given.exitCode).as(given.toString()).isZero();
    assertThat(given.err).doesNotContain("warning");
    assertThat(PromotionRecord.fromJson(given.out).outputs().get("out")).isEqualTo(java.util.Map.of("tag", "v9"));
    assertThat(missing.err).contains(template + ":5:12: warning: step \"out\": config.tag: vars.imageTag is not defined,"
        + " so it is null");
    assertThat(typo.err).contains("--var: warning: ").contains("imagTag");
  }

  private Path composeTemplate() throws Exception {
    return write("compose.yaml", """
        steps:
          - uses: compose-output
            as: a
            config: {x: 1}
        """);
  }

  @Test
  void aMalformedSecretsFileIsNamedWithItsLineButNoneOfItsContent() throws Exception {
    Path secrets = write("bad-secrets.yaml", "db:\n  password: \"hunter2-very-secret\n  user: [bad\n");

    Cli cli = Cli.run("run", composeTemplate().toString(), "--secrets", secrets.toString());

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(cli.err).isEqualTo("promokit run: " + secrets + ":2:11: not valid YAML/JSON: while scanning a quoted"
        + " scalar: found unexpected end of stream (the file's content is not shown: it holds secrets)\n");
  }

  @Test
  void aSecretTooShortToMaskIsRefusedWhenTheFileIsLoaded() throws Exception {
    Path secrets = write("short-secrets.yaml", "db:\n  password: ab7\n  user: admin\n");

    Cli cli = Cli.run("run", composeTemplate().toString(), "--secrets", secrets.toString());

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(cli.err).isEqualTo("promokit run: " + secrets + ":2: secret \"db\" key \"password\": the value is"
        + " shorter than 4 characters, too short to be masked safely (masking it would hide the same letters in"
        + " unrelated output); use a longer secret (the value is not shown)\n");
    assertThat(cli.out).isEmpty();
  }

  @Test
  void aPromotionNameLongerThanAKubernetesNameIsBadInputWithoutAStackTrace() throws Exception {
    Cli cli = Cli.run("run", composeTemplate().toString(), "--ctx", "promotion=" + "p".repeat(300));
    Cli longest = Cli.run("run", composeTemplate().toString(), "--ctx", "promotion=" + "p".repeat(253), "--quiet");

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(cli.err).isEqualTo("promokit run: --ctx promotion=...: the promotion's name has 300 characters; at"
        + " most 253 are allowed (a Kubernetes object name, as Kargo's)\n");
    assertThat(longest.exitCode).as("its workdir's name is cut: " + longest).isZero();
  }

  @Test
  void maxDocumentSizeRefusesALargerFileBeforeParsingIt() throws Exception {
    Path steps = write("steps/big.yaml", ECHO_STEP + "# " + "x".repeat(2048) + "\n");
    Path template = composeTemplate();

    Cli refused = Cli.run("validate", template.toString(), "--steps", steps.toString(), "--max-document-size", "1Ki");
    Cli allowed = Cli.run("validate", template.toString(), "--steps", steps.toString(), "--max-document-size", "4Ki");
    Cli bad = Cli.run("validate", template.toString(), "--max-document-size", "lots");

    assertThat(refused.exitCode).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err).contains(steps + ": error: the file has " + Files.size(steps) + " bytes, more than the 1024"
        + " a promotion document may have");
    assertThat(allowed.exitCode).as(allowed.toString()).isZero();
    assertThat(bad.exitCode).isEqualTo(2);
    assertThat(bad.err).contains("--max-document-size \"lots\": not a size (use bytes, or a suffix such as Ki or Mi: 4Mi)");
  }
}
