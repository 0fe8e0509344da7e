package io.promokit.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.promokit.documents.DocumentSet;
import io.promokit.documents.PlannedStep;
import io.promokit.documents.Problem;
import io.promokit.documents.PromotionDocuments;
import io.promokit.documents.PromotionPlan;
import io.promokit.documents.PromotionTask;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.RetrySpec;
import io.promokit.documents.SourceLocation;
import io.promokit.documents.StepSpec;
import io.promokit.documents.TaskCatalog;
import io.promokit.documents.TaskRef;
import io.promokit.documents.VarSpec;
import io.promokit.validation.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SEMANTICS.md sections 2 (aliases) and 6 (promotion tasks): inflation of task steps into a plan. */
class TaskInflationTest {

  @TempDir Path dir;

  private DocumentSet load(String content) throws IOException {
    Path file = dir.resolve("promotion.yaml");
    Files.writeString(file, content);
    return PromotionDocuments.load(file);
  }

  private PromotionPlan inflate(String content) throws IOException {
    DocumentSet documents = load(content);
    return PromotionPlan.inflate(documents.singleTemplate(), documents.taskCatalog());
  }

  private List<Problem> inflationErrors(String content) throws IOException {
    DocumentSet documents = load(content);
    ValidationException e = org.junit.jupiter.api.Assertions.assertThrows(ValidationException.class,
        () -> PromotionPlan.inflate(documents.singleTemplate(), documents.taskCatalog()));
    return e.report().errors();
  }

  private String file() {
    return dir.resolve("promotion.yaml").toString();
  }

  private static Map<String, Object> varsOf(PlannedStep step) {
    Map<String, Object> vars = new java.util.LinkedHashMap<>();
    step.vars().forEach(v -> vars.put(v.name(), v.value()));
    return vars;
  }

  private static final String TWO_STEP_TASK = """
      ---
      apiVersion: kargo.akuity.io/v1alpha1
      kind: PromotionTask
      metadata: {name: t}
      spec:
        steps:
          - uses: inner-a
          - uses: inner-b
      """;

  @Test
  void defaultAliasesAreStepNAndTaskNByPositionCountedBeforeInflation() throws IOException {
    PromotionPlan plan = inflate("""
        steps:
          - uses: a
          - task: {name: t}
          - uses: b
        """ + TWO_STEP_TASK);

    assertThat(plan.steps()).extracting(PlannedStep::alias, PlannedStep::uses).containsExactly(
        tuple("step-1", "a"), tuple("task-2::step-1", "inner-a"), tuple("task-2::step-2", "inner-b"),
        tuple("step-3", "b"));
  }

  @Test
  void inflatedStepsAreNamespacedByTheTaskStepsAliasAndKeepTheirOwnAliases() throws IOException {
    PromotionPlan plan = inflate("""
        steps:
          - task: {name: pr-task}
            as: pr
          - uses: after
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: pr-task}
        spec:
          steps:
            - uses: git-open-pr
              as: open
            - uses: git-wait-for-pr
        """);

    assertThat(plan.steps()).extracting(PlannedStep::alias, PlannedStep::taskName, PlannedStep::taskAlias)
        .containsExactly(tuple("pr::open", "pr-task", "pr"), tuple("pr::step-2", "pr-task", "pr"),
            tuple("step-2", null, null));
  }

  @Test
  void inflatedStepsKeepTheirIfRetryConfigAndLocationInTheTaskFile() throws IOException {
    Path taskFile = dir.resolve("task.yaml");
    Files.writeString(taskFile, """
        apiVersion: kargo.akuity.io/v1alpha1
        kind: ClusterPromotionTask
        metadata: {name: notify}
        spec:
          steps:
            - uses: http
              if: ${{ always() }}
              continueOnError: true
              retry: {errorThreshold: 2, timeout: 30s}
              config: {url: https://example.com}
        """);
    Path templateFile = dir.resolve("template.yaml");
    Files.writeString(templateFile, "steps: [{task: {name: notify, kind: ClusterPromotionTask}}]\n");
    DocumentSet documents = PromotionDocuments.loadAll(List.of(templateFile, taskFile));

    PlannedStep step = PromotionPlan.inflate(documents.singleTemplate(), documents.taskCatalog()).steps().get(0);

    assertThat(step.alias()).isEqualTo("task-1::step-1");
    assertThat(step.ifCondition()).isEqualTo("${{ always() }}");
    assertThat(step.continueOnError()).isTrue();
    assertThat(step.retry()).isEqualTo(new RetrySpec(2, java.time.Duration.ofSeconds(30)));
    assertThat(step.config()).isEqualTo(Map.of("url", "https://example.com"));
    assertThat(step.location()).isEqualTo(new SourceLocation(taskFile.toString(), 6, 7));
    assertThat(step.isFromTask()).isTrue();
  }

