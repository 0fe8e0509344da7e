package io.promokit.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepRegistry;
import io.promokit.documents.DocumentReading;
import io.promokit.documents.DocumentSet;
import io.promokit.documents.Problem;
import io.promokit.documents.PromotionDocuments;
import io.promokit.validation.PromotionValidator;
import io.promokit.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every problem points at the offending node's own line and column (issue 19): a config key at its key, an
 * expression's syntax error at the offending character inside the value (plain, quoted, literal block), or at
 * the value when its characters are not written as they are (escapes, folding), {@code uses} at its line, a tab
 * at its own line. Positions are 1-based, columns in characters.
 */
class ProblemLocationTest {

  @TempDir Path dir;

  private List<String> errors(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    DocumentSet documents = PromotionDocuments.load(file);
    ValidationReport report = PromotionValidator.validate(documents.singleTemplate(), StepRegistry.builder()
        .withBuiltins().build(), documents.taskCatalog());
    return report.errors().stream().map(p -> p.toString().replace(dir + "/", "")).toList();
  }

  @Test
  void anUnknownConfigKeyIsReportedAtItsKeyAndAMissingOneAtTheMapThatLacksIt() throws IOException {
    assertThat(errors("t.yaml", """
        steps:
          - as: write
            uses: file-write
            config:
              contents: hi
              pth: out.txt
        """)).containsExactly(
        "t.yaml:4:5: error: step \"write\": config.path: is required",
        "t.yaml:6:7: error: step \"write\": config.pth: is not a known field; did you mean \"path\"?");
  }

  @Test
  void aNestedConfigProblemIsReportedAtItsOwnNode() throws IOException {
    assertThat(errors("t.yaml", """
        steps:
          - uses: yaml-update
            config:
              path: a.yaml
              updates:
                - key: a
                  value: 1
                - key: b
                  value: 2
                  vale: 3
        """)).containsExactly(
        "t.yaml:10:11: error: step \"step-1\": config.updates[1].vale: is not a known field; did you mean \"value\"?");
  }

  @Test
  void usesIsReportedAtItsOwnLineNotAtTheStepsFirstKey() throws IOException {
    assertThat(errors("t.yaml", """
        steps:
          - as: deploy
            if: ${{ true }}
            uses: nope-step
        """)).singleElement().asString().startsWith("t.yaml:4:5: error: step \"deploy\": uses: unknown step \"nope-step\"");
  }

  @Test
  void anExpressionSyntaxErrorIsReportedAtTheOffendingCharacter() throws IOException {
    assertThat(errors("t.yaml", """
        steps:
          - uses: compose-output
            config:
              plain: ${{ 1 + * 2 }}
              double: "${{ 1 + * 2 }}"
              single: 'x ${{ 1 + * 2 }}'
              block: |
                first line
                  ${{ 1 + * 2 }}
        """)).containsExactly(
        "t.yaml:4:22: error: step \"step-1\": config.plain: syntax error: unexpected \"*\" (in expression \"1 + * 2\""
            + " at column 9 of \"${{ 1 + * 2 }}\")",
        "t.yaml:5:24: error: step \"step-1\": config.double: syntax error: unexpected \"*\" (in expression \"1 + * 2\""
            + " at column 9 of \"${{ 1 + * 2 }}\")",
        "t.yaml:6:26: error: step \"step-1\": config.single: syntax error: unexpected \"*\" (in expression \"1 + * 2\""
            + " at column 11 of \"x ${{ 1 + * 2 }}\")",
        "t.yaml:9:19: error: step \"step-1\": config.block: syntax error: unexpected \"*\" (in expression \"1 + * 2\""
            + " at column 22 of \"first line\n  ${{ 1 + * 2 }}\n\")");
  }

  @Test
  void aValueNotWrittenAsItIsIsReportedWhereItStarts() throws IOException {
    // An escape in double quotes and a folded block: the characters of the text are not those of the file.
    assertThat(errors("t.yaml", """
        steps:
          - uses: compose-output
            config:
              escaped: "\\t${{ 1 + * 2 }}"
              folded: >
                ${{ 1 + * 2 }}
        """)).extracting(e -> e.substring(0, e.indexOf(": error"))).containsExactly("t.yaml:4:16", "t.yaml:5:15");
  }

  @Test
  void varsAndIfAreReportedAtTheirValues() throws IOException {
    assertThat(errors("t.yaml", """
        vars:
          - name: a
            value: ${{ 1 + }}
        steps:
          - uses: compose-output
            if: ${{ ( }}
            vars:
              - name: b
                value: x${{ ] }}
            config:
              a: ${{ vars.a }}
              b: ${{ vars.b }}
        """)).extracting(e -> e.substring(0, e.indexOf(": error"))).containsExactly(
        "t.yaml:3:20", "t.yaml:6:15", "t.yaml:9:21");
  }

  @Test
  void aStepInflatedFromATaskIsReportedInTheTasksFile() throws IOException {
    Files.writeString(dir.resolve("task.yaml"), """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata:
          name: t
        spec:
          steps:
            - uses: file-write
              config:
                path: a
                contents: ${{ 1 + }}
        """);
    Path template = dir.resolve("t.yaml");
    Files.writeString(template, "steps:\n  - task: {name: t}\n");
    DocumentReading reading = PromotionDocuments.read(List.of(template, dir.resolve("task.yaml")));
    DocumentSet documents = reading.orThrow();

    ValidationReport report = PromotionValidator.validate(documents.singleTemplate(),
        StepRegistry.builder().withBuiltins().build(), documents.taskCatalog());

    assertThat(report.errors()).extracting(Problem::toString).singleElement().asString()
        .startsWith(dir.resolve("task.yaml") + ":10:27: error: step \"task-1::step-1\": config.contents: syntax error");
  }

  @Test
  void aTabIsReportedOnItsOwnLine() throws IOException {
    Path file = dir.resolve("tab.yaml");
    Files.writeString(file, "steps:\n  - uses: fail\n\tconfig: {}\n");

    DocumentReading reading = PromotionDocuments.read(List.of(file));

    assertThat(reading.problems()).extracting(Problem::toString).singleElement().asString()
        .startsWith(file + ":3:1: error: malformed YAML: while scanning for the next token, found character "
            + "'\\t(TAB)' that cannot start any token");
  }

  @Test
  void aJsonTemplatesValuesArePointedAtToo() throws IOException {
    assertThat(errors("t.json", """
        {"steps": [{"uses": "compose-output",
                    "config": {"a": "${{ 1 + * 2 }}", "pth": 1}}]}
        """)).containsExactly(
        "t.json:2:38: error: step \"step-1\": config.a: syntax error: unexpected \"*\" (in expression \"1 + * 2\" at"
            + " column 9 of \"${{ 1 + * 2 }}\")");
  }
}
