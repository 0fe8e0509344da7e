package io.promokit.steps.git;

import io.promokit.BackoffPolicy;
import io.promokit.PromotionContext;
import io.promokit.RegisteredStep;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import io.promokit.testkit.TestStepContext;
import io.promokit.testkit.gitops.BareRepository;
import io.promokit.testkit.gitops.GitHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What most git step tests share: a real smart-HTTP git server on 127.0.0.1 behind basic auth, serving
 * {@code promokit/app.git} (one commit on {@code main}), a working directory, a scratch directory for the
 * steps' private files, and git steps holding the server's credentials.
 */
final class GitFixture implements AutoCloseable {

  static final String USER = "alice";
  static final String REPO = "promokit/app.git";

  final Path root;
  final Path served;
  final Path workdir;
  final Path scratch;
  final String password = "pw-" + UUID.randomUUID();
  final BareRepository repo;
  final String firstCommit;
  final GitHttpServer server;
  final String url;

  GitFixture(Path root) {
    this(root, b -> { });
  }

  GitFixture(Path root, Consumer<GitHttpServer.Builder> server) {
    try {
      this.root = root;
      this.served = Files.createDirectories(root.resolve("served"));
      this.workdir = Files.createDirectories(root.resolve("workdir")).toRealPath();
      this.scratch = Files.createDirectories(root.resolve("scratch"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.repo = BareRepository.create(served.resolve(REPO));
    this.firstCommit = repo.commit("main", "initial", Map.of(
        "README.md", "hello\n",
        "apps/shop/values.yaml", "image:\n  tag: v1.0.0\n"));
    GitHttpServer.Builder builder = GitHttpServer.builder(served).user(USER, password);
    server.accept(builder);
    this.server = builder.start();
    this.url = this.server.url(REPO);
  }

  CredentialsProvider credentials() {
    return CredentialsProvider.builder()
        .add(CredentialType.GIT, url, Credentials.usernamePassword(USER, password))
        .build();
  }

  /** Git steps with the server's credentials, plain HTTP allowed, fast retries, no host environment. */
  GitSteps.Builder stepsBuilder() {
    return GitSteps.builder()
        .credentials(credentials())
        .allowCredentialsOverHttp(true)
        .environment(Map.of())
        .scratchDirectory(scratch)
        .pushRetryBackoff(BackoffPolicy.fixed(Duration.ofMillis(20)));
  }

  GitSteps steps() {
    return stepsBuilder().build();
  }

  /**
   * One attempt of a step: its result, or the error it threw (which the engine records as {@code Errored}),
   * and the context it ran with (its log, its masker).
   */
  record Attempt(StepResult result, StepException error, TestStepContext context) {

    StepStatus status() {
      return error != null ? StepStatus.ERRORED : result.status();
    }

    String message() {
      return error != null ? error.getMessage() : result.message();
    }

    Map<String, Object> outputs() {
      return error != null ? Map.of() : result.outputs();
    }

    @Override
    public String toString() {
      return status() + ": " + message() + "\n" + String.join("\n", context.lines());
    }
  }

  Attempt run(GitSteps steps, String name, Map<String, ?> config) throws Exception {
    return run(steps, name, config, PromotionContext.builder().project("shop").stage("prod")
        .promotion("fake-promotion").build());
  }

  Attempt run(GitSteps steps, String name, Map<String, ?> config, PromotionContext promotion) throws Exception {
    RegisteredStep step = steps.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    TestStepContext context = TestStepContext.builder(workdir)
        .alias(name)
        .stepName(name)
        .config(config)
        .promotion(promotion)
        .build();
    try {
      return new Attempt(context.run(step), null, context);
    } catch (StepException e) {
      return new Attempt(null, e, context);
    }
  }

  /** git-clone of main into {@code path} with the fixture's steps; fails the test unless it succeeds. */
  Attempt cloneMain(GitSteps steps, String path) throws Exception {
    Attempt clone = run(steps, "git-clone", Map.of("repoURL", url, "checkout", List.of(Map.of("branch", "main", "path", path))));
    if (clone.status() != StepStatus.SUCCEEDED) {
      throw new AssertionError("git-clone failed: " + clone);
    }
    return clone;
  }

  /** Leftovers of the steps' private folders (askpass helpers, keys, GnuPG homes). */
  List<Path> scratchLeftovers() throws IOException {
    try (Stream<Path> entries = Files.list(scratch)) {
      return entries.toList();
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