  @Test
  void innerStepVarsAreTaskDefaultsThenTaskStepVarsThenTheirOwnLaterWinning() throws IOException {
    PromotionPlan plan = inflate("""
        steps:
          - task: {name: t}
            vars:
              - name: branch
                value: from-task-step
              - name: extra
                value: from-task-step
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec:
          vars:
            - name: branch
              value: main
            - name: path
              value: default-path
          steps:
            - uses: a
              vars:
                - name: path
                  value: from-inner-step
            - uses: b
        """);

    PlannedStep first = plan.steps().get(0);
    assertThat(first.vars()).extracting(VarSpec::name, VarSpec::value).containsExactly(
        tuple("branch", "main"), tuple("path", "default-path"), tuple("branch", "from-task-step"),
        tuple("extra", "from-task-step"), tuple("path", "from-inner-step"));
    // Later wins: what the step sees.
    assertThat(varsOf(first)).containsExactly(Map.entry("branch", "from-task-step"),
        Map.entry("path", "from-inner-step"), Map.entry("extra", "from-task-step"));
    assertThat(varsOf(plan.steps().get(1))).containsExactly(Map.entry("branch", "from-task-step"),
        Map.entry("path", "default-path"), Map.entry("extra", "from-task-step"));
  }

  @Test
  void aRequiredTaskVarNobodyGivesFailsInflationNamingTheTaskTheVarAndTheStep() throws IOException {
    List<Problem> errors = inflationErrors("""
        steps:
          - uses: first
          - task: {name: open-pr}
            as: pr
            vars:
              - name: sourceBranch
                value: feature
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: open-pr}
        spec:
          vars:
            - name: repoURL
            - name: sourceBranch
          steps:
            - uses: git-open-pr
        """);

    assertThat(errors).extracting(Problem::toString).containsExactly(file() + ":5:5: error: step \"pr\": vars:"
        + " missing value for variable \"repoURL\" of task PromotionTask/open-pr (give it in this step's vars, or as"
        + " a global var)");
  }

  @Test
  void aRequiredTaskVarIsSatisfiedByAGlobalVarWithAValue() throws IOException {
    PromotionPlan plan = inflate("""
        vars:
          - name: repoURL
            value: https://example.com/repo.git
        steps:
          - task: {name: t}
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec:
          vars:
            - name: repoURL
          steps:
            - uses: a
        """);

    assertThat(plan.steps()).singleElement().satisfies(step -> assertThat(step.vars()).isEmpty());
  }

  @Test
  void aGlobalVarWithAnEmptyValueDoesNotSatisfyARequiredTaskVar() throws IOException {
    List<Problem> errors = inflationErrors("""
        vars:
          - name: repoURL
            value: ""
        steps:
          - task: {name: t}
            vars:
              - name: other
                value: x
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec:
          vars:
            - name: repoURL
          steps:
            - uses: a
        """);

    assertThat(errors).extracting(Problem::message).containsExactly("missing value for variable \"repoURL\" of task"
        + " PromotionTask/t (give it in this step's vars, or as a global var)");
  }

  @Test
  void aTaskStepVarWithAnEmptyValueDoesNotGiveARequiredTaskVar() throws IOException {
    List<Problem> errors = inflationErrors("""
        steps:
          - task: {name: t}
            vars:
              - name: repoURL
                value: ""
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec:
          vars:
            - name: repoURL
          steps:
            - uses: a
        """);

    assertThat(errors).extracting(Problem::alias, Problem::configPath).containsExactly(tuple("task-1", "vars"));
  }

