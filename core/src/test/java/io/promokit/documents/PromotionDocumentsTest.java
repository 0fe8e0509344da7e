package io.promokit.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.promokit.CustomStepDefinition;
import io.promokit.documents.DocumentException;
import io.promokit.documents.DocumentSet;
import io.promokit.documents.PromotionDocuments;
import io.promokit.documents.PromotionTask;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.RetrySpec;
import io.promokit.documents.SourceLocation;
import io.promokit.documents.StepSpec;
import io.promokit.documents.TaskRef;
import io.promokit.documents.UnparsedDocument;
import io.promokit.documents.VarSpec;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SEMANTICS.md section 1 (documents) and the step fields of section 2, read from real files. */
class PromotionDocumentsTest {

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  private static List<String> varNames(List<VarSpec> vars) {
    return vars.stream().map(VarSpec::name).toList();
  }

  @Test
  void aBareTemplateHasVarsAndSteps() throws IOException {
    Path file = write("promotion.yaml", """
        vars:
          - name: imageRepo
            value: ghcr.io/acme/app
        steps:
          - uses: git-clone
          - uses: yaml-update
            as: update
        """);

    PromotionTemplate template = PromotionDocuments.loadTemplate(file);

    assertThat(template.name()).isEqualTo("promotion.yaml");
    assertThat(template.location()).isEqualTo(new SourceLocation(file.toString(), 1, 1));
    assertThat(template.vars()).extracting(VarSpec::name, VarSpec::value, VarSpec::location).containsExactly(
        tuple("imageRepo", "ghcr.io/acme/app", new SourceLocation(file.toString(), 2, 5)));
    assertThat(template.vars().get(0).source().valueOf("value"))
        .contains(new SourceLocation(file.toString(), 3, 12));
    assertThat(template.steps()).extracting(StepSpec::uses).containsExactly("git-clone", "yaml-update");
    assertThat(template.steps()).extracting(StepSpec::as).containsExactly(null, "update");
  }

  @Test
  void aKargoStageUsesItsPromotionTemplateWithTheStageVarsFirst() throws IOException {
    Path file = write("stage.yaml", """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: Stage
        metadata:
          name: test
          namespace: kargo-demo
          labels:
            team: platform
          annotations:
            kargo.akuity.io/description: the test stage
        spec:
          shard: east
          vars:
            - name: gitRepo
              value: https://github.com/acme/deploy.git
            - name: branch
              value: stage/test
          requestedFreight:
            - origin:
                kind: Warehouse
                name: app
              sources:
                direct: true
                verifiedFor: 1h
          promotionTemplate:
            spec:
              vars:
                - name: branch
                  value: stage/test-override
                - name: path
                  value: env/test
              steps:
                - uses: git-clone
                  config:
                    repoURL: ${{ vars.gitRepo }}
          verification:
            analysisTemplates:
              - name: smoke-test
        status:
          phase: Steady
        """);

    PromotionTemplate template = PromotionDocuments.loadTemplate(file);

    assertThat(template.name()).isEqualTo("test");
    assertThat(varNames(template.vars())).containsExactly("gitRepo", "branch", "branch", "path");
    assertThat(template.vars().get(2).value()).isEqualTo("stage/test-override");
    assertThat(template.steps()).singleElement().satisfies(step -> {
      assertThat(step.uses()).isEqualTo("git-clone");
      assertThat(step.config()).isEqualTo(Map.of("repoURL", "${{ vars.gitRepo }}"));
      assertThat(step.location()).isEqualTo(new SourceLocation(file.toString(), 32, 11));
    });
  }

  @Test
  void aTypoInsideAStagePromotionTemplateIsAnError() throws IOException {
    Path file = write("stage.yaml", """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: Stage
        metadata:
          name: test
        spec:
          promotionTemplate:
            spec:
              steps:
                - uses: git-clone
                  contineOnError: true
        """);

    assertThatThrownBy(() -> PromotionDocuments.load(file))
        .isInstanceOf(DocumentException.class)
        .hasMessage(file + ":10:11: spec.promotionTemplate.spec.steps[0].contineOnError: unknown field; did you mean"
            + " \"continueOnError\"?");
  }

