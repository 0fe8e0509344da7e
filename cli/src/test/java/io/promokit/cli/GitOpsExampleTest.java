package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.promokit.PromotionPhase;
import io.promokit.StepStatus;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import io.promokit.runtime.docker.DockerContainerRuntime;
import io.promokit.testkit.gitops.ArgoCdApplication;
import io.promokit.testkit.gitops.ArgoCdCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitOps example (examples/gitops) end to end through the command, as its README runs it: its own script
 * starts a real git daemon on 127.0.0.1 with the sample repository (and builds the custom step's image), the
 * Stage renders with real kustomize, the custom step checks the manifests in real Docker (or as a local
 * process), the rendered commit is pushed to the stage branch, and argocd-update syncs Argo CD on the mock
 * cluster, whose controller resolves the stage branch against the same git server.
 */
class GitOpsExampleTest {

  private static final Path EXAMPLE = Path.of("..", "examples", "gitops").toAbsolutePath().normalize();

  @TempDir Path dir;
  private Path server;
  private String repoUrl;
  private final ArgoCdCluster argocd = ArgoCdCluster.start();

  @BeforeEach
  void startTheGitServer() throws Exception {
    server = dir.resolve("git-server");
    repoUrl = run(EXAMPLE.resolve("start.sh").toString(), server.toString()).strip();
  }

  @AfterEach
  void stopEverything() throws Exception {
    argocd.close();
    run(EXAMPLE.resolve("start.sh").toString(), "--stop", server.toString());
  }

  private Cli promote(String promotion, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", EXAMPLE.resolve("stage.yaml").toString(),
        "--steps", EXAMPLE.resolve("steps").toString(), "--var", "gitRepo=" + repoUrl,
        "--ctx", "project=kargo-demo", "--ctx", "stage=test", "--ctx", "promotion=" + promotion,
        "--record", dir.resolve(promotion + ".json").toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private PromotionRecord record(String promotion) throws Exception {
    return PromotionRecord.fromJson(Files.readString(dir.resolve(promotion + ".json")));
  }

  @Test
  void theStageRendersChecksInDockerPushesAndSyncsArgoCd() throws Exception {
    requireDockerAndTheImage();
    argocd.create(ArgoCdApplication.named("kargo-demo-test").repoURL(repoUrl).path(".").targetRevision("stage/test")
        .authorizedStage("kargo-demo:test"));
    argocd.controller().start(Duration.ofMillis(100));

    Cli cli = promote("test.01", "--runtime", "docker", "--argocd-kubeconfig",
        argocd.writeKubeconfig(dir.resolve("kubeconfig")).toString());

    System.out.println(cli.err); // the run as a user sees it, in the test's output file
    assertThat(cli.exitCode).as(cli.toString()).isZero();
    PromotionRecord record = record("test.01");
    assertThat(record.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(record.steps()).extracting(StepRecord::status).containsOnly(StepStatus.SUCCEEDED);
    StepRecord check = record.step("check").orElseThrow();
    assertThat(check.container().runtime()).isEqualTo("docker");
    assertThat(check.outputs()).isEqualTo(Map.of("images", "1"));
    String pushed = git("rev-parse", "stage/test").strip();
    assertThat(record.step("commit").orElseThrow().outputs()).isEqualTo(Map.of("commit", pushed));
    assertThat(git("show", "stage/test:manifests.yaml")).contains("image: ghcr.io/akuity/guestbook:v0.0.1")
        .contains("namespace: kargo-demo-test");
    assertThat(git("log", "-1", "--format=%B", "stage/test").strip())
        .isEqualTo("Updated ./src/base to use new image\n\n- ghcr.io/akuity/guestbook:v0.0.1");
    StepRecord sync = record.steps().get(record.steps().size() - 1);
    assertThat(sync.uses()).isEqualTo("argocd-update");
    assertThat(sync.outputs().get("healthCheck")).isEqualTo(Map.of("kind", "argocd-update", "input", Map.of("apps",
        List.of(Map.of("name", "kargo-demo-test", "namespace", "argocd", "desiredRevisions", List.of(pushed))))));
    Map<String, Object> app = argocd.application("kargo-demo-test");
    assertThat(at(app, "status", "operationState", "syncResult").get("revision")).isEqualTo(pushed);
    assertThat(at(app, "status", "operationState", "operation").get("info").toString()).contains("test.01");
    assertThat(cli.err).contains("[wait] step-8 (argocd-update) Running attempt 1")
        .contains("[end]  step-8 (argocd-update) Succeeded");
  }

  @Test
  void withoutAClusterTheSameStageRunsWithLocalProcessesAndSkipsOnlyArgoCd() throws Exception {
    Cli first = promote("test.01", "--runtime", "local", "--var", "syncArgoCD=false");
    Cli second = promote("test.02", "--runtime", "local", "--var", "syncArgoCD=false", "--var", "imageTag=v0.0.2");

    assertThat(first.exitCode).as(first.toString()).isZero();
    assertThat(second.exitCode).as(second.toString()).isZero();
    assertThat(first.err).contains("[skip] step-8 (argocd-update) Skipped").doesNotContain("Argo CD steps use");
    assertThat(record("test.02").step("check").orElseThrow().container().runtime()).isEqualTo("local");
    assertThat(git("log", "--format=%s", "stage/test").strip().split("\n")).containsExactly(
        "Updated ./src/base to use new image", "Updated ./src/base to use new image", "Initial commit");
    assertThat(git("show", "stage/test:manifests.yaml")).contains("image: ghcr.io/akuity/guestbook:v0.0.2");
  }

  @Test
  void theCustomStepFailsThePromotionOnALatestTagAndNothingIsPushedOrSynced() throws Exception {
    argocd.create(ArgoCdApplication.named("kargo-demo-test").repoURL(repoUrl).path(".").targetRevision("stage/test")
        .authorizedStage("kargo-demo:test"));

    Cli cli = promote("test.03", "--runtime", "local", "--var", "imageTag=latest", "--argocd-kubeconfig",
        argocd.writeKubeconfig(dir.resolve("kubeconfig")).toString());

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(1);
    PromotionRecord record = record("test.03");
    assertThat(record.phase()).as(record.toJson()).isEqualTo(PromotionPhase.FAILED);
    StepRecord check = record.step("check").orElseThrow();
    assertThat(check.status()).isEqualTo(StepStatus.FAILED);
    assertThat(check.attempts()).isEqualTo(1);
    assertThat(check.message()).startsWith("step \"check\": container of step \"manifest-check\" (image "
        + "promokit-example/busybox:1) exited with code 3, listed in failedExitCodes");
    assertThat(cli.err).contains("check | ./out/manifests.yaml: image ghcr.io/akuity/guestbook:latest uses the tag "
        + "latest");
    assertThat(record.step("push").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(git("log", "--format=%s", "stage/test").strip()).isEqualTo("Initial commit");
    assertThat(argocd.count("PATCH", "/applications/")).isZero();
  }

  private static void requireDockerAndTheImage() throws Exception {
    String problem = !DockerContainerRuntime.isAvailable() ? "no Docker daemon answers"
        : !imagePresent() ? "the image promokit-example/busybox:1 is missing (examples/gitops/start.sh builds it from "
            + "/bin/busybox: apt-get install busybox-static)" : null;
    if (problem == null) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("PROMOKIT_REQUIRE_DOCKER"))) {
      fail(problem + " (PROMOKIT_REQUIRE_DOCKER=true)");
    }
    Assumptions.abort("the Docker run of the GitOps example is skipped: " + problem
        + " (set PROMOKIT_REQUIRE_DOCKER=true to fail instead)");
  }

  private static boolean imagePresent() throws Exception {
    Process docker = new ProcessBuilder("docker", "image", "inspect", "promokit-example/busybox:1")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return docker.waitFor(30, TimeUnit.SECONDS) && docker.exitValue() == 0;
  }

  private String git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "--git-dir", server.resolve("kargo-demo.git").toString()));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  /**
   * Runs a command to its end and returns its output; bounded, so a process that ignores signals or never
   * ends fails the test instead of hanging the build (its process tree is killed).
   */
  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not end within 2 minutes");
    }
    String output = new String(out.get(2, TimeUnit.MINUTES), StandardCharsets.UTF_8);
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

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> json, String... path) {
    Object node = json;
    for (String key : path) {
      node = ((Map<String, Object>) node).get(key);
    }
    return (Map<String, Object>) node;
  }
}