  @Test
  void aGlobalVarWithAValueOverridesTheTaskDefaultAsInKargo() throws IOException {
    PromotionPlan plan = inflate("""
        vars:
          - name: targetBranch
            value: release
        steps:
          - task: {name: t}
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec:
          vars:
            - name: targetBranch
              value: main
            - name: other
              value: kept
          steps:
            - uses: a
        """);

    // The default is left out so the global value applies; other defaults stay.
    assertThat(varsOf(plan.steps().get(0))).containsExactly(Map.entry("other", "kept"));
    assertThat(plan.vars()).extracting(VarSpec::name, VarSpec::value).containsExactly(tuple("targetBranch", "release"));
  }

  @Test
  void tasksCannotReferenceTasks() throws IOException {
    List<Problem> errors = inflationErrors("""
        steps:
          - task: {name: outer}
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: outer}
        spec:
          steps:
            - uses: a
            - task: {name: inner, kind: ClusterPromotionTask}
        """);

    assertThat(errors).extracting(Problem::toString).containsExactly(file() + ":10:7: error: step \"task-1::task-2\":"
        + " task: a promotion task cannot use another task, but PromotionTask/outer uses ClusterPromotionTask/inner");
  }

  @Test
  void aTaskStepMaySetOnlyTaskAsAndVars() throws IOException {
    List<Problem> errors = inflationErrors("""
        steps:
          - task: {name: t}
            as: deploy
            if: ${{ always() }}
            retry: {errorThreshold: 3}
            config: {x: 1}
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec: {steps: [{uses: a}]}
        """);

    assertThat(errors).extracting(Problem::toString).containsExactly(file() + ":2:5: error: step \"deploy\": a task step"
        + " may set only \"task\", \"as\" and \"vars\", but this one also sets \"if\", \"retry\", \"config\"");
  }

  @Test
  void anUnknownTaskSuggestsTheClosestOneAndAWrongKindIsExplained() throws IOException {
    List<Problem> errors = inflationErrors("""
        steps:
          - task: {name: open-pr-and-wiat}
          - task: {name: notify}
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: open-pr-and-wait}
        spec: {steps: [{uses: a}]}
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: ClusterPromotionTask
        metadata: {name: notify}
        spec: {steps: [{uses: a}]}
        """);

    assertThat(errors).extracting(Problem::alias, Problem::message).containsExactly(
        tuple("task-1", "unknown task PromotionTask/open-pr-and-wiat; did you mean \"open-pr-and-wait\"?"),
        tuple("task-2", "unknown task PromotionTask/notify; a ClusterPromotionTask of that name exists: set task.kind:"
            + " ClusterPromotionTask (known tasks: ClusterPromotionTask/notify, PromotionTask/open-pr-and-wait)"));
  }

  @Test
  void anUnknownTaskWithNoTasksLoadedSaysSo() throws IOException {
    assertThat(inflationErrors("steps: [{task: {name: t}}]\n")).extracting(Problem::message)
        .containsExactly("unknown task PromotionTask/t (no promotion tasks were loaded)");
  }

  @Test
  void aStepSetsExactlyOneOfUsesAndTask() throws IOException {
    List<Problem> errors = inflationErrors("""
        steps:
          - uses: a
            task: {name: t}
          - as: nothing
        """);

    assertThat(errors).extracting(Problem::toString).containsExactly(
        file() + ":2:5: error: step \"task-1\": a step sets exactly one of \"uses\" and \"task\", but this one sets"
            + " both",
        file() + ":4:5: error: step \"nothing\": a step sets exactly one of \"uses\" (a step name) and \"task\" (a"
            + " promotion task), but this one sets neither");
  }

  @Test
  void aUserAliasMustBeUniqueInItsList() throws IOException {
    List<Problem> errors = inflationErrors("""
        steps:
          - uses: a
            as: build
          - uses: b
            as: build
        """);

    assertThat(errors).extracting(Problem::toString).containsExactly(file() + ":5:5: error: step \"build\": as: alias"
        + " \"build\" is already used by the step at " + file() + ":2:5");
  }

