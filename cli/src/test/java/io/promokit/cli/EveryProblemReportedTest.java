package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate, run and steps print every problem of every file at once, in the validation report's format. */
class EveryProblemReportedTest {

  @TempDir Path dir;

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }

  private Path threeProblemTemplate() throws Exception {
    return write("l1.yaml", """
        steps:
          - as: first
            contineOnError: true
            uses: compose-output
            config: {a: 1}
            retry:
              errorThreshold: many
          - as: second
            uses: nosuch
        """);
  }

  @Test
  void validateReportsDocumentProblemsAndStepProblemsOfATemplateTogether() throws Exception {
    Path template = threeProblemTemplate();

    Cli cli = Cli.run("validate", template.toString());

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(lines(cli.err)).containsExactly(
        template + ":3:5: error: steps[0].contineOnError: unknown field; did you mean \"continueOnError\"?",
        template + ":7:23: error: steps[0].retry.errorThreshold: expected a whole number, but was the string"
            + " \"many\"",
        template + ":9:5: error: step \"second\": uses: unknown step \"nosuch\" (none of the 35 registered steps has"
            + " a similar name); did you forget --steps? (custom steps are read from the CustomPromotionStep files it"
            + " names)");
  }

  @Test
  void aTemplateFileAlsoGivenAsTaskFileReportsItsProblemsOnce() throws Exception {
    Path template = threeProblemTemplate();

    Cli once = Cli.run("validate", template.toString());
    Cli twice = Cli.run("validate", template.toString(), "--tasks", template.toString());

    assertThat(twice.exitCode).as(twice.toString()).isEqualTo(2);
    assertThat(twice.err).isEqualTo(once.err);
  }

  @Test
  void runReportsTheSameProblemsAndRunsNothing() throws Exception {
    Path template = threeProblemTemplate();

    Cli cli = Cli.run("run", template.toString(), "--runtime", "local");

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(lines(cli.err)).hasSize(3).allSatisfy(line -> assertThat(line).startsWith(template + ":"));
    assertThat(cli.err).doesNotContain("[start]");
  }

  @Test
  void twoBrokenStepFilesOfAFolderAreBothReported() throws Exception {
    Path a = write("steps/a.yaml", """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: alpha
        spec:
          image: busybox
          command: ["true"]
          defaultTimeout: soon
        """);
    Path b = write("steps/b.yaml", """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: Beta
        spec:
          image: busybox
          command: ["true"]
        """);
    Path template = write("t.yaml", "steps:\n  - uses: compose-output\n    config: {a: 1}\n");
    List<String> expected = List.of(
        a + ":8:19: error: spec.defaultTimeout: invalid duration \"soon\": expected a Go duration such as 90s, 5m,"
            + " 1h30m or 500ms",
        b + ":4:9: error: metadata.name: step name must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ (lower-case letters,"
            + " digits and dashes, starting and ending with a letter or digit), but was \"Beta\"");

    Cli validate = Cli.run("validate", template.toString(), "--steps", dir.resolve("steps").toString());
    Cli steps = Cli.run("steps", "--steps", dir.resolve("steps").toString());

    assertThat(validate.exitCode).as(validate.toString()).isEqualTo(2);
    assertThat(lines(validate.err)).isEqualTo(expected);
    assertThat(steps.exitCode).as(steps.toString()).isEqualTo(2);
    assertThat(lines(steps.err)).isEqualTo(expected);
    assertThat(steps.out).isEmpty();
  }

  @Test
  void everyProblemOfOneDefinitionIsReported() throws Exception {
    Path steps = write("s.yaml", """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: Bad_Name
        spec:
          image: ""
          command: []
          imagePulPolicy: Always
          output:
            source:
              type: Socket
          defaultTimeout: 5 minutes
          resources:
            limits:
              memory: lots
        """);

    Cli cli = Cli.run("steps", "--steps", steps.toString());

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(lines(cli.err)).containsExactly(
        steps + ":4:9: error: metadata.name: step name must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ (lower-case"
            + " letters, digits and dashes, starting and ending with a letter or digit), but was \"Bad_Name\"",
        steps + ":6:10: error: spec.image: image must not be empty",
        steps + ":7:12: error: spec.command: must not be empty",
        steps + ":8:3: error: spec.imagePulPolicy: unknown field; did you mean \"imagePullPolicy\"?",
        steps + ":11:13: error: spec.output.source.type: unknown output type \"Socket\"; expected Pipe, Stdout,"
            + " Stderr, File",
        steps + ":12:19: error: spec.defaultTimeout: invalid duration \"5 minutes\": expected a Go duration such as"
            + " 90s, 5m, 1h30m or 500ms",
        steps + ":15:15: error: spec.resources.limits.memory: invalid quantity \"lots\": expected a Kubernetes"
            + " quantity such as 128Mi, 1Gi, 500m or 0.5");
  }

  @Test
  void malformedYamlInOneFileAndAnUnknownFieldInAnotherAreBothReported() throws Exception {
    Path template = write("t.yaml", "steps:\n  - uses: compose-output\n    contineOnError: true\n    config: {a: 1}\n");
    Path tasks = write("tasks.yaml", "apiVersion: kargo.akuity.io/v1alpha1\nkind: PromotionTask\nmetadata: {name: [x\n");

    Cli cli = Cli.run("validate", template.toString(), "--tasks", tasks.toString());

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(lines(cli.err)).containsExactly(
        template + ":3:5: error: steps[0].contineOnError: unknown field; did you mean \"continueOnError\"?",
        tasks + ":3:20: error: malformed YAML: while parsing a flow sequence, expected ',' or ']', but got"
            + " <stream end>");
  }

  @Test
  void aBrokenStageReportsItsProblemsWithoutAlsoSayingThereIsNoTemplate() throws Exception {
    Path stage = write("stage.yaml", """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: Stage
        metadata:
          name: test
        spec:
          promotionTemplate: not-a-mapping
        """);

    Cli cli = Cli.run("validate", stage.toString());

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(lines(cli.err)).containsExactly(
        stage + ":6:22: error: spec.promotionTemplate: expected a mapping, but was the string \"not-a-mapping\"");
  }

  @Test
  void twoDefinitionsOfOneNameAreAProblemReportedWithTheOthers() throws Exception {
    String definition = """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: scan
        spec:
          image: busybox
          command: ["true"]
        """;
    Path first = write("steps/a.yaml", definition);
    Path second = write("steps/b.yaml", definition + "  gracePeriod: x\n");
    Path template = write("t.yaml", "steps:\n  - uses: scan\n");

    Cli cli = Cli.run("validate", template.toString(), "--steps", dir.resolve("steps").toString());

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(lines(cli.err)).containsExactly(
        second + ":8:16: error: spec.gracePeriod: invalid duration \"x\": expected a Go duration such as 90s, 5m,"
            + " 1h30m or 500ms",
        second + ":1:1: error: metadata.name: a step named \"scan\" is already registered (container); register with"
            + " replace to override it");
    assertThat(first).exists();
  }
}
