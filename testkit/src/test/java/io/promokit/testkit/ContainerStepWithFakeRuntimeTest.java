package io.promokit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.records.ContainerReport;
import io.promokit.CustomStepDefinition;
import io.promokit.CustomStepDefinition.Output;
import io.promokit.CustomStepDefinition.OutputFormat;
import io.promokit.CustomStepDefinition.OutputSource;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import io.promokit.StepStatus;
import io.promokit.event.LogStream;
import io.promokit.spi.CapabilityGrant;
import io.promokit.spi.CapabilityProvider;
import io.promokit.spi.ContainerFile;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.PullPolicy;
import io.promokit.spi.PullSecretSource;
import io.promokit.spi.RegistryCredential;
import io.promokit.spi.ResourceRequirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container step adapter against a scripted runtime: requests, exit-code table, outputs, clean-up. */
class ContainerStepWithFakeRuntimeTest {

  @TempDir
  Path workdir;

  private final FakeContainerRuntime fake = FakeContainerRuntime.create();

  @AfterEach
  void everyHandleWasClosed() {
    assertThat(fake.openHandles()).as("open container handles").isZero();
  }

  private static CustomStepDefinition.Builder definition() {
    return CustomStepDefinition.builder("check").image("registry.example/check:1").command(List.of("/check", "--all"));
  }

  private StepRuntime bind(CustomStepDefinition definition) {
    return definition.bind(fake, CapabilityProvider.NONE, PullSecretSource.NONE, "engine-7");
  }

  private TestStepContext.Builder ctx() {
    return TestStepContext.builder(workdir).alias("policy-check").stepName("check");
  }

