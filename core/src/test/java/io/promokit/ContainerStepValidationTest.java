package io.promokit;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.documents.Problem;
import io.promokit.documents.PromotionDocuments;
import io.promokit.documents.TaskCatalog;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.spi.CapabilityGrant;
import io.promokit.spi.CapabilityProvider;
import io.promokit.validation.PromotionValidator;
import io.promokit.validation.ValidationReport;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link PromotionValidator} reports about steps that run CustomPromotionStep definitions. */
class ContainerStepValidationTest {

  private static final String STEPS = """
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
        name: deploy
      spec:
        image: deployer
        command: ["deploy", "--cluster", "${{ config.target.cluster }}"]
        env:
          - name: NS
            value: ${{ shellQuote(config.target.namespace) }}
        capabilities: [kubeconfig]
      ---
      apiVersion: promokit.io/v1
      kind: CustomPromotionStep
      metadata:
        name: quoted
      spec:
        image: ubuntu
        command: ["bash", "-ec", "echo ${{ shellQuote(config.message) }}"]
      ---
      apiVersion: promokit.io/v1
      kind: CustomPromotionStep
      metadata:
        name: leak
      spec:
        image: ubuntu
        command: ["sh", "-c", "login ${{ secret('db').password }}", "${{ sharedSecret('x').y }}"]
      """;

  private static final StepRegistry REGISTRY = StepRegistry.builder()
      .registerAll(PromotionDocuments.parse(STEPS, "steps.yaml").customSteps()).build();

  private static ValidationReport validate(String template, CapabilityProvider capabilities) {
    return PromotionValidator.validate(PromotionDocuments.parse(template, "template.yaml").singleTemplate(), REGISTRY,
        TaskCatalog.of(List.of()), ExpressionResolver.create(), capabilities);
  }

  private static CapabilityProvider offering(String... names) {
    return new CapabilityProvider() {
      @Override
      public Set<String> names() {
        return Set.of(names);
      }

      @Override
      public CapabilityGrant grant(String capability, String promotion, String stepAlias) {
        return new CapabilityGrant(null, null);
      }
    };
  }

  @Test
  void reportsAConfigKeyTheDefinitionReadsButTheStepDoesNotSet() {
    ValidationReport report = validate("""
        steps:
          - as: wait
            uses: sleep
            config:
              sleep: 10
        """, offering("kubeconfig"));

    assertThat(report.errors()).extracting(Problem::toString).containsExactly(
        "template.yaml:4:5: error: step \"wait\": config.sleepSeconds: step \"sleep\" reads config.sleepSeconds in"
            + " command[2], but the step's config does not set it");
  }

  @Test
  void acceptsConfigKeysThatAreSetEvenByExpressions() {
    ValidationReport report = validate("""
        vars:
          - name: waitTime
            value: "30"
        steps:
          - uses: sleep
            config:
              sleepSeconds: ${{ vars.waitTime }}
          - uses: deploy
            config:
              target: ${{ vars.waitTime }}
        """, offering("kubeconfig"));

    assertThat(report.errors()).isEmpty();
  }

  @Test
  void reportsMissingNestedKeysInCommandAndEnvOncePerKey() {
    ValidationReport report = validate("""
        steps:
          - as: ship
            uses: deploy
            config:
              target: {}
        """, offering("kubeconfig"));

    assertThat(report.errors()).extracting(Problem::configPath)
        .containsExactly("config.target.cluster", "config.target.namespace");
  }

  @Test
  void noShellQuoteAdviceWhenNoValueCanCarryShellSyntax() {
    // The seed's sleep example: a literal, and a var holding a literal (issue 19: it runs without warnings).
    ValidationReport report = validate("""
        vars:
          - name: waitTime
            value: "1"
        steps:
          - uses: sleep
            config:
              sleepSeconds: ${{ vars.waitTime }}
          - uses: sleep
            config:
              sleepSeconds: 1
          - uses: quoted
            config:
              message: hi there
        """, offering("kubeconfig"));

    assertThat(report.warnings()).isEmpty();
  }

  @Test
  void warnsAboutAnExpressionSplicedIntoAShellScriptWhenAValueCanCarryShellSyntax() {
    ValidationReport report = validate("""
        steps:
          - uses: sleep
            config:
              sleepSeconds: 1
          - uses: compose-output
            as: plan
            config:
              wait: "30"
          - uses: sleep
            as: computed
            config:
              sleepSeconds: ${{ outputs.plan.wait }}
          - uses: sleep
            as: spaced
            config:
              sleepSeconds: 1; rm -rf /
        """, offering("kubeconfig"));

    // Once per definition and expression, naming the first step whose value can carry shell syntax.
    assertThat(report.warnings()).extracting(Problem::toString).containsExactly(
        "steps.yaml:7:25: warning: step \"computed\": command[2]: step \"sleep\" splices ${{ config.sleepSeconds }}"
            + " into a shell script without shellQuote(): a value with spaces, quotes or ';' changes the command;"
            + " write ${{ shellQuote(config.sleepSeconds) }}");
  }

  @Test
  void reportsACapabilityTheHostDoesNotOffer() {
    String template = """
        steps:
          - as: ship
            uses: deploy
            config:
              target: {cluster: a, namespace: b}
        """;

    assertThat(validate(template, offering("aws")).errors()).extracting(Problem::toString).containsExactly(
        "steps.yaml:9:1: error: step \"ship\": capabilities: step \"deploy\" needs capability \"kubeconfig\", which the"
            + " host does not offer (offered: aws)");
    assertThat(validate(template, offering("kubeconfig")).errors()).isEmpty();
    assertThat(validate(template, null).errors()).as("no provider given: not checked").isEmpty();
  }

  @Test
  void reportsSecretsInTheCommandWhichTheStepWouldRefuse() {
    ValidationReport report = validate("""
        steps:
          - as: one
            uses: leak
          - as: two
            uses: leak
        """, null);

    assertThat(report.errors()).extracting(Problem::toString).containsExactly(
        "steps.yaml:35:25: error: step \"one\": command[2]: step \"leak\" calls secret() in command[2]: a secret in"
            + " the command would show in the process list and the container's spec; pass it through env",
        "steps.yaml:35:63: error: step \"one\": command[3]: step \"leak\" calls sharedSecret() in command[3]: a secret"
            + " in the command would show in the process list and the container's spec; pass it through env");
    assertThat(report.warnings()).as("no shellQuote advice for a secret").isEmpty();
  }
}