  @Test
  void aUserAliasMustNotLookLikeADefaultAlias() throws IOException {
    List<Problem> errors = inflationErrors("""
        steps:
          - uses: a
            as: step-2
          - uses: b
            as: task-10
        """);

    assertThat(errors).extracting(Problem::message).containsExactly(
        "alias \"step-2\" is reserved: step-N and task-N name the steps that have no alias",
        "alias \"task-10\" is reserved: step-N and task-N name the steps that have no alias");
  }

  @Test
  void aUserAliasMustBeAnIdentifierWithDashesSoThatDoubleColonsStayReserved() throws IOException {
    List<Problem> errors = inflationErrors("""
        steps:
          - uses: a
            as: my step
          - uses: b
            as: "pr::open"
          - uses: c
            as: 2nd
          - uses: d
            as: _ok-alias_2
        """);

    assertThat(errors).extracting(Problem::message).containsExactly(
        "alias \"my step\" is malformed: an alias starts with a letter or \"_\" and holds only letters, digits, \"_\""
            + " and \"-\"",
        "alias \"pr::open\" is malformed: an alias starts with a letter or \"_\" and holds only letters, digits, \"_\""
            + " and \"-\" (\"::\" is kept for steps inflated from tasks)",
        "alias \"2nd\" is malformed: an alias starts with a letter or \"_\" and holds only letters, digits, \"_\" and"
            + " \"-\"");
  }

  @Test
  void aliasesInsideATaskFollowTheSameRulesAndAreReportedOnceWithTheirFullAlias() throws IOException {
    List<Problem> errors = inflationErrors("""
        steps:
          - task: {name: t}
            as: first
          - task: {name: t}
            as: second
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec:
          steps:
            - uses: a
              as: same
            - uses: b
              as: same
        """);

    assertThat(errors).extracting(Problem::toString).containsExactly(file() + ":15:7: error: step \"first::same\": as:"
        + " alias \"same\" is already used by the step at " + file() + ":12:7");
  }

  @Test
  void varNamesMustBeIdentifiers() throws IOException {
    List<Problem> errors = inflationErrors("""
        vars:
          - name: good_name1
            value: x
          - name: bad-name
            value: x
        steps:
          - uses: a
            vars:
              - name: 9lives
                value: x
        """);

    assertThat(errors).extracting(Problem::toString).containsExactly(
        file() + ":4:5: error: var name \"bad-name\" is malformed: a var name starts with a letter or \"_\" and holds"
            + " only letters, digits and \"_\"",
        file() + ":9:9: error: step \"step-1\": var name \"9lives\" is malformed: a var name starts with a letter or"
            + " \"_\" and holds only letters, digits and \"_\"");
  }

  @Test
  void aLaterDuplicateVarIsAllowed() throws IOException {
    PromotionPlan plan = inflate("""
        vars:
          - {name: a, value: "1"}
          - {name: a, value: "2"}
        steps: [{uses: x}]
        """);

    assertThat(plan.vars()).hasSize(2);
  }

  @Test
  void everyInflationProblemIsThrownTogether() throws IOException {
    List<Problem> errors = inflationErrors("""
        steps:
          - uses: a
            as: step-9
          - task: {name: missing}
          - task: {name: t}
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: t}
        spec:
          vars: [{name: required}]
          steps: [{uses: b}]
        """);

    assertThat(errors).extracting(Problem::alias).containsExactly("step-9", "task-2", "task-3");
  }

  @Test
  void aTemplateBuiltInCodeIsInflatedToo() {
    PromotionTask task = new PromotionTask("t", TaskRef.TaskKind.PROMOTION_TASK, List.of(VarSpec.of("v", "d")),
        List.of(StepSpec.uses("inner", null, Map.of())), SourceLocation.IN_CODE);
    PromotionTemplate template = PromotionTemplate.of("code", List.of(), List.of(
        StepSpec.uses("a", null, Map.of("k", 1)),
        new StepSpec(null, task.ref(), "named", null, false, null, List.of(), null, SourceLocation.IN_CODE)));

    PromotionPlan plan = PromotionPlan.inflate(template, TaskCatalog.of(List.of(task)));

    assertThat(plan.name()).isEqualTo("code");
    assertThat(plan.steps()).extracting(PlannedStep::alias).containsExactly("step-1", "named::step-1");
    assertThat(plan.steps().get(0).config()).isEqualTo(Map.of("k", 1));
  }
}
