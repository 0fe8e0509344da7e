package io.promokit.steps.git;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.ProcessResult;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.TypedStep;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code git-open-pr}: opens a pull request from {@code sourceBranch} to {@code targetBranch}, once. A retry or a
 * resumed promotion finds the pull request it opened in its own previous output ({@code pr.id}), or else among
 * the host's pull requests showing the source branch's head commit (open or merged ones); nothing to merge (equal
 * trees) is {@code Skipped} with no output. Output {@code pr.id}, {@code pr.url}.
 */
final class OpenPrStep implements TypedStep<OpenPrStep.Config> {

  /** The config; see the schema. */
  record Config(
      @JsonProperty("repoURL") String repoUrl,
      String sourceBranch,
      String targetBranch,
      String title,
      String description,
      List<String> labels,
      String provider,
      @JsonProperty("insecureSkipTLSVerify") Boolean insecureSkipTlsVerify,
      Boolean createTargetBranch) {

    List<String> labelList() {
      return labels == null ? List.of() : labels;
    }

    boolean skipTlsVerify() {
      return Boolean.TRUE.equals(insecureSkipTlsVerify);
    }
  }

  /**
   * Open pull requests first, then merged ones, then closed ones; newest first within each. A method, not a
   * constant: building the comparator spins JDK lambda classes (~4 ms on a cold JVM), which every command that
   * registers the git steps paid in class initialisation.
   */
  static Comparator<PullRequest> adoptionOrder() {
    return Comparator.comparing((PullRequest pr) -> pr.open() ? 0 : pr.merged() ? 1 : 2)
        .thenComparing(pr -> pr.createdAt() == null ? Instant.MIN : pr.createdAt(), Comparator.reverseOrder());
  }

  private final GitSettings settings;
  private final PullRequestProviders providers;

  private OpenPrStep(GitSettings settings, PullRequestProviders providers) {
    this.settings = settings;
    this.providers = providers;
  }

  static RegisteredStep definition(GitSettings settings, PullRequestProviders providers) {
    return StepDefinition.builder("git-open-pr")
        .schemaResource(GitSteps.class, "schemas/git-open-pr.json")
        .run(Config.class, new OpenPrStep(settings, providers))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    Optional<Long> previous = PullRequestResults.previousNumber(context);
    if (previous.isPresent()) {
      return reuse(context, config, previous.get());
    }
    try (PrivateFolder folder = PrivateFolder.create(settings.scratchDirectory(), context.workdir(), "promokit-pr-");
        RemoteAccess access = RemoteAccess.open(context, settings, config.repoUrl())) {
      Git git = Git.forClone(context, settings, folder.path()).with(access);
      Path checkout = folder.path().resolve("repo");
      cloneSource(git, folder.path(), checkout, config);
      String head = git.okQuiet("error getting last commit ID", checkout, "rev-parse", "HEAD");

      PullRequestProvider provider = provider(context, config);
      List<PullRequest> existing;
      try {
        existing = provider.list(config.sourceBranch(), config.targetBranch());
      } catch (ProviderException e) {
        if (e.isTransient()) {
          return PullRequestResults.retryLater(context, "error listing pull requests", e, Map.of());
        }
        throw PullRequestResults.error(context,
            "error determining if pull request already exists: error listing pull requests", e);
      }
      Optional<PullRequest> adopted = existing.stream().filter(pr -> pr.shows(head)).sorted(adoptionOrder())
          .findFirst().filter(pr -> pr.open() || pr.merged());
      if (adopted.isPresent()) {
        PullRequest pr = adopted.get();
        context.log().info("pull request " + pr.number() + " (" + (pr.open() ? "open" : "merged") + ") already shows "
            + config.sourceBranch() + " at " + head + ": " + pr.url());
        return StepResult.succeeded(PullRequestResults.opened(pr));
      }

      String message = git.okQuiet("error getting commit message from head of branch " + config.sourceBranch(),
          checkout, "log", "-n", "1", "--pretty=format:%B", "HEAD", "--");
      if (!targetExists(git, checkout, config)) {
        throw new StepException("target branch \"" + config.targetBranch() + "\" does not exist");
      }
      git.ok("error fetching branch " + config.targetBranch(), checkout, "fetch", "--quiet", "--no-tags", "--depth",
          "1", "origin", "+refs/heads/" + config.targetBranch() + ":refs/remotes/origin/" + config.targetBranch());
      if (!differ(git, checkout, config)) {
        return StepResult.skipped("nothing to merge: " + config.sourceBranch() + " and " + config.targetBranch()
            + " have the same files", Map.of());
      }
      return create(context, provider, config, message);
    }
  }

