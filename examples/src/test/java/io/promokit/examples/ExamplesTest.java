package io.promokit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionEngine;
import io.promokit.PromotionPhase;
import io.promokit.StepRegistry;
import io.promokit.StepStatus;
import io.promokit.documents.DocumentSet;
import io.promokit.documents.PromotionDocuments;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import io.promokit.runtime.LocalProcessRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example of this module, with real processes on the local runtime. */
class ExamplesTest {

  private static final Path CUSTOM_STEPS = Path.of("custom-steps");
  private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(2);

  @TempDir
  Path workdir;

  private final LocalProcessRuntime runtime = LocalProcessRuntime.create(stateDirOrTemp());

  private Path stateDirOrTemp() {
    try {
      return Files.createTempDirectory("promokit-examples-state-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterEach
  void nothingLeftBehind() throws Exception {
    try (var left = Files.list(runtime.stateDir())) {
      assertThat(left).isEmpty();
    }
    Files.delete(runtime.stateDir());
  }

  private PromotionRecord run(String template) {
    DocumentSet documents = PromotionDocuments.load(CUSTOM_STEPS.resolve("steps"))
        .merge(PromotionDocuments.load(CUSTOM_STEPS.resolve(template)));
    // The seed's container step "sleep" shares its name with the built-in sleep: replace it on purpose.
    StepRegistry.Builder builder = StepRegistry.builder().withBuiltins();
    documents.customSteps().forEach(builder::replace);
    StepRegistry registry = builder.build();
    try (PromotionEngine engine = PromotionEngine.builder().registry(registry).containerRuntime(runtime).build()) {
      return engine.sequence(documents.singleTemplate(), documents.taskCatalog())
          .workdir(workdir)
          .build()
          .run();
    }
  }

  @Test
  void theSleepTemplateRunsTheSleepStepWithAVarAndALiteral() {
    PromotionRecord record = run("sleep-template.yaml");

    assertThat(record.phase()).as(record.message()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(record.step("my-sleep-step").map(StepRecord::outputs)).contains(Map.of("slept", "1"));
    assertThat(record.step("short-sleep").map(StepRecord::status)).contains(StepStatus.SUCCEEDED);
    assertThat(record.step("my-sleep-step").orElseThrow().container().runtime()).isEqualTo("local");
  }

  @Test
  void thePolicyCheckFailsThePromotionWithoutApproval() {
    PromotionRecord record = run("policy-template.yaml");

    assertThat(record.phase()).isEqualTo(PromotionPhase.FAILED);
    StepRecord policy = record.step("policy").orElseThrow();
    assertThat(policy.status()).isEqualTo(StepStatus.FAILED);
    assertThat(policy.attempts()).as("Failed is final: no retry").isEqualTo(1);
    assertThat(policy.message()).startsWith("step \"policy\": container of step \"policy-check\" (image ubuntu) exited with code 3,"
        + " listed in failedExitCodes").endsWith("no approval for " + record.promotion() + " in approval.txt");
    assertThat(record.step("after-policy").map(StepRecord::status)).contains(StepStatus.SKIPPED);
  }

  @Test
  void thePolicyCheckPassesWithApproval() throws Exception {
    Files.writeString(workdir.resolve("approval.txt"), "approved\n");

    PromotionRecord record = run("policy-template.yaml");

    assertThat(record.phase()).as(record.message()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(record.step("policy").map(StepRecord::outputs)).contains(Map.of("approved", "true"));
  }

  @Test
  void theJavaExampleRunsAnInProcessAndAContainerStep() {
    PromotionRecord record = CustomStepsExample.run(workdir, runtime);

    assertThat(record.phase()).as(record.message()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(record.step("approve").map(StepRecord::outputs)).contains(Map.of("approver", "alice"));
    assertThat(record.step("check").map(StepRecord::outputs)).contains(Map.of("stage", "prod", "approved", true));
    assertThat(record.step("report").map(StepRecord::outputs)).contains(Map.of("approver", "prod"));
  }

  @Test
  void oneEngineRunsTheExamplePromotionAgainWithTheSameEngineId() throws Exception {
    Path second = Files.createDirectory(workdir.resolve("second"));
    try (PromotionEngine engine = CustomStepsExample.engine(runtime)) {
      PromotionRecord first = CustomStepsExample.run(engine, workdir);
      PromotionRecord again = CustomStepsExample.run(engine, second);

      assertThat(List.of(first.phase(), again.phase())).containsOnly(PromotionPhase.SUCCEEDED);
      assertThat(List.of(first.engineId(), again.engineId())).containsOnly(engine.engineId());
      assertThat(second.resolve("approval.txt")).hasContent("approved");
    }
  }

  @Test
  void theReadmeQuotesTheJavaExampleAsItIs() throws Exception {
    List<String> example = Files.readAllLines(Path.of("src/main/java/io/promokit/examples/CustomStepsExample.java"))
        .stream().map(String::strip).toList();
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(
        readme.indexOf("## Use it from Java"), readme.indexOf("## Modules")));
    int blocks = 0;
    while (block.find()) {
      List<String> quoted = block.group(1).lines().map(String::strip).toList();
      assertThat(Collections.indexOfSubList(example, quoted)).as("README block quoted from the example:%n%s",
          block.group(1)).isNotNegative();
      blocks++;
    }
    assertThat(blocks).isEqualTo(2);
  }

  @Test
  void theBuiltInStepsTemplateUpdatesTheValuesFileAndKeepsItsComments() throws Exception {
    DocumentSet documents = PromotionDocuments.load(Path.of("templates", "promote-app.yaml"));
    PromotionRecord record;
    try (PromotionEngine engine = PromotionEngine.builder().registry(StepRegistry.builder().withBuiltins().build())
        .build()) {
      record = engine.sequence(documents.singleTemplate(), documents.taskCatalog())
          .context(io.promokit.PromotionContext.builder().stage("prod").promotion("example").build())
          .var("imageTag", "v1.5.0")
          .workdir(workdir)
          .build()
          .run();
    }

    assertThat(record.phase()).as(record.message()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(record.outputs().get("summary")).isEqualTo(Map.of(
        "commitMessage", "Updated charts/shop/values-prod.yaml\n\n- image.tag: v1.5.0",
        "tag", "v1.5.0", "replicas", 2L));
    assertThat(record.step("check").map(StepRecord::status)).contains(StepStatus.SKIPPED);
    assertThat(workdir.resolve("charts/shop/values-prod.yaml")).hasContent("""
        # Values for the shop chart in prod.
        image:
          repository: registry.example.com/shop/app
          tag: v1.5.0   # set by promokit on every promotion
        replicas: 2
        """);
  }

  @Test
  void theJavaExamplesMainRuns() throws Exception {
    CustomStepsExample.main(new String[0]);
  }

  @Test
  void theGitopsExamplePushesTheNewImageTagToTheScriptsGitServer(@TempDir Path server) throws Exception {
    Path script = Path.of("gitops-git", "start-git-server.sh").toAbsolutePath();
    String url = runScript(script.toString(), server.toString()).strip();
    try {
      DocumentSet documents = PromotionDocuments.load(Path.of("gitops-git", "promote.yaml"));
      PromotionEngine engine = PromotionEngine.builder()
          .registry(StepRegistry.builder().withBuiltins()
              .register(io.promokit.steps.git.GitSteps.builder().environment(Map.of()).build().steps())
              .build())
          .build();
      PromotionRecord record = engine.sequence(documents.singleTemplate(), documents.taskCatalog())
          .context(io.promokit.PromotionContext.builder().stage("prod").promotion("demo-1").build())
          .var("repoURL", url)
          .var("imageTag", "v2.0.0")
          .workdir(workdir)
          .build()
          .run();
      engine.close();

      assertThat(record.phase()).as(record.message()).isEqualTo(PromotionPhase.SUCCEEDED);
      Map<String, Object> result = record.step("result").orElseThrow().outputs();
      assertThat(result).containsEntry("branch", "main");
      String pushed = git(server.resolve("gitops.git"), "rev-parse", "main").strip();
      assertThat(result).containsEntry("commit", pushed);
      assertThat(git(server.resolve("gitops.git"), "show", "main:apps/shop/values.yaml")).isEqualTo("""
          # Values of the shop app; promokit sets the image tag on every promotion.
          image:
            repository: registry.example.com/shop/app
            tag: v2.0.0
          replicas: 2
          """);
      assertThat(git(server.resolve("gitops.git"), "log", "-1", "--format=%s", "main").strip())
          .isEqualTo("Updated ./repo/apps/shop/values.yaml");
    } finally {
      runScript(script.toString(), "--stop", server.toString());
    }
  }

  private static String runScript(String... command) throws Exception {
    return run(List.of(command));
  }

  private static String git(Path repository, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", repository.toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  /**
   * Runs a command to its end and returns its output; bounded, so a process that ignores signals or never
   * ends fails the test instead of hanging the build (its process tree is killed).
   */
  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    if (!p.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within " + PROCESS_TIMEOUT);
    }
    String output = new String(out.get(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    return output;
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
