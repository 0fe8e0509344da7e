package io.promokit.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.promokit.ConfigSchema;
import io.promokit.StepOptions;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.documents.DocumentSet;
import io.promokit.documents.Problem;
import io.promokit.documents.PromotionDocuments;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.TaskCatalog;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.validation.PromotionValidator;
import io.promokit.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionValidatorTest {

  @TempDir Path dir;

  private static final ConfigSchema DEPLOY_SCHEMA = ConfigSchema.fromJson("""
      {
        "type": "object",
        "properties": {
          "image": {"type": "string"},
          "replicas": {"type": "integer"},
          "mode": {"enum": ["rolling", "recreate"]},
          "ports": {"type": "array", "maxItems": 2},
          "target": {
            "oneOf": [
              {"type": "object", "properties": {"kind": {"const": "git"}, "url": {"type": "string"}},
               "required": ["kind", "url"]},
              {"type": "object", "properties": {"kind": {"const": "oci"}, "ref": {"type": "string"}},
               "required": ["kind", "ref"]}
            ]
          }
        },
        "required": ["image"],
        "additionalProperties": false
      }
      """);

  private static StepRegistry registry() {
    return StepRegistry.builder()
        .register("git-clone", ctx -> StepResult.succeeded())
        .register("git-open-pr", ctx -> StepResult.succeeded())
        .register("git-wait-for-pr", ctx -> StepResult.succeeded())
        .register("compose-output", ctx -> StepResult.succeeded(ctx.config()))
        .register("http", ctx -> StepResult.succeeded())
        .register("deploy", ctx -> StepResult.succeeded(), StepOptions.builder().configSchema(DEPLOY_SCHEMA).build())
        .build();
  }

  private Path file;

  private ValidationReport validate(String content) throws IOException {
    file = dir.resolve("promotion.yaml");
    Files.writeString(file, content);
    DocumentSet documents = PromotionDocuments.load(file);
    return PromotionValidator.validate(documents.singleTemplate(), registry(), documents.taskCatalog());
  }

  private List<String> errors(String content) throws IOException {
    return validate(content).errors().stream().map(this::relative).toList();
  }

  private List<String> warnings(String content) throws IOException {
    return validate(content).warnings().stream().map(this::relative).toList();
  }

  /** Problem.toString with the temp folder cut off, so expectations read like the file. */
  private String relative(Problem problem) {
    return problem.toString().replace(dir.toString() + "/", "");
  }

  @Test
  void everyProblemIsReportedAtOnceWithFileLineAliasAndMessage() throws IOException {
    ValidationReport report = validate("""
        vars:
          - name: bad-name
            value: x
        steps:
          - uses: git-clon
          - uses: git-clone
            as: clone
            if: true
          - uses: compose-output
            as: clone
            task: {name: t}
          - uses: http
            as: step-9
            config:
              url: ${{ outputs.clone.url + }}
          - uses: http
            vars:
              - name: ok
                value: ${{ failure() }}
            config:
              url: ${{ outputs.later.url }}
          - uses: deploy
            config:
              imag: nginx
          - uses: compose-output
            as: later
        """);

    assertThat(report.isValid()).isFalse();
    assertThat(report.errors()).extracting(this::relative).containsExactly(
        "promotion.yaml:2:5: error: var name \"bad-name\" is malformed: a var name starts with a letter or \"_\" and"
            + " holds only letters, digits and \"_\"",
        "promotion.yaml:5:5: error: step \"step-1\": uses: unknown step \"git-clon\"; did you mean \"git-clone\"?",
        "promotion.yaml:8:5: error: step \"clone\": if: \"if\" must be an expression such as \"${{ true }}\", but is"
            + " the plain string \"true\"",
        "promotion.yaml:9:5: error: step \"clone\": a step sets exactly one of \"uses\" and \"task\", but this one"
            + " sets both",
        "promotion.yaml:10:5: error: step \"clone\": as: alias \"clone\" is already used by the step at promotion.yaml:6:5",
        "promotion.yaml:13:5: error: step \"step-9\": as: alias \"step-9\" is reserved: step-N and task-N name the"
            + " steps that have no alias",
        // The offending character itself: the "}}" after "+", column 25 of the value that starts at column 12.
        "promotion.yaml:15:36: error: step \"step-9\": config.url: syntax error: unexpected end of expression (in"
            + " expression \"outputs.clone.url +\" at column 25 of \"${{ outputs.clone.url + }}\")",
        "promotion.yaml:19:16: error: step \"step-5\": vars.ok: status functions work only in \"if\" and config, not"
            + " in vars, but this var calls failure()",
        "promotion.yaml:21:12: error: step \"step-5\": config.url: outputs.later refers to step \"later\", which runs"
            + " after this one",
        // A missing field at the map that lacks it; an unknown one at its own key.
        "promotion.yaml:23:5: error: step \"step-6\": config.image: is required",
        "promotion.yaml:24:7: error: step \"step-6\": config.imag: is not a known field; did you mean \"image\"?");
    assertThat(report.warnings()).extracting(this::relative).containsExactly(
        "promotion.yaml:2:5: warning: vars.bad-name: var \"bad-name\" is never used",
        "promotion.yaml:18:9: warning: step \"step-5\": vars.ok: var \"ok\" of this step is never used");
    assertThat(report.describeErrors().replace(dir + "/", "")).startsWith("11 errors:\npromotion.yaml:2:5: error: var name").contains(
        "\npromotion.yaml:5:5: error: step \"step-1\": uses: unknown step \"git-clon\"; did you mean \"git-clone\"?\n");
  }

  @Test
  void aValidKargoStageWithATaskHasNoProblems() throws IOException {
    ValidationReport report = validate("""
        apiVersion: kargo.akuity.io/v1alpha1
        kind: Stage
        metadata:
          name: test
        spec:
          vars:
            - name: repoURL
              value: https://github.com/example/repository.git
          promotionTemplate:
            spec:
              steps:
                - uses: git-clone
                  as: clone
                  config:
                    repoURL: ${{ vars.repoURL }}
                - task:
                    name: open-pr-and-wait
                  as: pr
                  vars:
                    - name: sourceBranch
                      value: feature-branch
                - uses: http
                  if: ${{ success() && outputs.pr.mergeCommit != '' }}
                  config:
                    url: https://example.com/notify?commit=${{ outputs.pr.mergeCommit }}
                    clone: ${{ outputs.clone }}
                - uses: http
                  if: ${{ always() }}
                  config:
                    url: https://example.com/done?status=${{ status('pr::open-pr') }}
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata:
          name: open-pr-and-wait
        spec:
          vars:
            - name: repoURL
            - name: sourceBranch
            - name: targetBranch
              value: main
          steps:
            - uses: git-open-pr
              as: open-pr
              config:
                repoURL: ${{ vars.repoURL }}
                sourceBranch: ${{ vars.sourceBranch }}
                targetBranch: ${{ vars.targetBranch }}
            - uses: git-wait-for-pr
              as: wait-for-pr
              config:
                repoURL: ${{ vars.repoURL }}
                prNumber: ${{ task.outputs['open-pr'].prNumber }}
            - uses: compose-output
              as: output
              config:
                mergeCommit: ${{ task.outputs['wait-for-pr'].commit }}
        """);

    assertThat(report.errors()).isEmpty();
    assertThat(report.warnings()).isEmpty();
    assertThat(report.isValid()).isTrue();
    assertThat(report.describeErrors()).isEqualTo("no errors");
  }

  @Test
  void aTemplateWithoutStepsIsAWarning() throws IOException {
    assertThat(warnings("steps: []\n")).containsExactly("promotion.yaml:1:1: warning: steps: the template has no steps, so"
        + " a promotion does nothing");
  }

  @Test
  void anUnknownStepWithNothingCloseListsTheRegisteredSteps() throws IOException {
    assertThat(errors("steps: [{uses: frobnicate}]\n")).containsExactly("promotion.yaml:1:10: error: step \"step-1\":"
        + " uses: unknown step \"frobnicate\" (registered steps: compose-output, deploy, git-clone, git-open-pr,"
        + " git-wait-for-pr, http)");
  }

  @Test
  void anUnknownStepWithNothingRegisteredSaysSo() {
    ValidationReport report = PromotionValidator.validate(PromotionDocuments.parse("steps: [{uses: a}]\n", "t.yaml")
        .singleTemplate(), StepRegistry.builder().build(), TaskCatalog.empty());

    assertThat(report.errors()).extracting(Problem::message).containsExactly("unknown step \"a\" (no steps are"
        + " registered)");
  }

  @Test
  void anIfWithoutDelimitersIsAnErrorEvenWhenYamlReadsItAsABoolean() throws IOException {
    assertThat(errors("""
        steps:
          - uses: http
            if: true
          - uses: http
            if: success()
        """)).containsExactly(
        "promotion.yaml:3:5: error: step \"step-1\": if: \"if\" must be an expression such as \"${{ true }}\", but is"
            + " the plain string \"true\"",
        "promotion.yaml:5:5: error: step \"step-2\": if: \"if\" must be an expression such as \"${{ success() }}\","
            + " but is the plain string \"success()\"");
  }

  @Test
  void anIfMixingTextAndExpressionsIsAWarning() throws IOException {
    assertThat(warnings("steps: [{uses: http, if: '${{ true }} and ${{ false }}'}]\n")).containsExactly(
        "promotion.yaml:1:22: warning: step \"step-1\": if: \"if\" mixes text and expressions, so it evaluates to a"
            + " string rather than a boolean; write one expression: \"${{ a && b }}\"");
  }

  @Test
  void expressionsThatDoNotParseNameTheirConfigPath() throws IOException {
    assertThat(errors("""
        steps:
          - uses: http
            config:
              apps:
                - name: ok
                - name: ${{ vars.x ) }}
              unclosed: ${{ vars.x
        """)).containsExactly(
        "promotion.yaml:6:28: error: step \"step-1\": config.apps[1].name: syntax error: unexpected \")\" (in expression"
            + " \"vars.x )\" at column 12 of \"${{ vars.x ) }}\")",
        "promotion.yaml:7:17: error: step \"step-1\": config.unclosed: unclosed expression: expected \"}}\" but reached"
            + " the end of the template (in expression \"vars.x\" at column 1 of \"${{ vars.x\")");
  }

  @Test
  void statusFunctionsWorkInIfAndConfigButNotInVars() throws IOException {
    ValidationReport report = validate("""
        vars:
          - name: g
            value: ${{ always() }}
        steps:
          - uses: http
            if: ${{ failure() || status('x') == 'Failed' }}
            vars:
              - name: s
                value: ${{ success() && status('step-1') != '' }}
            config:
              ok: ${{ success() }}
              s: ${{ vars.s }}
              g: ${{ vars.g }}
        """);

    assertThat(report.errors()).extracting(this::relative).containsExactly(
        "promotion.yaml:3:12: error: vars.g: status functions work only in \"if\" and config, not in vars, but this var"
            + " calls always()",
        "promotion.yaml:9:16: error: step \"step-1\": vars.s: status functions work only in \"if\" and config, not in"
            + " vars, but this var calls status(), success()");
  }

  @Test
  void outputsMustNameAStepThatRunsEarlier() throws IOException {
    assertThat(errors("""
        steps:
          - uses: git-clone
            as: clone
          - uses: http
            config:
              a: ${{ outputs.clone.commit }}
              b: ${{ outputs['clone'].commit }}
              c: ${{ outputs.clnoe.commit }}
              d: ${{ outputs.later.x }}
              e: ${{ outputs.nothing.x }}
              f: ${{ outputs[vars.dynamic].x }}
              g: ${{ outputs['step-1'] }}
          - uses: compose-output
            as: later
        """)).containsExactly(
        "promotion.yaml:8:10: error: step \"step-2\": config.c: outputs.clnoe refers to no step that runs before this"
            + " one; did you mean \"clone\"?",
        "promotion.yaml:9:10: error: step \"step-2\": config.d: outputs.later refers to step \"later\", which runs after"
            + " this one",
        "promotion.yaml:10:10: error: step \"step-2\": config.e: outputs.nothing refers to no step that runs before this"
            + " one",
        "promotion.yaml:12:10: error: step \"step-2\": config.g: outputs['step-1'] refers to no step that runs before"
            + " this one");
  }

  @Test
  void aDashedAliasReadAsASubtractionIsExplained() throws IOException {
    assertThat(errors("""
        steps:
          - uses: git-clone
            as: my-clone
          - uses: http
            config:
              url: ${{ outputs.my-clone.url }}
        """)).containsExactly(
        "promotion.yaml:6:12: error: step \"step-2\": config.url: outputs.my refers to no step that runs before this"
            + " one; an alias with a dash is read as outputs['my-clone'] (outputs.my-clone is a subtraction)");
  }

  @Test
  void aStepReadingItsOwnOutputGetsAWarning() throws IOException {
    assertThat(warnings("steps: [{uses: http, as: poll, config: {last: '${{ outputs.poll.page }}'}}]\n"))
        .containsExactly("promotion.yaml:1:47: warning: step \"poll\": config.last: outputs.poll is this step's own"
            + " output, which is set only after its first attempt");
  }

  @Test
  void taskOutputsAreVisibleOnlyBetweenEarlierStepsOfTheSameTask() throws IOException {
    assertThat(errors("""
        steps:
          - task: {name: t}
            as: first
          - task: {name: t}
            as: second
          - uses: http
            config:
              top: ${{ task.outputs.a }}
              full: ${{ outputs['first::a'].x }}
              own: ${{ outputs['second::b'].x }}
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec:
          steps:
            - uses: http
              as: a
              config:
                later: ${{ task.outputs.b.x }}
                typo: ${{ task.outputs.aa.x }}
            - uses: http
              as: b
              config:
                sibling: ${{ task.outputs.a.x }}
                otherTask: ${{ outputs['first::a'].x }}
        """)).containsExactly(
        "promotion.yaml:8:12: error: step \"step-3\": config.top: \"task\" is defined only for the steps of a promotion"
            + " task",
        "promotion.yaml:20:16: error: step \"first::a\": config.later: task.outputs.b refers to step \"b\" of this task,"
            + " which runs after this one",
        "promotion.yaml:20:16: error: step \"second::a\": config.later: task.outputs.b refers to step \"b\" of this"
            + " task, which runs after this one",
        "promotion.yaml:21:15: error: step \"first::a\": config.typo: task.outputs.aa refers to no step of this task"
            + " that runs before this one",
        "promotion.yaml:21:15: error: step \"second::a\": config.typo: task.outputs.aa refers to no step of this task"
            + " that runs before this one");
  }

  @Test
  void aTaskAliasHoldsOutputsOnlyWhenTheTaskComposesThem() throws IOException {
    ValidationReport report = validate("""
        steps:
          - task: {name: composing}
            as: pr
          - task: {name: plain}
            as: build
          - uses: http
            config:
              commit: ${{ outputs.pr.mergeCommit }}
              image: ${{ outputs.build.image }}
              step: ${{ outputs['build::step-1'].image }}
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: composing}
        spec:
          steps:
            - uses: http
            - uses: compose-output
              config: {mergeCommit: abc}
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: plain}
        spec:
          steps:
            - uses: http
        """);

    assertThat(report.errors()).isEmpty();
    assertThat(report.warnings()).extracting(this::relative).containsExactly(
        "promotion.yaml:9:14: warning: step \"step-3\": config.image: outputs.build is not set: the steps of task"
            + " \"build\" that run before this one have no compose-output step (read a step of the task as"
            + " outputs['build::<alias>'])");
  }

  @Test
  void globalVarsCannotReadOutputs() throws IOException {
    assertThat(errors("""
        vars:
          - name: commit
            value: ${{ outputs.clone.commit }}
        steps:
          - uses: git-clone
            as: clone
          - uses: http
            config: {url: "${{ vars.commit }}"}
        """)).containsExactly("promotion.yaml:3:12: error: vars.commit: global vars are evaluated before any step runs,"
            + " so \"outputs\" is not defined here; read it in a step var or in config");
  }

  @Test
  void varsReadButNotDefinedOrDefinedTooLateAreWarnings() throws IOException {
    assertThat(warnings("""
        vars:
          - name: first
            value: ${{ vars.second }}
          - name: second
            value: x
          - name: itself
            value: ${{ vars.itself }}
        steps:
          - uses: http
            vars:
              - name: a
                value: ${{ vars.b }}
              - name: b
                value: ${{ vars.first }}
            config:
              url: ${{ vars.secnd }}
              a: ${{ vars.a }}
              i: ${{ vars.itself }}
        """)).containsExactly(
        "promotion.yaml:3:12: warning: vars.first: vars.second is defined after this var, so it is null here",
        "promotion.yaml:7:12: warning: vars.itself: vars.itself refers to this var itself, which is not defined yet"
            + " here, so it is null",
        "promotion.yaml:12:16: warning: step \"step-1\": vars.a: vars.b is defined after this var, so it is null"
            + " here",
        "promotion.yaml:16:12: warning: step \"step-1\": config.url: vars.secnd is not defined, so it is null; did you"
            + " mean \"second\"?");
  }

  @Test
  void varsNeverReadAreWarningsUnlessVarsIsReadAsAWhole() throws IOException {
    String template = """
        vars:
          - name: used
            value: x
          - name: unused
            value: y
        steps:
          - uses: http
            vars:
              - name: mine
                value: z
            config:
              url: ${{ vars.used }}
        """;
    assertThat(warnings(template)).containsExactly(
        "promotion.yaml:4:5: warning: vars.unused: var \"unused\" is never used",
        "promotion.yaml:9:9: warning: step \"step-1\": vars.mine: var \"mine\" of this step is never used");

    assertThat(warnings(template.replace("${{ vars.used }}", "${{ vars[vars.used] }}"))).isEmpty();
  }

  @Test
  void aVarGivenToATaskThatTheTaskNeitherDeclaresNorReadsIsAWarning() throws IOException {
    ValidationReport report = validate("""
        steps:
          - task: {name: t}
            vars:
              - name: repoUrl
                value: https://example.com
              - name: repoURL
                value: https://example.com
              - name: readOnly
                value: r
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec:
          vars:
            - name: repoURL
          steps:
            - uses: http
              config:
                url: ${{ vars.repoURL }}
                r: ${{ vars.readOnly }}
        """);

    assertThat(report.errors()).isEmpty();
    assertThat(report.warnings()).extracting(this::relative).containsExactly(
        "promotion.yaml:4:9: warning: step \"task-1\": vars.repoUrl: var \"repoUrl\" is neither declared nor read by"
            + " task PromotionTask/t; did you mean \"repoURL\"?");
  }

  @Test
  void aFieldThatCtxDoesNotHaveIsAWarning() throws IOException {
    assertThat(warnings("""
        steps:
          - uses: http
            config:
              ok: ${{ ctx.stage + ctx.targetFreight.origin.name + ctx.meta.promotion.actor }}
              typo: ${{ ctx.stge }}
              deep: ${{ ctx.targetFreight.orign.name }}
              none: ${{ ctx.zzzzzz }}
        """)).containsExactly(
        "promotion.yaml:5:13: warning: step \"step-1\": config.typo: ctx.stge is not a field of ctx, so it is null; did"
            + " you mean \"stage\"?",
        "promotion.yaml:6:13: warning: step \"step-1\": config.deep: ctx.targetFreight.orign is not a field of"
            + " ctx.targetFreight, so it is null; did you mean \"origin\"?",
        "promotion.yaml:7:13: warning: step \"step-1\": config.none: ctx.zzzzzz is not a field of ctx, so it is null;"
            + " its fields are meta, project, promotion, stage, targetFreight, uiBaseUrl");
  }

  @Test
  void literalConfigThatBreaksTheStepsSchemaIsAnError() throws IOException {
    assertThat(errors("""
        steps:
          - uses: deploy
            as: web
            config:
              imag: nginx
              replicas: "3"
              mode: fast
        """)).containsExactly(
        "promotion.yaml:4:5: error: step \"web\": config.image: is required",
        "promotion.yaml:5:7: error: step \"web\": config.imag: is not a known field; did you mean \"image\"?",
        "promotion.yaml:6:7: error: step \"web\": config.replicas: must be an integer, but was a string",
        "promotion.yaml:7:7: error: step \"web\": config.mode: must be one of \"rolling\", \"recreate\", but was"
            + " \"fast\"");
  }

  @Test
  void valuesHoldingExpressionsAreCheckedAgainstTheSchemaOnlyWhenTheStepRuns() throws IOException {
    assertThat(errors("""
        vars:
          - {name: image, value: nginx}
          - {name: n, value: "3"}
        steps:
          - uses: deploy
            config:
              image: ${{ vars.image }}
              replicas: ${{ vars.n }}
              mode: ${{ 'roll' + 'ing' }}
              ports: ${{ [80, 443] }}
        """)).isEmpty();
  }

  @Test
  void aProblemOfAMapOrListHoldingAnExpressionIsReportedOnlyWhenNoValueCouldFixIt() throws IOException {
    assertThat(errors("""
        steps:
          - uses: deploy
            as: fixable
            config:
              image: nginx
              target:
                kind: ${{ 'git' }}
                url: https://example.com/repo.git
          - uses: deploy
            as: broken
            config:
              image: nginx
              ports: [80, "${{ 443 }}", 8080]
              target:
                kind: svn
                url: ${{ 'https://example.com' }}
        """)).containsExactly(
        "promotion.yaml:13:7: error: step \"broken\": config.ports: must have at most 2 items, but had 3",
        "promotion.yaml:14:7: error: step \"broken\": config.target: matches none of the allowed forms"
            + " (config.target.kind: must be \"git\", but was \"svn\"; or config.target.kind: must be \"oci\", but was"
            + " \"svn\", config.target.ref: is required)");
  }

  @Test
  void aHostsResolverIsUsedToParseExpressions() {
    ExpressionResolver resolver = ExpressionResolver.builder().function("team", args -> "platform").build();
    PromotionTemplate template = PromotionDocuments.parse(
        "steps: [{uses: http, config: {owner: '${{ team() }}'}}]\n", "t.yaml").singleTemplate();

    ValidationReport report = PromotionValidator.validate(template, registry(), TaskCatalog.empty(), resolver);

    assertThat(report.errors()).isEmpty();
    assertThat(report.warnings()).isEmpty();
  }
}