  @Test
  void aTypoInAStageSpecIsAnError() throws IOException {
    Path file = write("stage.yaml", """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: Stage
        metadata:
          name: test
        spec:
          promotionTemplte:
            spec:
              steps: []
        """);

    assertThatThrownBy(() -> PromotionDocuments.load(file))
        .hasMessage(file + ":6:3: spec.promotionTemplte: unknown field; did you mean \"promotionTemplate\"?");
  }

  @Test
  void aStageWithoutAPromotionTemplateIsKeptUnparsedAndIsNotATemplate() throws IOException {
    Path file = write("control-flow.yaml", """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: Stage
        metadata:
          name: fan-out
        spec:
          requestedFreight:
            - origin: {kind: Warehouse, name: app}
              sources: {direct: true}
        """);

    DocumentSet documents = PromotionDocuments.load(file);

    assertThat(documents.templates()).isEmpty();
    assertThat(documents.unparsed()).singleElement().satisfies(doc -> {
      assertThat(doc.kind()).isEqualTo("Stage");
      assertThat(doc.name()).isEqualTo("fan-out");
    });
    assertThatThrownBy(documents::singleTemplate)
        .isInstanceOf(DocumentException.class)
        .hasMessage(file + ": expected one promotion template (a bare {vars, steps} document or a Kargo Stage),"
            + " but found none; found Stage \"fan-out\" (a Stage without spec.promotionTemplate (a control-flow"
            + " Stage) has no steps to run)");
  }

  @Test
  void promotionTasksAndClusterPromotionTasksAreRead() throws IOException {
    Path file = write("tasks.yaml", """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata:
          name: open-pr-and-wait
          namespace: kargo-demo
        spec:
          vars:
            - name: repoURL
            - name: targetBranch
              value: main
          steps:
            - uses: git-open-pr
              as: open-pr
            - uses: git-wait-for-pr
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: ClusterPromotionTask
        metadata:
          name: notify
        spec:
          steps:
            - uses: http
        """);

    DocumentSet documents = PromotionDocuments.load(file);

    assertThat(documents.tasks()).hasSize(2);
    PromotionTask task = documents.tasks().get(0);
    assertThat(task.ref()).isEqualTo(new TaskRef("open-pr-and-wait", TaskRef.TaskKind.PROMOTION_TASK));
    assertThat(task.vars()).extracting(VarSpec::name, VarSpec::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("repoURL", null),
            org.assertj.core.groups.Tuple.tuple("targetBranch", "main"));
    assertThat(task.steps()).extracting(StepSpec::uses).containsExactly("git-open-pr", "git-wait-for-pr");
    assertThat(task.location()).isEqualTo(new SourceLocation(file.toString(), 1, 1));
    PromotionTask cluster = documents.tasks().get(1);
    assertThat(cluster.ref()).isEqualTo(new TaskRef("notify", TaskRef.TaskKind.CLUSTER_PROMOTION_TASK));
    assertThat(cluster.location()).isEqualTo(new SourceLocation(file.toString(), 16, 1));
    assertThat(documents.taskCatalog().find(new TaskRef("notify", TaskRef.TaskKind.CLUSTER_PROMOTION_TASK)))
        .contains(cluster);
  }

  @Test
  void aTaskNeedsAName() throws IOException {
    Path file = write("task.yaml", """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata:
          namespace: demo
        spec:
          steps: []
        """);

    assertThatThrownBy(() -> PromotionDocuments.load(file))
        .hasMessage(file + ":4:3: metadata.name: missing required field");
  }

