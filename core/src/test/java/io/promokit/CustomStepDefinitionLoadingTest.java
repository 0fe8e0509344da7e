package io.promokit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.CustomStepDefinition.OutputFormat;
import io.promokit.CustomStepDefinition.OutputSource;
import io.promokit.documents.DocumentException;
import io.promokit.documents.DocumentReading;
import io.promokit.documents.DocumentSet;
import io.promokit.documents.Problem;
import io.promokit.documents.PromotionDocuments;
import io.promokit.documents.SourceLocation;
import io.promokit.spi.ContainerNetwork;
import io.promokit.spi.PullPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading CustomPromotionStep documents (CUSTOM-STEPS.md section 1) and registering them. */
class CustomStepDefinitionLoadingTest {

  private static final String FULL = """
      apiVersion: ee.kargo.akuity.io/v1alpha1
      kind: CustomPromotionStep
      metadata:
        name: policy-check
      spec:
        description: Checks images against the policy
        image: registry.example/policy:1.2
        imagePullPolicy: Always
        imagePullSecrets: [regcred, {name: other}]
        command: ["/policy", "check", "--level", 3]
        env:
          - name: LEVEL
            value: strict
          - name: EMPTY
        output:
          source:
            type: File
            path: reports/result.json
          transform: {}
        defaultTimeout: 5m
        defaultErrorThreshold: 3
        capabilities: [kubeconfig]
        resources:
          requests: {memory: 64Mi, cpu: 250m}
          limits: {memory: 128Mi, cpu: 1}
        failedExitCodes: [3, 4]
        runAsUser: 1000
        network: none
        gracePeriod: 30s
        configSchema:
          type: object
      """;

  private static CustomStepDefinition single(String yaml) {
    List<CustomStepDefinition> steps = PromotionDocuments.parse(yaml, "steps.yaml").customSteps();
    assertThat(steps).hasSize(1);
    return steps.get(0);
  }

  private static String minimal(String name, String apiVersion) {
    return "apiVersion: " + apiVersion + "\nkind: CustomPromotionStep\nmetadata:\n  name: " + name
        + "\nspec:\n  image: busybox\n  command: [\"true\"]\n";
  }

