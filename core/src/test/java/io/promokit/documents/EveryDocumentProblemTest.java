package io.promokit.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.documents.DocumentException;
import io.promokit.documents.DocumentReading;
import io.promokit.documents.Problem;
import io.promokit.documents.PromotionDocuments;
import io.promokit.documents.PromotionTemplate;
import io.promokit.validation.PromotionValidator;
import io.promokit.documents.RetrySpec;
import io.promokit.documents.SourceLocation;
import io.promokit.StepRegistry;
import io.promokit.documents.StepSpec;
import io.promokit.documents.TaskCatalog;
import io.promokit.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading reports every problem of every document and file at once, not the first only. */
class EveryDocumentProblemTest {

  private static final String THREE_PROBLEMS = """
      steps:
        - as: first
          contineOnError: true
          uses: compose-output
          config: {a: 1}
          retry:
            errorThreshold: many
        - as: second
          uses: nosuch
      """;

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private static List<String> lines(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }

  @Test
  void everyBadFieldOfATemplateIsReportedAndTheRestIsStillRead() {
    DocumentReading reading = PromotionDocuments.read(THREE_PROBLEMS, "l1.yaml");

    assertThat(lines(reading.problems())).containsExactly(
        "l1.yaml:3:5: error: steps[0].contineOnError: unknown field; did you mean \"continueOnError\"?",
        "l1.yaml:7:23: error: steps[0].retry.errorThreshold: expected a whole number, but was the string \"many\"");
    PromotionTemplate template = reading.documents().singleTemplate();
    assertThat(template.steps()).extracting(StepSpec::as).containsExactly("first", "second");
    StepSpec first = template.steps().get(0);
    assertThat(first.uses()).isEqualTo("compose-output");
    assertThat(first.config()).containsEntry("a", 1L);
    assertThat(first.retry()).isEqualTo(RetrySpec.DEFAULTS);
    assertThat(template.steps().get(1).uses()).isEqualTo("nosuch");
  }

  @Test
  void parseThrowsEveryProblemOnePerLine() {
    assertThatThrownBy(() -> PromotionDocuments.parse(THREE_PROBLEMS, "l1.yaml"))
        .isInstanceOf(DocumentException.class)
        .hasMessage("l1.yaml:3:5: steps[0].contineOnError: unknown field; did you mean \"continueOnError\"?\n"
            + "l1.yaml:7:23: steps[0].retry.errorThreshold: expected a whole number, but was the string \"many\"")
        .satisfies(e -> {
          DocumentException problem = (DocumentException) e;
          assertThat(problem.problems()).hasSize(2);
          assertThat(problem.location()).isEqualTo(new SourceLocation("l1.yaml", 3, 5));
          assertThat(problem.field()).isEqualTo("steps[0].contineOnError");
        });
  }

  @Test
  void aTemplateReadDespiteProblemsCanStillBeValidated() {
    DocumentReading reading = PromotionDocuments.read(THREE_PROBLEMS, "l1.yaml");

    ValidationReport report = PromotionValidator.validate(reading.documents().singleTemplate(),
        StepRegistry.builder().withBuiltins().build(), TaskCatalog.empty());

    assertThat(report.errors()).extracting(Problem::message)
        .anySatisfy(message -> assertThat(message).startsWith("unknown step \"nosuch\""));
  }

  @Test
  void twoBrokenDefinitionFilesOfAFolderAreBothReported() throws IOException {
    Path folder = dir.resolve("steps");
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
          name: beta
        spec:
          imgae: busybox
          command: ["true"]
        """);

    DocumentReading reading = PromotionDocuments.read(List.of(folder));

    assertThat(lines(reading.problems())).containsExactly(
        a + ":8:19: error: spec.defaultTimeout: invalid duration \"soon\": expected a Go duration such as 90s, 5m,"
            + " 1h30m or 500ms",
        b + ":6:3: error: spec.imgae: unknown field; did you mean \"image\"?",
        b + ":6:3: error: spec.image: missing required field");
    assertThat(reading.documents().customSteps()).extracting(d -> d.name()).containsExactly("alpha");
    assertThatThrownBy(() -> PromotionDocuments.load(folder))
        .isInstanceOf(DocumentException.class)
        .satisfies(e -> assertThat(((DocumentException) e).problems()).hasSize(3));
  }

  @Test
  void malformedYamlEndsItsFileOnlyAndTheOtherFilesAreStillRead() throws IOException {
    Path broken = write("broken.yaml", "steps:\n  - uses: [a\n");
    Path typo = write("typo.yaml", "steps:\n  - uses: compose-output\n    contineOnError: true\n");

    DocumentReading reading = PromotionDocuments.read(List.of(broken, typo));

    assertThat(lines(reading.problems())).containsExactly(
        broken + ":2:13: error: malformed YAML: while parsing a flow sequence, expected ',' or ']', but got"
            + " <stream end>",
        typo + ":3:5: error: steps[0].contineOnError: unknown field; did you mean \"continueOnError\"?");
    assertThat(reading.documents().templates()).hasSize(1);
  }

  @Test
  void theDocumentsBeforeAMalformedOneInTheSameFileAreStillRead() {
    DocumentReading reading = PromotionDocuments.read("""
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: scan
        spec:
          image: scanner
          command: ["scan"]
        ---
        steps: [ {as: a
        """, "mixed.yaml");

    assertThat(lines(reading.problems())).containsExactly("mixed.yaml:9:16: error: malformed YAML: while parsing a"
        + " flow mapping, expected ',' or '}', but got <stream end>");
    assertThat(reading.documents().customSteps()).extracting(d -> d.name()).containsExactly("scan");
  }

  @Test
  void aDuplicateKeyEndsItsFileButKeepsTheDocumentsBeforeIt() {
    DocumentReading reading = PromotionDocuments.read("""
        steps: []
        ---
        steps: []
        steps: []
        """, "dup.yaml");

    assertThat(lines(reading.problems()))
        .containsExactly("dup.yaml:4:1: error: steps: duplicate key \"steps\" (first at line 3)");
    assertThat(reading.documents().templates()).hasSize(1);
  }

  @Test
  void aMissingPathIsAProblemAndTheOtherPathsAreStillRead() throws IOException {
    Path missing = dir.resolve("nope.yaml");
    Path good = write("good.yaml", "steps: []\n");

    DocumentReading reading = PromotionDocuments.read(List.of(missing, good));

    assertThat(lines(reading.problems())).containsExactly(missing + ": error: no such file or folder");
    assertThat(reading.documents().templates()).hasSize(1);
    assertThat(reading.isValid()).isFalse();
  }

  @Test
  void aDocumentWithoutProblemsReadsAsValid() {
    DocumentReading reading = PromotionDocuments.read("steps: []\n", "t.yaml");

    assertThat(reading.isValid()).isTrue();
    assertThat(reading.orThrow().templates()).hasSize(1);
  }
}