  @Test
  void exitCodeZeroSucceedsWithTheOutputFileAsKeyValues() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).stdout("checking").outputFile("verdict=ok\ncount=3\n"));
    TestStepContext ctx = ctx().build();

    StepResult result = bind(definition().build()).execute(ctx);

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).containsExactly(Map.entry("verdict", "ok"), Map.entry("count", "3"));
    assertThat(ctx.lines()).containsExactly("STDOUT: checking");
  }

  @Test
  void exitCode75IsRunningAndNotAnError() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(75).outputFile("progress=40%\n"));

    StepResult result = bind(definition().build()).execute(ctx().build());

    assertThat(result.status()).isEqualTo(StepStatus.RUNNING);
    assertThat(result.outputs()).containsEntry("progress", "40%");
    assertThat(result.retryAfter()).isEmpty();
  }

  @Test
  void aListedFailedExitCodeFailsTheStepWithTheOutputTails() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(3).stdout("checked 2 images").stderr("image b is not signed"));

    StepResult result = bind(definition().failedExitCodes(Set.of(3, 4)).build()).execute(ctx().build());

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo(
        "container of step \"check\" (image registry.example/check:1) exited with code 3, listed in failedExitCodes\n"
            + "--- stdout ---\nchecked 2 images\n--- stderr ---\nimage b is not signed");
  }

  @Test
  void anyOtherExitCodeIsARetryableErrorEndingWithTheOutputTails() {
    fake.always().thenReturn(FakeContainer.exit(1).stderr("connection refused"));

    assertThatThrownBy(() -> bind(definition().failedExitCodes(Set.of(3)).build()).execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("container of step \"check\" (image registry.example/check:1) exited with code 1\n"
            + "--- stderr ---\nconnection refused");
  }

  @Test
  void anErrorWithoutOutputSaysSo() {
    fake.always().thenReturn(FakeContainer.exit(2));

    assertThatThrownBy(() -> bind(definition().build()).execute(ctx().build()))
        .hasMessage("container of step \"check\" (image registry.example/check:1) exited with code 2 (no output)");
  }

  @Test
  void outOfMemoryIsARetryableErrorNamingTheLimit() {
    fake.always().thenReturn(FakeContainer.oomKilled());
    CustomStepDefinition def = definition()
        .resources(new ResourceRequirements(Map.of(), Map.of("memory", "128Mi"))).build();
    TestStepContext ctx = ctx().build();

    assertThatThrownBy(() -> bind(def).execute(ctx))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("container of step \"check\" (image registry.example/check:1) was killed for running out of memory"
            + " (limit 128Mi, exit code 137) (no output)");
    assertThat(ctx.lastContainerReport().oomKilled()).isTrue();
  }

  @Test
  void aTerminalStartFailureIsATerminalErrorNamingTheImage() {
    fake.always().thenReturn(FakeContainer.failToStart("image \"registry.example/check:1\" not found", false));
    TestStepContext ctx = ctx().build();

    assertThatThrownBy(() -> bind(definition().build()).execute(ctx))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("container of step \"check\" (image registry.example/check:1): cannot start: "
            + "image \"registry.example/check:1\" not found");
    assertThat(ctx.lastContainerReport().exitCode()).isNull();
  }

  @Test
  void aRetryableRuntimeFailureStaysRetryable() {
    fake.always().thenReturn(FakeContainer.failToStart("registry unreachable: 503", true));

    assertThatThrownBy(() -> bind(definition().build()).execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessageEndingWith("cannot start: registry unreachable: 503");
  }

  @Test
  void aRuntimeLostWhileRunningIsReportedAndTheHandleClosed() {
    fake.always().thenReturn(FakeContainer.exit(0).failWhileRunning("pod deleted", true));

    assertThatThrownBy(() -> bind(definition().build()).execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("container of step \"check\" (image registry.example/check:1): failed: pod deleted");
  }

  @Test
  void buildsTheRequestFromTheDefinitionAndTheAttempt() throws Exception {
    CustomStepDefinition def = definition()
        .env("MODE", "strict")
        .imagePullPolicy(PullPolicy.ALWAYS)
        .imagePullSecrets(List.of("regcred"))
        .runAsUser(1000)
        .gracePeriod(Duration.ofSeconds(3))
        .resources(new ResourceRequirements(Map.of("cpu", "250m"), Map.of("memory", "64Mi")))
        .build();
    Instant deadline = Instant.parse("2030-01-02T03:04:05.678Z");
    RegistryCredential credential = new RegistryCredential("registry.example", "bot", "hunter22", null);
    StepRuntime step = def.bind(fake, CapabilityProvider.NONE,
        name -> name.equals("regcred") ? List.of(credential) : List.of(), "engine-7");
    TestStepContext ctx = ctx().attempt(2).stepKey("key-abc").deadline(deadline).alias("task-1::check").build();

    step.execute(ctx);

    ContainerRequest request = fake.lastRequest();
    assertThat(request.image()).isEqualTo("registry.example/check:1");
    assertThat(request.command()).containsExactly("/check", "--all");
    assertThat(request.env()).containsExactly(
        Map.entry("MODE", "strict"),
        Map.entry("PROMOKIT_STEP_ALIAS", "task-1::check"),
        Map.entry("PROMOKIT_PROMOTION", "test-promotion"),
        Map.entry("PROMOKIT_ATTEMPT", "2"),
        Map.entry("PROMOKIT_STEP_KEY", "key-abc"),
        Map.entry("PROMOKIT_DEADLINE", "2030-01-02T03:04:05Z"));
    assertThat(request.workdir()).isEqualTo(workdir.toRealPath());
    assertThat(request.user()).isEqualTo(1000);
    assertThat(request.pullPolicy()).isEqualTo(PullPolicy.ALWAYS);
    assertThat(request.pullSecretNames()).containsExactly("regcred");
    assertThat(request.pullCredentials()).containsExactly(credential);
    assertThat(request.gracePeriod()).isEqualTo(Duration.ofSeconds(3));
    assertThat(request.resources().limits()).containsEntry("memory", "64Mi");
    assertThat(request.name()).matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?").startsWith("test-promotion-task-1-check-a2-");
    assertThat(request.definition()).isEqualTo("check");
    assertThat(request.network()).isEqualTo(io.promokit.spi.ContainerNetwork.DEFAULT);
    assertThat(request.secretEnvNames()).isEmpty();
    assertThat(request.labels()).containsEntry(ContainerLabels.ENGINE, "engine-7")
        .containsEntry(ContainerLabels.PROMOTION, "test-promotion")
        .containsEntry(ContainerLabels.STEP, "task-1--check")
        .containsEntry(ContainerLabels.ATTEMPT, "2")
        .containsEntry(ContainerLabels.MANAGED_BY, "promokit");
    assertThat(ctx.masker().mask("password hunter22")).isEqualTo("password ***");
  }

  @Test
  void namesContainersDeterministicallyAndDistinctlyPerAttempt() throws Exception {
    StepRuntime step = bind(definition().build());
    step.execute(ctx().attempt(1).build());
    step.execute(ctx().attempt(1).build());
    step.execute(ctx().attempt(2).build());
    step.execute(ctx().alias("a-very-long-alias-".repeat(6) + "end").attempt(1).build());

    List<String> names = fake.requests().stream().map(ContainerRequest::name).toList();
    assertThat(names.get(0)).isEqualTo(names.get(1));
    assertThat(names.get(2)).isNotEqualTo(names.get(0));
    assertThat(names.get(3)).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  @Test
  void runsAsUser65532ByDefault() throws Exception {
    bind(definition().build()).execute(ctx().build());

    assertThat(fake.lastRequest().user()).isEqualTo(65532);
    assertThat(fake.lastRequest().env()).doesNotContainKey("PROMOKIT_DEADLINE");
  }

  @Test
  void grantsCapabilitiesAsEnvAndFilesAndMasksTheirEnvValues() throws Exception {
    CapabilityProvider provider = new CapabilityProvider() {
      @Override
      public Set<String> names() {
        return Set.of("kubeconfig");
      }

      @Override
      public CapabilityGrant grant(String capability, String promotion, String stepAlias) {
        return new CapabilityGrant(Map.of("KUBECONFIG", "$(PROMOKIT_FILES)/kubeconfig", "KUBE_TOKEN", "tok-98765"),
            List.of(new ContainerFile("kubeconfig", "apiVersion: v1".getBytes(StandardCharsets.UTF_8))));
      }
    };
    fake.always().thenReturn(FakeContainer.exit(0).stdout("using token tok-98765"));
    TestStepContext ctx = ctx().build();

    definition().capabilities(List.of("kubeconfig")).build().bind(fake, provider, PullSecretSource.NONE, "e")
        .execute(ctx);

    ContainerRequest request = fake.lastRequest();
    assertThat(request.env()).containsEntry("KUBECONFIG", "$(PROMOKIT_FILES)/kubeconfig")
        .containsEntry("KUBE_TOKEN", "tok-98765");
    assertThat(request.secretEnvNames()).containsExactlyInAnyOrder("KUBECONFIG", "KUBE_TOKEN");
    assertThat(request.files()).extracting(ContainerFile::name).containsExactly("kubeconfig");
    assertThat(ctx.lines()).containsExactly("STDOUT: using token ***");
  }

  @Test
  void aCapabilityGrantingAnInvalidEnvNameFailsBeforeAnyContainerStarts() {
    CapabilityProvider provider = new CapabilityProvider() {
      @Override
      public Set<String> names() {
        return Set.of("aws");
      }

      @Override
      public CapabilityGrant grant(String capability, String promotion, String stepAlias) {
        return new CapabilityGrant(Map.of("AWS-KEY", "key-12345"), List.of());
      }
    };

    assertThatThrownBy(() -> definition().capabilities(List.of("aws")).build()
        .bind(fake, provider, PullSecretSource.NONE, "e").execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("capability \"aws\" of step \"check\" grants the env variable \"AWS-KEY\", which is not a valid "
            + "name (it must match ^[A-Za-z_][A-Za-z0-9_]*$)");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void anUnknownCapabilityFailsBeforeAnyContainerStarts() {
    assertThatThrownBy(() -> bind(definition().capabilities(List.of("aws")).build()).execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("step \"check\" needs capability \"aws\", which the host does not offer (offered: none)");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void masksSecretsInStreamedLinesAndInTheFailureMessage() {
    fake.always().thenReturn(FakeContainer.exit(1).stdout("token is s3cr3t-value").stderr("auth s3cr3t-value failed"));
    TestStepContext ctx = ctx().build();
    ctx.masker().register("s3cr3t-value");

    assertThatThrownBy(() -> bind(definition().build()).execute(ctx))
        .hasMessageEndingWith("--- stdout ---\ntoken is ***\n--- stderr ---\nauth *** failed")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    assertThat(ctx.lines()).containsExactly("STDOUT: token is ***", "STDERR: auth *** failed");
  }

  @Test
  void theFailureMessageEndsWithTheLast16KiBOfEachStream() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      lines.add("line " + i + " " + "x".repeat(20));
    }
    fake.always().thenReturn(FakeContainer.exit(1).stdout(lines.toArray(String[]::new)).stderr("short"));

    assertThatThrownBy(() -> bind(definition().build()).execute(ctx().build()))
        .satisfies(e -> {
          String message = e.getMessage();
          String stdout = message.substring(message.indexOf("--- stdout (last 16 KiB) ---\n") + 29,
              message.indexOf("\n--- stderr ---"));
          assertThat(stdout).hasSize(16 * 1024).endsWith("line 1999 " + "x".repeat(20));
          assertThat(message).doesNotContain("line 0 ").endsWith("--- stderr ---\nshort");
        });
  }

  @Test
  void reportsTheContainerWithItsPhasesIncludingCleanup() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0));
    TestStepContext ctx = ctx().build();

    bind(definition().build()).execute(ctx);

    ContainerReport report = ctx.lastContainerReport();
    assertThat(report.image()).isEqualTo("registry.example/check:1");
    assertThat(report.runtime()).isEqualTo("fake");
    assertThat(report.exitCode()).isZero();
    assertThat(report.containerId()).startsWith("fake-");
    assertThat(report.phasesMs()).containsKeys("run", "cleanup");
  }

  @Test
  void cancellingStopsTheContainerWithTheGracePeriodAndClosesIt() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).stdout("started").runFor(Duration.ofHours(1)));
    TestStepContext ctx = ctx().build();
    StepRuntime step = bind(definition().gracePeriod(Duration.ofSeconds(2)).build());
    CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
      try {
        step.execute(ctx);
        return null;
      } catch (Exception e) {
        return e;
      }
    });
    fake.awaitStarted(1, Duration.ofSeconds(30));

    ctx.cancel();

    assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(fake.stoppedContainers()).isEqualTo(1);
    assertThat(ctx.lastContainerReport().exitCode()).isEqualTo(143);
  }

  @Test
  void aCancelledAttemptStartsNoContainer() {
    TestStepContext ctx = ctx().build();
    ctx.cancel();

    assertThatThrownBy(() -> bind(definition().build()).execute(ctx)).isInstanceOf(InterruptedException.class);
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void readsOutputFromStdoutStderrAndWorkdirFiles() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).stdout("{\"a\":", " 1}").stderr("warning")
        .writesFile("reports/result.yaml", "ok: true\n"));

    StepResult stdout = bind(definition().output(new Output(OutputSource.STDOUT, "", OutputFormat.JSON, Map.of())).build())
        .execute(ctx().build());
    StepResult stderr = bind(definition().output(new Output(OutputSource.STDERR, "", OutputFormat.TEXT, Map.of())).build())
        .execute(ctx().build());
    StepResult file = bind(definition().output(new Output(OutputSource.FILE, "reports/result.yaml", null, Map.of())).build())
        .execute(ctx().build());

    assertThat(stdout.outputs()).containsExactly(Map.entry("a", 1L));
    assertThat(stderr.outputs()).containsExactly(Map.entry("output", "warning"));
    assertThat(file.outputs()).containsExactly(Map.entry("ok", true));
  }

  @Test
  void aMissingOutputFileIsATerminalError() {
    CustomStepDefinition def = definition().output(new Output(OutputSource.FILE, "out.json", null, Map.of())).build();

    assertThatThrownBy(() -> bind(def).execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("output file \"out.json\" was not written by the container");
  }

  @Test
  void invalidOutputIsATerminalErrorAndTheHandleIsStillClosed() {
    fake.always().thenReturn(FakeContainer.exit(0).outputFile("{broken"));
    CustomStepDefinition def = definition().output(new Output(OutputSource.PIPE, "", OutputFormat.JSON, Map.of())).build();

    assertThatThrownBy(() -> bind(def).execute(ctx().build()))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessageStartingWith("output from the KARGO_OUTPUT file is not valid JSON at line 1, column 2: Unexpected character (");
  }

  @Test
  void streamedLinesReachTheLogInOrder() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).stdout("one").stderr("two").stdout("three"));
    TestStepContext ctx = ctx().build();

    bind(definition().build()).execute(ctx);

    assertThat(ctx.lines(LogStream.STDOUT)).containsExactly("one", "three");
    assertThat(ctx.lines()).containsExactly("STDOUT: one", "STDERR: two", "STDOUT: three");
  }

  @Test
  void aSecretAcrossThePiecesOfALongLineIsMaskedInTheLogAndInTheFailureMessage() {
    // The secret's characters appear nowhere else, so any of them in the log is a leak.
    String secret = "Q7Z#9J4W";
    fake.always().thenReturn(FakeContainer.exit(1).lineInPieces(LogStream.STDOUT, "a".repeat(40) + "the Q7", "Z#9J",
        "4W was used").stdout("next"));
    TestStepContext ctx = ctx().build();
    ctx.masker().register(secret);

    assertThatThrownBy(() -> bind(definition().build()).execute(ctx))
        .hasMessage("container of step \"check\" (image registry.example/check:1) exited with code 1\n"
            + "--- stdout ---\n" + "a".repeat(40) + "the *** was used\nnext");
    List<String> stdout = ctx.lines(LogStream.STDOUT);
    assertThat(stdout).allSatisfy(text -> assertThat(text).doesNotContainPattern("[Q7Z#9J4W]"));
    assertThat(String.join("", stdout.subList(0, stdout.size() - 1))).isEqualTo("a".repeat(40) + "the *** was used");
    assertThat(stdout).last().isEqualTo("next");
  }

  @Test
  void aStdoutOutputJoinsThePiecesOfALongLineWithoutANewline() throws Exception {
    fake.always().thenReturn(FakeContainer.exit(0).lineInPieces(LogStream.STDOUT, "{\"name\": \"promo", "kit\", \"n\"", ": 2}")
        .stdout("{\"ignored\": true}"));
    CustomStepDefinition def = definition().output(new Output(OutputSource.STDOUT, "", OutputFormat.TEXT, Map.of())).build();

    StepResult result = bind(def).execute(ctx().build());

    assertThat(result.outputs()).containsExactly(
        Map.entry("output", "{\"name\": \"promokit\", \"n\": 2}\n{\"ignored\": true}"));
  }
}