  @Test
  void readsEveryField() {
    CustomStepDefinition def = single(FULL.replace("  configSchema:\n    type: object\n", ""));

    assertThat(def.name()).isEqualTo("policy-check");
    assertThat(def.description()).isEqualTo("Checks images against the policy");
    assertThat(def.image()).isEqualTo("registry.example/policy:1.2");
    assertThat(def.imagePullPolicy()).isEqualTo(PullPolicy.ALWAYS);
    assertThat(def.imagePullSecrets()).containsExactly("regcred", "other");
    assertThat(def.command()).containsExactly("/policy", "check", "--level", "3");
    assertThat(def.env()).extracting(CustomStepDefinition.EnvVar::name, CustomStepDefinition.EnvVar::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("LEVEL", "strict"), org.assertj.core.groups.Tuple.tuple("EMPTY", ""));
    assertThat(def.output().source()).isEqualTo(OutputSource.FILE);
    assertThat(def.output().path()).isEqualTo("reports/result.json");
    assertThat(def.output().effectiveFormat()).isEqualTo(OutputFormat.JSON);
    assertThat(def.defaultTimeout()).contains(Duration.ofMinutes(5));
    assertThat(def.defaultErrorThreshold()).contains(3);
    assertThat(def.capabilities()).containsExactly("kubeconfig");
    assertThat(def.resources().requests()).containsEntry("memory", "64Mi").containsEntry("cpu", "250m");
    assertThat(def.resources().limits()).containsEntry("cpu", "1");
    assertThat(def.failedExitCodes()).containsExactly(3, 4);
    assertThat(def.runAsUser()).isEqualTo(1000);
    assertThat(def.network()).isEqualTo(ContainerNetwork.NONE);
    assertThat(def.toBuilder().build().network()).isEqualTo(ContainerNetwork.NONE);
    assertThat(def.gracePeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(def.location()).isEqualTo(new SourceLocation("steps.yaml", 1, 1));
  }

  @Test
  void remembersWhereEachCommandItemIsWritten() {
    CustomStepDefinition def = single(minimal("where", "promokit.io/v1").replace("command: [\"true\"]",
        "command:\n    - sh\n    - -c\n    - echo hi"));

    assertThat(def.locationOf("command[0]")).isEqualTo(new SourceLocation("steps.yaml", 8, 7));
    assertThat(def.locationOf("command[2]")).isEqualTo(new SourceLocation("steps.yaml", 10, 7));
    assertThat(def.locationOf("image")).as("not kept: the definition's own").isEqualTo(def.location());
    assertThat(def.toBuilder().build().locationOf("command[2]")).isEqualTo(new SourceLocation("steps.yaml", 10, 7));
  }

  @Test
  void appliesTheDefaults() {
    CustomStepDefinition def = single(minimal("plain", "promokit.io/v1"));

    assertThat(def.output()).isEqualTo(CustomStepDefinition.Output.DEFAULT);
    assertThat(def.runAsUser()).isEqualTo(65532);
    assertThat(def.network()).isEqualTo(ContainerNetwork.DEFAULT);
    assertThat(def.gracePeriod()).isEqualTo(Duration.ofSeconds(10));
    assertThat(def.imagePullPolicy()).isEqualTo(PullPolicy.IF_NOT_PRESENT);
    assertThat(def.defaultTimeout()).isEmpty();
    assertThat(def.failedExitCodes()).isEmpty();
  }

  @Test
  void readsBothApiVersionsAndManyDocumentsPerFile() {
    String yaml = minimal("one", "ee.kargo.akuity.io/v1alpha1") + "---\n" + minimal("two", "promokit.io/v1");

    assertThat(PromotionDocuments.parse(yaml, "steps.yaml").customSteps())
        .extracting(CustomStepDefinition::name).containsExactly("one", "two");
  }

  @Test
  void readsAFolderOfDefinitions(@TempDir Path folder) throws Exception {
    Files.writeString(folder.resolve("a.yaml"), minimal("alpha", "promokit.io/v1"));
    Files.writeString(folder.resolve("b.yml"), minimal("beta", "promokit.io/v1") + "---\n" + minimal("gamma", "promokit.io/v1"));

    assertThat(PromotionDocuments.load(folder).customSteps())
        .extracting(CustomStepDefinition::name).containsExactly("alpha", "beta", "gamma");
  }

  @Test
  void acceptsTheFormatUnderOutputOrUnderOutputSource() {
    String base = minimal("fmt", "promokit.io/v1");
    CustomStepDefinition underSource = single(base + "  output:\n    source:\n      type: Stdout\n      format: JSON\n");
    CustomStepDefinition underOutput = single(base + "  output:\n    source:\n      type: Stdout\n    format: YAML\n");

    assertThat(underSource.output().format()).isEqualTo(OutputFormat.JSON);
    assertThat(underOutput.output().format()).isEqualTo(OutputFormat.YAML);
    assertThat(underOutput.output().source()).isEqualTo(OutputSource.STDOUT);
  }

  static Stream<Arguments> invalidDefinitions() {
    String head = "apiVersion: promokit.io/v1\nkind: CustomPromotionStep\nmetadata:\n  name: bad\nspec:\n";
    String image = "  image: busybox\n";
    String command = "  command: [\"true\"]\n";
    return Stream.of(
        Arguments.of("name", head.replace("name: bad", "name: Bad_Name") + image + command,
            "steps.yaml:4:9: metadata.name: step name must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ (lower-case letters,"
                + " digits and dashes, starting and ending with a letter or digit), but was \"Bad_Name\""),
        Arguments.of("missing image", head + command, "steps.yaml:6:3: spec.image: missing required field"),
        Arguments.of("empty image", head + "  image: \"\"\n" + command, "steps.yaml:6:10: spec.image: image must not be empty"),
        Arguments.of("missing command", head + image, "steps.yaml:6:3: spec.command: missing required field"),
        Arguments.of("empty command", head + image + "  command: []\n", "steps.yaml:7:12: spec.command: must not be empty"),
        Arguments.of("command as a string", head + image + "  command: echo hi\n",
            "steps.yaml:7:12: spec.command: expected a list (the argv, for example [\"sh\", \"-c\", \"echo hi\"]), but was a string"),
        Arguments.of("unknown field", head + image + command + "  imagePulPolicy: Always\n",
            "steps.yaml:8:3: spec.imagePulPolicy: unknown field; did you mean \"imagePullPolicy\"?"),
        Arguments.of("format at spec level", head + image + command + "  format: JSON\n",
            "steps.yaml:8:3: spec.format: unknown field; \"format\" belongs under \"output\" (or \"output.source\")"),
        Arguments.of("unknown output type", head + image + command + "  output:\n    source:\n      type: Socket\n",
            "steps.yaml:10:13: spec.output.source.type: unknown output type \"Socket\"; expected Pipe, Stdout, Stderr, File"),
        Arguments.of("File without path", head + image + command + "  output:\n    source:\n      type: File\n",
            "steps.yaml:10:7: spec.output.source.path: output.source.path must be set when the type is File"),
        Arguments.of("path without File", head + image + command + "  output:\n    source:\n      path: x.json\n",
            "steps.yaml:10:13: spec.output.source.path: path is only allowed when the type is File, but the type is Pipe"),
        Arguments.of("unknown format", head + image + command + "  output:\n    format: XML\n",
            "steps.yaml:9:13: spec.output.format: unknown output format \"XML\"; expected KeyValue, JSON, YAML, Text"),
        Arguments.of("formats disagree", head + image + command
                + "  output:\n    format: JSON\n    source:\n      type: Stdout\n      format: YAML\n",
            "steps.yaml:9:13: spec.output.format: output.format \"JSON\" and output.source.format \"YAML\" disagree; give it once"),
        Arguments.of("bad duration", head + image + command + "  defaultTimeout: 5 minutes\n",
            "steps.yaml:8:19: spec.defaultTimeout: invalid duration \"5 minutes\": expected a Go duration such as 90s, 5m, 1h30m or 500ms"),
        Arguments.of("zero timeout", head + image + command + "  defaultTimeout: 0s\n",
            "steps.yaml:8:19: spec.defaultTimeout: defaultTimeout must be positive, but was 0s"),
        Arguments.of("zero threshold", head + image + command + "  defaultErrorThreshold: 0\n",
            "steps.yaml:8:26: spec.defaultErrorThreshold: defaultErrorThreshold must be at least 1, but was 0"),
        Arguments.of("bad quantity", head + image + command + "  resources:\n    limits:\n      memory: lots\n",
            "steps.yaml:10:15: spec.resources.limits.memory: invalid quantity \"lots\": expected a Kubernetes quantity such as 128Mi, 1Gi, 500m or 0.5"),
        Arguments.of("unknown resource", head + image + command + "  resources:\n    limits:\n      gpu: 1\n",
            "steps.yaml:10:7: spec.resources.limits.gpu: unknown field; did you mean \"cpu\"?"),
        Arguments.of("failed exit code 75", head + image + command + "  failedExitCodes: [3, 75]\n",
            "steps.yaml:8:24: spec.failedExitCodes[1]: failedExitCodes must not hold 75: it means the step is still running"),
        Arguments.of("failed exit code 0", head + image + command + "  failedExitCodes: [0]\n",
            "steps.yaml:8:21: spec.failedExitCodes[0]: failedExitCodes must be between 1 and 255, but holds 0"),
        Arguments.of("negative user", head + image + command + "  runAsUser: -1\n",
            "steps.yaml:8:14: spec.runAsUser: runAsUser must not be negative, but was -1"),
        Arguments.of("network", head + image + command + "  network: host\n",
            "steps.yaml:8:12: spec.network: unknown network \"host\"; expected default (the runtime's network) or none"),
        Arguments.of("pull policy", head + image + command + "  imagePullPolicy: Sometimes\n",
            "steps.yaml:8:20: spec.imagePullPolicy: unknown imagePullPolicy \"Sometimes\"; expected Always, IfNotPresent or Never"),
        Arguments.of("reserved env", head + image + command + "  env:\n    - name: KARGO_OUTPUT\n      value: x\n",
            "steps.yaml:9:13: spec.env[0].name: env \"KARGO_OUTPUT\" is set by promokit and cannot be set by a definition"),
        Arguments.of("duplicate env", head + image + command + "  env:\n    - name: A\n    - name: A\n",
            "steps.yaml:10:13: spec.env[1].name: env \"A\" is given twice"),
        Arguments.of("bad env name", head + image + command + "  env:\n    - name: 1A\n",
            "steps.yaml:9:13: spec.env[0].name: env name must match ^[A-Za-z_][A-Za-z0-9_]*$, but was \"1A\""),
        Arguments.of("env valueFrom", head + image + command + "  env:\n    - name: A\n      valueFrom: {}\n",
            "steps.yaml:10:7: spec.env[0].valueFrom: unknown field; secrets reach a container through \"value: ${{ secret('name').key }}\" or a capability"),
        Arguments.of("negative grace", head + image + command + "  gracePeriod: -1s\n",
            "steps.yaml:8:16: spec.gracePeriod: duration must not be negative, but was -1s"),
        Arguments.of("no metadata name", "apiVersion: promokit.io/v1\nkind: CustomPromotionStep\nmetadata: {}\nspec:\n" + image + command,
            "steps.yaml:3:11: metadata.name: missing required field"),
        Arguments.of("unknown top-level field", head + image + command + "extra: 1\n",
            "steps.yaml:8:1: extra: unknown field; expected one of: apiVersion, kind, metadata, spec, status"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidDefinitions")
  void rejectsAnInvalidDefinitionNamingFileLineAndField(String name, String yaml, String message) {
    assertThatThrownBy(() -> PromotionDocuments.parse(yaml, "steps.yaml"))
        .isInstanceOf(DocumentException.class)
        .hasMessage(message);
  }

  static final String SIX_PROBLEMS = """
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
          format: XML
        defaultTimeout: 5 minutes
        resources:
          limits:
            memory: lots
      """;

  @Test
  void reportsEveryProblemOfADefinitionAtOnce() {
    DocumentReading reading = PromotionDocuments.read(SIX_PROBLEMS, "steps.yaml");

    assertThat(reading.problems()).extracting(Problem::toString).containsExactly(
        "steps.yaml:4:9: error: metadata.name: step name must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ (lower-case"
            + " letters, digits and dashes, starting and ending with a letter or digit), but was \"Bad_Name\"",
        "steps.yaml:6:10: error: spec.image: image must not be empty",
        "steps.yaml:7:12: error: spec.command: must not be empty",
        "steps.yaml:8:3: error: spec.imagePulPolicy: unknown field; did you mean \"imagePullPolicy\"?",
        "steps.yaml:11:13: error: spec.output.source.type: unknown output type \"Socket\"; expected Pipe, Stdout,"
            + " Stderr, File",
        "steps.yaml:12:13: error: spec.output.format: unknown output format \"XML\"; expected KeyValue, JSON, YAML,"
            + " Text",
        "steps.yaml:13:19: error: spec.defaultTimeout: invalid duration \"5 minutes\": expected a Go duration such"
            + " as 90s, 5m, 1h30m or 500ms",
        "steps.yaml:16:15: error: spec.resources.limits.memory: invalid quantity \"lots\": expected a Kubernetes"
            + " quantity such as 128Mi, 1Gi, 500m or 0.5");
    assertThat(reading.documents().customSteps()).isEmpty();
    assertThatThrownBy(() -> PromotionDocuments.parse(SIX_PROBLEMS, "steps.yaml"))
        .isInstanceOf(DocumentException.class)
        .satisfies(e -> assertThat(((DocumentException) e).problems()).isEqualTo(reading.problems()))
        .hasMessageContaining("steps.yaml:6:10: spec.image: image must not be empty\n"
            + "steps.yaml:7:12: spec.command: must not be empty\n");
  }

  @Test
  void aDefinitionWithABadOptionalFieldIsStillMadeSoTemplatesUsingItCanBeChecked() {
    String yaml = minimal("scan", "promokit.io/v1") + "  gracePeriod: later\n  runAsUser: -3\n";

    DocumentReading reading = PromotionDocuments.read(yaml, "steps.yaml");

    assertThat(reading.problems()).extracting(Problem::toString).containsExactly(
        "steps.yaml:8:16: error: spec.gracePeriod: invalid duration \"later\": expected a Go duration such as 90s,"
            + " 5m, 1h30m or 500ms",
        "steps.yaml:9:14: error: spec.runAsUser: runAsUser must not be negative, but was -3");
    assertThat(reading.documents().customSteps()).singleElement()
        .satisfies(def -> assertThat(def.gracePeriod()).isEqualTo(Duration.ofSeconds(10)));
  }

  @Test
  void registersDefinitionsWithTheirOptionsAndRejectsCollisionsUnlessReplacing() {
    CustomStepDefinition def = single(FULL.replace("  configSchema:\n    type: object\n", ""));
    StepRegistry.Builder builder = StepRegistry.builder().register(def);

    assertThatThrownBy(() -> builder.register(def))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a step named \"policy-check\" is already registered (container); register with replace to override it");
    assertThatThrownBy(() -> StepRegistry.builder().register("policy-check", ctx -> StepResult.succeeded()).register(def))
        .hasMessage("a step named \"policy-check\" is already registered (in-process); register with replace to override it");

    CustomStepDefinition other = def.toBuilder().image("registry.example/policy:2").build();
    StepRegistry registry = builder.replace(other).build();
    RegisteredStep step = registry.require("policy-check");
    assertThat(step.kind()).isEqualTo(StepKind.CONTAINER);
    assertThat(((RegisteredStep.Container) step).definition().image()).isEqualTo("registry.example/policy:2");
    assertThat(step).isInstanceOf(RegisteredStep.Container.class);
    assertThat(step.options().defaultTimeout()).contains(Duration.ofMinutes(5));
    assertThat(step.options().defaultErrorThreshold()).isEqualTo(3);
    assertThat(step.options().description()).isEqualTo("Checks images against the policy");
  }

  @Test
  void registersAllDefinitionsOfADocumentSet() {
    DocumentSet documents = PromotionDocuments.parse(minimal("one", "promokit.io/v1") + "---\n"
        + minimal("two", "promokit.io/v1"), "steps.yaml");

    StepRegistry registry = StepRegistry.builder().registerAll(documents.customSteps()).build();

    assertThat(registry.steps()).extracting(RegisteredStep::name).containsExactly("one", "two");
  }

  @Test
  void theBuilderValidatesEachValue() {
    assertThatThrownBy(() -> CustomStepDefinition.builder("x").image("busybox").build())
        .hasMessage("command must be set");
    assertThatThrownBy(() -> CustomStepDefinition.builder("x").command(List.of("true")).build())
        .hasMessage("image must be set");
    assertThatThrownBy(() -> CustomStepDefinition.builder("x").command(List.of()))
        .hasMessage("command must not be empty");
    assertThatThrownBy(() -> CustomStepDefinition.builder("x").gracePeriod(Duration.ofSeconds(-1)))
        .hasMessage("gracePeriod must not be negative, but was -1s");
    assertThatThrownBy(() -> CustomStepDefinition.builder("x").defaultTimeout(Duration.ZERO))
        .hasMessage("defaultTimeout must be positive, but was 0s");
    assertThatThrownBy(() -> new CustomStepDefinition.Output(OutputSource.FILE, "../out.json", null, Map.of()))
        .hasMessage("output.source.path must be relative to the workdir and stay inside it, but was \"../out.json\"");
    assertThatThrownBy(() -> new CustomStepDefinition.Output(OutputSource.PIPE, "", null, Map.of("k", " ")))
        .hasMessage("output.transform.k must be an expression, but is empty");
  }
}