  /**
   * A retry: the pull request the step opened before (Kargo returns the saved output as it is). [ours] GitHub
   * takes labels in a call of their own after the pull request is opened: they are added again (an idempotent
   * call), so a failure between the two calls never loses them.
   */
  private StepResult reuse(StepContext context, Config config, long number) throws InterruptedException {
    Map<String, Object> saved = context.previousOutputs();
    if (!config.labelList().isEmpty()) {
      PullRequestProvider provider = provider(context, config);
      if (provider.labelsAfterCreation()) {
        try {
          provider.addLabels(number, config.labelList());
        } catch (ProviderException e) {
          if (e.isTransient()) {
            return PullRequestResults.retryLater(context, "error adding labels to pull request " + number, e, saved);
          }
          throw PullRequestResults.error(context, "error adding labels to pull request " + number, e)
              .withOutputs(saved);
        }
      }
    }
    context.log().info("pull request " + number + " was opened by an earlier attempt of this step");
    return StepResult.succeeded(saved);
  }

  private StepResult create(StepContext context, PullRequestProvider provider, Config config, String commitMessage)
      throws InterruptedException {
    NewPullRequest request = new NewPullRequest(config.sourceBranch(), config.targetBranch(),
        title(config, commitMessage), description(context, config, commitMessage), config.labelList());
    PullRequest pr;
    try {
      pr = provider.create(request);
    } catch (ProviderException e) {
      if (e.isTransient()) {
        // The host may have opened it all the same: the next attempt looks for it before opening one.
        return PullRequestResults.retryLater(context, "error creating pull request", e, Map.of());
      }
      throw PullRequestResults.error(context, "error creating pull request", e);
    }
    Map<String, Object> outputs = PullRequestResults.opened(pr);
    if (provider.labelsAfterCreation()) {
      try {
        provider.addLabels(pr.number(), config.labelList());
      } catch (ProviderException e) {
        if (e.isTransient()) {
          return PullRequestResults.retryLater(context, "error adding labels to pull request " + pr.number(), e,
              outputs);
        }
        throw PullRequestResults.error(context, "error adding labels to pull request " + pr.number(), e)
            .withOutputs(outputs);
      }
    }
    context.log().info("opened pull request " + pr.number() + " from " + config.sourceBranch() + " to "
        + config.targetBranch() + ": " + pr.url());
    return StepResult.succeeded(outputs);
  }

  private PullRequestProvider provider(StepContext context, Config config) {
    return providers.openForStep(context, config.repoUrl(), config.provider(), config.insecureSkipTlsVerify());
  }

  /**
   * {@code git clone --no-tags --branch <source> --depth 1}, outside the working directory. Skipping TLS
   * verification is written into the clone's config ({@code --config}), so that the later ls-remote and fetch
   * skip it too.
   */
  private static void cloneSource(Git git, Path home, Path checkout, Config config) throws InterruptedException {
    List<String> args = new ArrayList<>(List.of("clone", "--quiet", "--no-tags"));
    if (config.skipTlsVerify()) {
      args.addAll(List.of("--config", "http.sslVerify=false"));
    }
    args.addAll(List.of("--branch", config.sourceBranch(), "--depth", "1", "--",
        config.repoUrl(), checkout.toString()));
    git.ok("error cloning " + config.repoUrl(), home, args.toArray(String[]::new));
  }

  private static boolean targetExists(Git git, Path checkout, Config config) throws InterruptedException {
    ProcessResult listed = git.read(checkout, "ls-remote", "--heads", "--exit-code", "origin",
        "refs/heads/" + config.targetBranch());
    if (listed.exitCode() == 2) {
      return false;
    }
    if (!listed.succeeded()) {
      throw Git.failure("error checking if remote branch \"" + config.targetBranch() + "\" of repo "
          + config.repoUrl() + " exists", listed);
    }
    return true;
  }

  /** Whether the branches' trees differ ({@code git diff --quiet}: 0 equal, 1 different). */
  private static boolean differ(Git git, Path checkout, Config config) throws InterruptedException {
    String source = "origin/" + config.sourceBranch();
    String target = "origin/" + config.targetBranch();
    ProcessResult diff = git.read(checkout, "diff", "--quiet", source + ".." + target, "--");
    if (diff.exitCode() == 0 || diff.exitCode() == 1) {
      return diff.exitCode() == 1;
    }
    throw Git.failure("failed to check for changes between remote branches " + source + " and " + target, diff);
  }

  /** The title, else the first line of the head commit's message. */
  static String title(Config config, String commitMessage) {
    if (config.title() != null && !config.title().isEmpty()) {
      return config.title();
    }
    int newline = commitMessage.indexOf('\n');
    return newline < 0 ? commitMessage : commitMessage.substring(0, newline);
  }

  /**
   * The description, else (without a title) the message after its first line, or (with a title) the whole
   * message; then the host's UI link.
   */
  String description(StepContext context, Config config, String commitMessage) {
    String description;
    if (config.description() != null && !config.description().isEmpty()) {
      description = config.description();
    } else if (config.title() != null && !config.title().isEmpty()) {
      description = commitMessage;
    } else {
      int newline = commitMessage.indexOf('\n');
      description = newline < 0 ? "" : commitMessage.substring(newline + 1);
    }
    if (settings.uiBaseUrl() != null) {
      description = description + "\n\n[View in Kargo UI](" + settings.uiBaseUrl() + "/project/"
          + context.promotion().project() + "/stage/" + context.promotion().stage() + ")";
    }
    return description;
  }
}
