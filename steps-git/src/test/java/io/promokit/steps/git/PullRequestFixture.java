package io.promokit.steps.git;

import io.promokit.PromotionContext;
import io.promokit.RegisteredStep;
import io.promokit.StepException;
import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import io.promokit.testkit.TestStepContext;
import io.promokit.testkit.gitops.BareRepository;
import io.promokit.testkit.gitops.CommitSpec;
import io.promokit.testkit.gitops.GitProviderFake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the pull-request step tests share: a {@link GitProviderFake} of one kind holding {@code app} (one commit
 * on {@code main}), a working directory, a scratch directory, and git steps holding the fake's token as the
 * repository's password. Only Bitbucket needs the API base given (its API host is fixed); the others derive it
 * from the repository URL, as Kargo does.
 */
final class PullRequestFixture implements AutoCloseable {

  static final PromotionContext PROMOTION = PromotionContext.builder().project("shop").stage("prod")
      .promotion("prod-42").build();

  final GitProviderFake.Kind kind;
  final GitProviderFake fake;
  final String repoName;
  final BareRepository repo;
  final String url;
  final Path workdir;
  final Path scratch;

  PullRequestFixture(GitProviderFake.Kind kind, Path root) {
    this(kind, root, b -> { });
  }

  PullRequestFixture(GitProviderFake.Kind kind, Path root, java.util.function.Consumer<GitProviderFake.Builder> options) {
    this.kind = kind;
    try {
      this.workdir = Files.createDirectories(root.resolve("workdir")).toRealPath();
      this.scratch = Files.createDirectories(root.resolve("scratch"));
      GitProviderFake.Builder builder = GitProviderFake.builder(kind, Files.createDirectories(root.resolve("host")));
      options.accept(builder);
      this.fake = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.repoName = switch (kind) {
      case AZURE -> "acme/shop/app";
      case GITLAB -> "acme/platform/app";
      default -> "acme/app";
    };
    this.repo = fake.createRepository(repoName);
    repo.commit("main", "initial", Map.of("README.md", "hello\n", "apps/shop/values.yaml", "image:\n  tag: v1.0.0\n"));
    this.url = fake.repoUrl(repoName);
  }

  CredentialsProvider credentials(String token) {
    return CredentialsProvider.builder()
        .add(CredentialType.GIT, url, Credentials.usernamePassword("promotion-bot", token))
        .build();
  }

  /** Git steps with the fake's token, plain HTTP allowed, no host environment. */
  GitSteps.Builder stepsBuilder() {
    return stepsBuilder(fake.token());
  }

  GitSteps.Builder stepsBuilder(String token) {
    GitSteps.Builder builder = GitSteps.builder()
        .credentials(credentials(token))
        .allowCredentialsOverHttp(true)
        .environment(Map.of())
        .scratchDirectory(scratch);
    if (kind == GitProviderFake.Kind.BITBUCKET) {
      builder.providerApi("bitbucket", fake.apiBase());
    }
    return builder;
  }

  GitSteps steps() {
    return stepsBuilder().build();
  }

  /** A promotion branch off main with one commit that changes the image tag. */
  String promotionBranch(String branch, String message, String tag) {
    return repo.commit(CommitSpec.on(branch).from("main").message(message)
        .write("apps/shop/values.yaml", "image:\n  tag: " + tag + "\n")).get(0);
  }

  /** git-open-pr's config from a branch to main, with more fields as name-value pairs. */
  Map<String, Object> openConfig(String source, Object... more) {
    return with(Map.of("repoURL", url, "sourceBranch", source, "targetBranch", "main", "provider", kind.providerName()),
        more);
  }

  /** git-wait-for-pr's or git-merge-pr's config for a number, with more fields as name-value pairs. */
  Map<String, Object> prConfig(long number, Object... more) {
    return with(Map.of("repoURL", url, "prNumber", number, "provider", kind.providerName()), more);
  }

  static Map<String, Object> with(Map<String, ?> base, Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>(base);
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  GitFixture.Attempt run(GitSteps steps, String name, Map<String, ?> config) throws Exception {
    return run(steps, name, config, Map.of());
  }

  /** One attempt of a step, with what an earlier attempt left as its previous outputs. */
  GitFixture.Attempt run(GitSteps steps, String name, Map<String, ?> config, Map<String, ?> previousOutputs)
      throws Exception {
    RegisteredStep step = steps.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    TestStepContext context = TestStepContext.builder(workdir)
        .alias(name)
        .stepName(name)
        .config(config)
        .promotion(PROMOTION)
        .previousOutputs(previousOutputs)
        .build();
    try {
      return new GitFixture.Attempt(context.run(step), null, context);
    } catch (StepException e) {
      return new GitFixture.Attempt(null, e, context);
    }
  }

  /** The web page of pull request {@code n} as the fake's host shows it. */
  String pullRequestUrl(long n) {
    String origin = fake.origin();
    return switch (kind) {
      case GITHUB -> origin + "/" + repoName + "/pull/" + n;
      case GITLAB -> origin + "/" + repoName + "/-/merge_requests/" + n;
      case GITEA -> origin + "/" + repoName + "/pulls/" + n;
      case AZURE -> origin + "/acme/shop/_git/app/pullrequest/" + n;
      case BITBUCKET -> origin + "/" + repoName + "/pull-requests/" + n;
    };
  }

  /** The API path of pull request {@code n}, as messages name it. */
  String pullRequestPath(long n) {
    return switch (kind) {
      case GITHUB -> "/api/v3/repos/acme/app/pulls/" + n;
      case GITLAB -> "/api/v4/projects/acme%2Fplatform%2Fapp/merge_requests/" + n;
      case GITEA -> "/api/v1/repos/acme/app/pulls/" + n;
      case AZURE -> "/acme/shop/_apis/git/repositories/app/pullrequests/" + n;
      case BITBUCKET -> "/2.0/repositories/acme/app/pullrequests/" + n;
    };
  }

  /** The host's name in messages. */
  String hostName() {
    return switch (kind) {
      case GITHUB -> "GitHub";
      case GITLAB -> "GitLab";
      case GITEA -> "Gitea";
      case AZURE -> "Azure DevOps";
      case BITBUCKET -> "Bitbucket";
    };
  }

  /** Leftovers of the steps' private folders (clones, askpass helpers). */
  List<Path> scratchLeftovers() throws IOException {
    try (Stream<Path> entries = Files.list(scratch)) {
      return entries.toList();
    }
  }

  @Override
  public void close() {
    fake.close();
  }
}
