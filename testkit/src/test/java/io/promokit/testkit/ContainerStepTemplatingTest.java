package io.promokit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.ConfigSchema;
import io.promokit.CustomStepDefinition;
import io.promokit.CustomStepDefinition.Output;
import io.promokit.CustomStepDefinition.OutputFormat;
import io.promokit.CustomStepDefinition.OutputSource;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.spi.CapabilityProvider;
import io.promokit.spi.PullSecretSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** command and env are templates over config and ctx only (CUSTOM-STEPS.md section 2). */
class ContainerStepTemplatingTest {

  @TempDir
  Path workdir;

  private final FakeContainerRuntime fake = FakeContainerRuntime.create();

  @AfterEach
  void everyHandleWasClosed() {
    assertThat(fake.openHandles()).isZero();
  }

  private StepResult run(CustomStepDefinition definition, TestStepContext ctx) throws Exception {
    return definition.bind(fake, CapabilityProvider.NONE, PullSecretSource.NONE, "engine-1").execute(ctx);
  }

  private static CustomStepDefinition.Builder sleep(String... command) {
    return CustomStepDefinition.builder("sleep").image("ubuntu").command(List.of(command));
  }

  private TestStepContext.Builder ctx(Map<String, ?> config) {
    return TestStepContext.builder(workdir).alias("my-sleep-step").config(config)
        .secrets((name, scope) -> name.equals("db") ? Map.of("password", "pa55word-xyz") : Map.of());
  }

  @Test
  void resolvesCommandAndEnvOverConfigAndCtx() throws Exception {
    CustomStepDefinition def = sleep("sh", "-c", "sleep ${{ config.sleepSeconds }}", "${{ ctx.stage }}")
        .env("HELLO", "${{ config.hello }} from ${{ ctx.project }}")
        .env("SETTINGS", "${{ config.settings }}")
        .build();

    run(def, ctx(Map.of("sleepSeconds", 10, "hello", "hi", "settings", Map.of("a", 1))).build());

    assertThat(fake.lastRequest().command()).containsExactly("sh", "-c", "sleep 10", "test");
    assertThat(fake.lastRequest().env()).containsEntry("HELLO", "hi from test")
        .containsEntry("SETTINGS", "{\"a\":1}");
  }

  @Test
  void shellQuoteKeepsAValueOneWord() throws Exception {
    CustomStepDefinition def = sleep("sh", "-c", "echo ${{ shellQuote(config.message) }}").build();

    run(def, ctx(Map.of("message", "it's; rm -rf /")).build());

    assertThat(fake.lastRequest().command().get(2)).isEqualTo("echo 'it'\\''s; rm -rf /'");
  }