  @Test
  void customPromotionStepsOfBothApiVersionsAreReadAsStepDefinitions() throws IOException {
    Path file = write("steps.yaml", """
        apiVersion: ee.kargo.akuity.io/v1alpha1
        kind: CustomPromotionStep
        metadata:
          name: sleep
        spec:
          image: ubuntu
          command: ["sh", "-c", "sleep ${{ config.sleepSeconds }}"]
        ---
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: scan
        spec:
          image: scanner
          command: [scan]
          defaultErrorThreshold: 3
        """);

    DocumentSet documents = PromotionDocuments.load(file);

    assertThat(documents.unparsed()).isEmpty();
    assertThat(documents.customSteps()).extracting(CustomStepDefinition::name, CustomStepDefinition::image)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("sleep", "ubuntu"),
            org.assertj.core.groups.Tuple.tuple("scan", "scanner"));
    CustomStepDefinition scan = documents.customSteps().get(1);
    assertThat(scan.location()).isEqualTo(new SourceLocation(file.toString(), 9, 1));
    assertThat(scan.command()).containsExactly("scan");
    assertThat(scan.defaultErrorThreshold()).contains(3);
    assertThat(documents.templates()).isEmpty();
  }

  @Test
  void oneFileMayHoldATemplateItsTasksAndStepDefinitions() throws IOException {
    Path file = write("all.yaml", """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: Stage
        metadata:
          name: prod
        spec:
          promotionTemplate:
            spec:
              steps:
                - task:
                    name: deploy
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata:
          name: deploy
        spec:
          steps:
            - uses: sleep
        ---
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: sleep
        spec:
          image: busybox
          command: [sleep, "1"]
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: Warehouse
        metadata:
          name: app
        spec:
          subscriptions: []
        """);

    DocumentSet documents = PromotionDocuments.load(file);

    assertThat(documents.singleTemplate().name()).isEqualTo("prod");
    assertThat(documents.taskCatalog().find(new TaskRef("deploy", null))).isPresent();
    assertThat(documents.customSteps()).extracting(CustomStepDefinition::name).containsExactly("sleep");
    assertThat(documents.unparsed()).extracting(UnparsedDocument::kind).containsExactly("Warehouse");
    assertThat(documents.unparsed("Warehouse").get(0).note()).isEqualTo("promokit has no use for a Warehouse");
    assertThat(documents.sources()).containsExactly(file.toString());
  }

  @Test
  void aFolderLoadsItsYamlYmlAndJsonFilesSortedAndNotSubFolders() throws IOException {
    write("b.yml", "steps: [{uses: from-b}]\n");
    write("a.yaml", "steps: [{uses: from-a}]\n");
    write("c.json", "{\"steps\": [{\"uses\": \"from-c\"}]}\n");
    write("notes.txt", "not: [a, template\n");
    write(".hidden.yaml", "not: a template\n");
    write("nested/d.yaml", "steps: [{uses: from-d}]\n");

    DocumentSet documents = PromotionDocuments.load(dir);

    assertThat(documents.templates()).extracting(t -> t.steps().get(0).uses())
        .containsExactly("from-a", "from-b", "from-c");
    assertThat(documents.sources()).containsExactly(
        dir.resolve("a.yaml").toString(), dir.resolve("b.yml").toString(), dir.resolve("c.json").toString());
  }

  @Test
  void aFileNamedTwiceIsReadOnce() throws IOException {
    Path task = write("tasks/t.yaml", """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec: {steps: [{uses: x}]}
        """);

    DocumentSet documents = PromotionDocuments.loadAll(List.of(task.getParent(), task));

    assertThat(documents.tasks()).hasSize(1);
    assertThat(documents.taskCatalog().tasks()).hasSize(1);
  }

  @Test
  void aTaskDefinedTwiceInDifferentFilesIsAnErrorNamingBothPlaces() throws IOException {
    String task = """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec: {steps: [{uses: x}]}
        """;
    Path first = write("one.yaml", task);
    Path second = write("two.yaml", task);

    DocumentSet documents = PromotionDocuments.loadAll(List.of(first, second));

    assertThatThrownBy(documents::taskCatalog)
        .isInstanceOf(DocumentException.class)
        .hasMessage(second + ":1:1: metadata.name: PromotionTask/t is defined twice (first at " + first + ":1:1)");
  }

  @Test
  void aMissingPathIsAnError() {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> PromotionDocuments.load(missing))
        .isInstanceOf(DocumentException.class)
        .hasMessage(missing + ": no such file or folder");
  }

  @Test
  void aJsonTemplateIsRead() throws IOException {
    Path file = write("template.json", """
        {
          "vars": [{"name": "n", "value": "1"}],
          "steps": [{"uses": "compose-output", "as": "out", "config": {"big": 98765432109876543210987654321}}]
        }
        """);

    PromotionTemplate template = PromotionDocuments.loadTemplate(file);

    assertThat(template.steps().get(0).config().get("big"))
        .isEqualTo(new BigInteger("98765432109876543210987654321"));
    assertThat(template.steps().get(0).location()).isEqualTo(new SourceLocation(file.toString(), 3, 13));
  }

  @Test
  void everyStepFieldIsRead() throws IOException {
    Path file = write("fields.yaml", """
        steps:
          - uses: http
            as: check
            if: ${{ success() }}
            continueOnError: true
            retry:
              errorThreshold: 3
              timeout: 1h30m
            vars:
              - name: url
                value: https://example.com
            config:
              url: ${{ vars.url }}
              headers:
                - name: Accept
                  value: application/json
          - task:
              name: deploy
              kind: ClusterPromotionTask
            as: deploy
            vars:
              - name: env
                value: prod
        """);

    List<StepSpec> steps = PromotionDocuments.loadTemplate(file).steps();

    StepSpec http = steps.get(0);
    assertThat(http.uses()).isEqualTo("http");
    assertThat(http.task()).isNull();
    assertThat(http.as()).isEqualTo("check");
    assertThat(http.ifCondition()).isEqualTo("${{ success() }}");
    assertThat(http.continueOnError()).isTrue();
    assertThat(http.retry()).isEqualTo(new RetrySpec(3, Duration.ofMinutes(90)));
    assertThat(http.vars()).extracting(VarSpec::name, VarSpec::value, VarSpec::location).containsExactly(
        tuple("url", "https://example.com", new SourceLocation(file.toString(), 10, 9)));
    assertThat(http.config()).isEqualTo(Map.of("url", "${{ vars.url }}",
        "headers", List.of(Map.of("name", "Accept", "value", "application/json"))));
    assertThat(http.location()).isEqualTo(new SourceLocation(file.toString(), 2, 5));
    StepSpec deploy = steps.get(1);
    assertThat(deploy.task()).isEqualTo(new TaskRef("deploy", TaskRef.TaskKind.CLUSTER_PROMOTION_TASK));
    assertThat(deploy.uses()).isNull();
    assertThat(deploy.retry()).isEqualTo(RetrySpec.DEFAULTS);
    assertThat(deploy.location()).isEqualTo(new SourceLocation(file.toString(), 17, 5));
  }

  @Test
  void configKeepsTheYamlTypesAndBigIntegersKeepEveryDigit() throws IOException {
    Path file = write("types.yaml", """
        steps:
          - uses: compose-output
            config:
              count: 3
              ratio: 0.25
              quoted: "42"
              flag: false
              big: 123456789012345678901234567890
              nested:
                list: [1, "two", {three: 3}]
              empty:
        """);

    Map<String, Object> config = PromotionDocuments.loadTemplate(file).steps().get(0).config();

    assertThat(config.get("count")).isEqualTo(3L);
    assertThat(config.get("ratio")).isEqualTo(0.25);
    assertThat(config.get("quoted")).isEqualTo("42");
    assertThat(config.get("flag")).isEqualTo(false);
    assertThat(config.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(config.get("big").toString()).isEqualTo("123456789012345678901234567890");
    assertThat(config.get("nested")).isEqualTo(Map.of("list", List.of(1L, "two", Map.of("three", 3L))));
    assertThat(config).containsEntry("empty", null);
  }

  @Test
  void anIfWrittenAsAYamlBooleanIsKeptAsTextForValidationToReject() {
    StepSpec step = PromotionDocuments.parse("steps: [{uses: x, if: true}]\n", "t.yaml")
        .singleTemplate().steps().get(0);

    assertThat(step.ifCondition()).isEqualTo("true");
  }

  @Test
  void emptyStringsForUsesAsAndIfMeanNotSet() {
    StepSpec step = PromotionDocuments.parse("steps: [{uses: x, as: '', if: ''}]\n", "t.yaml")
        .singleTemplate().steps().get(0);

    assertThat(step.as()).isNull();
    assertThat(step.ifCondition()).isNull();
  }

  @Test
  void badStepFieldsAreErrorsNamingFileLineColumnAndField() {
    assertThatThrownBy(() -> PromotionDocuments.parse("""
        steps:
          - uses: a
          - uses: b
          - uses: c
            retry:
              timeout: soon
        """, "t.yaml"))
        .isInstanceOf(DocumentException.class)
        .hasMessage("t.yaml:6:16: steps[2].retry.timeout: invalid duration \"soon\": expected a Go duration such as"
            + " 90s, 5m, 1h30m or 500ms");

    assertThatThrownBy(() -> PromotionDocuments.parse("steps: [{uses: a, retry: {errorThreshold: -2}}]\n", "t.yaml"))
        .hasMessage("t.yaml:1:43: steps[0].retry.errorThreshold: must be at least 0, but was -2");

    assertThatThrownBy(() -> PromotionDocuments.parse("steps: [{uses: a, retry: {errorTreshold: 2}}]\n", "t.yaml"))
        .hasMessage("t.yaml:1:27: steps[0].retry.errorTreshold: unknown field; did you mean \"errorThreshold\"?");

    assertThatThrownBy(() -> PromotionDocuments.parse("steps: [{uses: a, continueOnError: maybe}]\n", "t.yaml"))
        .hasMessage("t.yaml:1:36: steps[0].continueOnError: expected a boolean (true or false), but was the string"
            + " \"maybe\"");

    assertThatThrownBy(() -> PromotionDocuments.parse("steps: [{uses: a, config: [1, 2]}]\n", "t.yaml"))
        .hasMessage("t.yaml:1:27: steps[0].config: expected a mapping, but was a list");

    assertThatThrownBy(() -> PromotionDocuments.parse("steps: [{uses: a, vars: [{name: x, vaule: 1}]}]\n", "t.yaml"))
        .hasMessage("t.yaml:1:36: steps[0].vars[0].vaule: unknown field; did you mean \"value\"?");

    assertThatThrownBy(() -> PromotionDocuments.parse("steps: [{uses: a, vars: [{value: 1}]}]\n", "t.yaml"))
        .hasMessage("t.yaml:1:26: steps[0].vars[0].name: missing required field");

    assertThatThrownBy(() -> PromotionDocuments.parse("steps: a-string\n", "t.yaml"))
        .hasMessage("t.yaml:1:8: steps: expected a list, but was the string \"a-string\"");
  }

  @Test
  void taskReferencesAreCheckedAndMisplacedTaskFieldsExplained() {
    assertThatThrownBy(() -> PromotionDocuments.parse("steps: [{task: {name: t, kind: ClusterTask}}]\n", "t.yaml"))
        .hasMessage("t.yaml:1:32: steps[0].task.kind: unknown task kind \"ClusterTask\"; expected PromotionTask or"
            + " ClusterPromotionTask");

    assertThatThrownBy(() -> PromotionDocuments.parse("""
        steps:
          - task:
              name: open-pr
              vars:
                - name: repoURL
                  value: https://example.com
        """, "t.yaml"))
        .hasMessage("t.yaml:4:7: steps[0].task.vars: unknown field; a task step's \"vars\" go next to \"task\" in"
            + " the step, not inside it");

    assertThatThrownBy(() -> PromotionDocuments.parse("""
        steps:
          - kind: ClusterPromotionTask
            name: open-pr
        """, "t.yaml"))
        .hasMessage("t.yaml:2:5: steps[0].kind: unknown field; \"kind\" belongs inside \"task\" (task: {name: ...,"
            + " kind: ClusterPromotionTask})\n"
            + "t.yaml:3:5: steps[0].name: unknown field; a task's name belongs inside \"task\" (task: {name: ...});"
            + " a step's own name is \"as\"");

    assertThatThrownBy(() -> PromotionDocuments.parse("steps: [{task: {kind: PromotionTask}}]\n", "t.yaml"))
        .hasMessage("t.yaml:1:16: steps[0].task.name: missing required field");
  }

  @Test
  void unknownKindsAndApiVersionsAreErrors() {
    assertThatThrownBy(() -> PromotionDocuments.parse("""
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTsk
        metadata: {name: x}
        """, "t.yaml"))
        .hasMessage("t.yaml:2:1: kind: unsupported kind \"PromotionTsk\"; did you mean \"PromotionTask\" or \"Promotion\"? (promokit"
            + " reads bare templates {vars, steps}, and Stage, PromotionTask, ClusterPromotionTask and"
            + " CustomPromotionStep documents)");

    assertThatThrownBy(() -> PromotionDocuments.parse("""
        apiVersion: kargo.akuity.io/v1beta1
        kind: Stage
        """, "t.yaml"))
        .hasMessage("t.yaml:1:1: apiVersion: unsupported apiVersion \"kargo.akuity.io/v1beta1\" for kind Stage;"
            + " expected kargo.akuity.io/v1alpha1");

    assertThatThrownBy(() -> PromotionDocuments.parse("kind: Stage\nspec: {}\n", "t.yaml"))
        .hasMessage("t.yaml:1:1: apiVersion: missing required field");
  }

  @Test
  void aBareTemplateWithKubernetesFieldsIsExplained() {
    assertThatThrownBy(() -> PromotionDocuments.parse("spec:\n  steps: []\n", "t.yaml"))
        .hasMessage("t.yaml:1:1: spec: unknown field; a document with \"spec\" needs \"apiVersion\" and \"kind\""
            + " (for example a Kargo Stage); a bare template has only \"vars\" and \"steps\"");
  }

  @Test
  void aDocumentMustBeAMapping() {
    assertThatThrownBy(() -> PromotionDocuments.parse("- uses: x\n", "t.yaml"))
        .hasMessage("t.yaml:1:1: a document must be a mapping (a promotion template, a Kargo Stage, PromotionTask,"
            + " ClusterPromotionTask or a CustomPromotionStep), but was a list");
  }

  @Test
  void malformedYamlInATemplateFileNamesLineAndColumn() throws IOException {
    Path file = write("broken.yaml", "steps:\n  - uses: [a\n");

    assertThatThrownBy(() -> PromotionDocuments.load(file))
        .isInstanceOf(DocumentException.class)
        .hasMessage(file + ":2:13: malformed YAML: while parsing a flow sequence, expected ',' or ']', but got"
            + " <stream end>");
  }

  @Test
  void loadTemplateRequiresExactlyOneTemplate() throws IOException {
    Path two = write("two.yaml", "steps: [{uses: a}]\n---\nsteps: [{uses: b}]\n");
    Path none = write("none.yaml", """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec: {steps: [{uses: x}]}
        """);

    assertThatThrownBy(() -> PromotionDocuments.loadTemplate(two))
        .isInstanceOf(DocumentException.class)
        .hasMessage(two + ": expected one promotion template, but found 2 (at " + two + ":1:1, " + two + ":3:1)");
    assertThatThrownBy(() -> PromotionDocuments.loadTemplate(none))
        .hasMessage(none + ": expected one promotion template (a bare {vars, steps} document or a Kargo Stage), but"
            + " found none; found PromotionTask \"t\"");
  }

  @Test
  void theSecondTemplateOfAFileIsNamedByItsPosition() {
    DocumentSet documents = PromotionDocuments.parse("steps: [{uses: a}]\n---\nsteps: [{uses: b}]\n", "dir/t.yaml");

    assertThat(documents.templates()).extracting(PromotionTemplate::name)
        .containsExactly("t.yaml", "t.yaml (document 2)");
  }

  @Test
  void aTaskReferenceIsAPromotionTaskUnlessItsKindSaysOtherwise() {
    List<StepSpec> steps = PromotionDocuments.parse("""
        steps:
          - task: {name: a}
          - task: {name: b, kind: PromotionTask}
          - task: {name: c, kind: ClusterPromotionTask}
        """, "t.yaml").singleTemplate().steps();

    assertThat(steps).extracting(step -> step.task().kind()).containsExactly(TaskRef.TaskKind.PROMOTION_TASK,
        TaskRef.TaskKind.PROMOTION_TASK, TaskRef.TaskKind.CLUSTER_PROMOTION_TASK);
  }

  @Test
  void aTemplateFileAlsoGivenAsATaskFileIsNotCountedTwice() throws IOException {
    Path file = write("stage.yaml", """
        steps: [{task: {name: t}}]
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec: {steps: [{uses: x}]}
        """);
    Path other = write("tasks/other.yaml", """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: other}
        spec: {steps: [{uses: x}]}
        """);

    DocumentSet documents = PromotionDocuments.load(file).merge(PromotionDocuments.loadAll(List.of(file, other)));

    assertThat(documents.templates()).hasSize(1);
    assertThat(documents.taskCatalog().tasks()).extracting(PromotionTask::name)
        .containsExactlyInAnyOrder("t", "other");
    assertThat(documents.sources()).containsExactly(file.toString(), other.toString());
  }

  @Test
  void setsMergeInOrder() {
    DocumentSet template = PromotionDocuments.parse("steps: [{task: {name: t}}]\n", "template.yaml");
    DocumentSet tasks = PromotionDocuments.parse("""
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec: {steps: [{uses: x}]}
        """, "tasks.yaml");

    DocumentSet merged = template.merge(tasks);

    assertThat(merged.sources()).containsExactly("template.yaml", "tasks.yaml");
    assertThat(merged.singleTemplate()).isEqualTo(template.singleTemplate());
    assertThat(merged.taskCatalog().find(new TaskRef("t", null))).isPresent();
  }
}