  @Test
  void aMissingConfigKeyIsATerminalErrorBeforeAnyContainerStarts() {
    CustomStepDefinition def = sleep("sh", "-c", "sleep ${{ config.sleepSeconds }}").build();

    assertThatThrownBy(() -> run(def, ctx(Map.of("sleep", 10)).build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("config.sleepSeconds is not set (used by command[2] of step \"sleep\")");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aMissingNestedConfigKeyInEnvIsNamedByItsPath() {
    CustomStepDefinition def = sleep("true").env("TARGET", "${{ config.target.cluster }}").build();

    assertThatThrownBy(() -> run(def, ctx(Map.of("target", Map.of("namespace", "prod"))).build()))
        .hasMessage("config.target.cluster is not set (used by env.TARGET of step \"sleep\")");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void templatesSeeNeitherVarsNorOutputs() {
    CustomStepDefinition def = sleep("echo", "${{ vars.waitTime }}").build();

    assertThatThrownBy(() -> run(def, ctx(Map.of()).outputs(Map.of("a", Map.of("x", 1))).build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessageStartingWith("command[1] of step \"sleep\": ");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aSecretCallInCommandIsRefused() {
    CustomStepDefinition def = sleep("login", "--password", "${{ secret('db').password }}").build();

    assertThatThrownBy(() -> run(def, ctx(Map.of()).build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("command[2] of step \"sleep\" calls secret(): secrets may not be passed in command (process lists"
            + " and records would show them); pass them through env");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aSecretValueReachingCommandThroughConfigIsRefused() {
    TestStepContext ctx = ctx(Map.of("token", "tok-secret-1")).build();
    ctx.masker().register("tok-secret-1");
    CustomStepDefinition def = sleep("deploy", "--token=${{ config.token }}").build();

    assertThatThrownBy(() -> run(def, ctx))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("command[1] of step \"sleep\" would contain a secret value: secrets may not be passed in command;"
            + " pass them through env");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aSecretInEnvIsAllowedAndMaskedInTheLog() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).stdout("connecting with pa55word-xyz"));
    TestStepContext ctx = ctx(Map.of()).build();
    CustomStepDefinition def = sleep("connect").env("DB_PASSWORD", "${{ secret('db').password }}").build();

    run(def, ctx);

    assertThat(fake.lastRequest().env()).containsEntry("DB_PASSWORD", "pa55word-xyz");
    assertThat(fake.lastRequest().secretEnvNames()).containsExactly("DB_PASSWORD");
    assertThat(ctx.lines()).containsExactly("STDOUT: connecting with ***");
  }

  @Test
  void envValuesComputedFromASecretAreSecretsForTheRuntimeAndOthersAreNot() throws Exception {
    TestStepContext ctx = ctx(Map.of("user", "bot", "token", "tok-secret-1")).build();
    ctx.masker().register("tok-secret-1");
    CustomStepDefinition def = sleep("connect")
        .env("AUTH", "${{ upper(secret('db').password) }}")
        .env("HEADER", "Bearer ${{ config.token }}")
        .env("USER_NAME", "${{ config.user }}")
        .env("MODE", "strict")
        .build();

    run(def, ctx);

    assertThat(fake.lastRequest().env()).containsEntry("AUTH", "PA55WORD-XYZ").containsEntry("USER_NAME", "bot");
    assertThat(fake.lastRequest().secretEnvNames()).containsExactly("AUTH", "HEADER");
    assertThat(fake.lastRequest().isSecretEnv("PROMOKIT_STEP_ALIAS")).isFalse();
    assertThat(fake.lastRequest().definition()).isEqualTo("sleep");
    assertThat(fake.lastRequest().labels()).containsEntry("promokit.io/definition", "sleep");
  }

  @Test
  void transformsTheOutputWithExpressionsOverOutput() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).stdout("{\"summary\": {\"critical\": 2, \"high\": 5}}"));
    CustomStepDefinition def = sleep("scan").output(new Output(OutputSource.STDOUT, "", OutputFormat.JSON,
        Map.of("hasCritical", "output.summary.critical > 0", "total", "output.summary.critical + output.summary.high")))
        .build();

    StepResult result = run(def, ctx(Map.of()).build());

    assertThat(result.outputs()).containsEntry("hasCritical", true).containsEntry("total", 7L);
  }

  @Test
  void aTransformErrorNamesItsKey() {
    fake.always().thenReturn(FakeContainer.exit(0).stdout("{}"));
    CustomStepDefinition def = sleep("scan").output(new Output(OutputSource.STDOUT, "", OutputFormat.JSON,
        Map.of("hasCritical", "output.summary.critical > 0"))).build();

    assertThatThrownBy(() -> run(def, ctx(Map.of()).build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessageStartingWith("output.transform.hasCritical: ");
  }

  @Test
  void theConfigSchemaIsCheckedBeforeTheContainerStartsAndFailsTheStepLikeAnyStepsSchema() throws Exception {
    CustomStepDefinition def = sleep("sh", "-c", "sleep ${{ config.sleepSeconds }}")
        .configSchema(ConfigSchema.fromJson("""
            {"type": "object", "required": ["sleepSeconds"],
             "properties": {"sleepSeconds": {"type": "integer", "minimum": 1}}}"""))
        .build();

    StepResult result = ctx(Map.of("sleepSeconds", 0)).build()
        .run(def.toStepOptions(), def.bind(fake, CapabilityProvider.NONE, PullSecretSource.NONE, "engine-1"));

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("invalid config: config.sleepSeconds: must be at least 1, but was 0");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void anUnparsableTemplateIsRejectedWhenTheDefinitionIsBuilt() {
    assertThatThrownBy(() -> sleep("echo", "${{ config.a + }}").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("command[1]: ");
  }
}
