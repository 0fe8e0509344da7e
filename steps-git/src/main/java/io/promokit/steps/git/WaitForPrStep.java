package io.promokit.steps.git;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepResult;
import io.promokit.expressions.GoDuration;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.TypedStep;
import java.time.Duration;
import java.util.Map;

/**
 * {@code git-wait-for-pr}: reads a pull request; {@code Running} (checked again after {@code pollInterval},
 * default 30s) while it is open, {@code Failed} when it was closed without a merge, {@code Succeeded} once merged.
 * Output {@code pr.id}, {@code pr.url}, {@code pr.open}, {@code pr.merged} and, once merged, {@code commit}.
 */
final class WaitForPrStep implements TypedStep<WaitForPrStep.Config> {

  /** The config; see the schema. */
  record Config(
      @JsonProperty("repoURL") String repoUrl,
      Long prNumber,
      String provider,
      @JsonProperty("insecureSkipTLSVerify") Boolean insecureSkipTlsVerify,
      String pollInterval) {}

  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);

  private final PullRequestProviders providers;

  private WaitForPrStep(PullRequestProviders providers) {
    this.providers = providers;
  }

  static RegisteredStep definition(PullRequestProviders providers) {
    return StepDefinition.builder("git-wait-for-pr")
        .schemaResource(GitSteps.class, "schemas/git-wait-for-pr.json")
        .run(Config.class, new WaitForPrStep(providers))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    Duration poll = PullRequestResults.pollInterval(config.pollInterval(), DEFAULT_POLL_INTERVAL);
    long number = config.prNumber();
    PullRequestProvider provider =
        providers.openForStep(context, config.repoUrl(), config.provider(), config.insecureSkipTlsVerify());
    PullRequest pr;
    try {
      pr = provider.get(number);
    } catch (ProviderException e) {
      if (e.isTransient()) {
        return PullRequestResults.retryLater(context, "error getting pull request " + number, e,
            context.previousOutputs());
      }
      throw PullRequestResults.error(context, "error getting pull request " + number, e);
    }
    Map<String, Object> outputs = PullRequestResults.waited(pr);
    if (pr.open()) {
      return StepResult.running(poll, outputs, "pull request " + number + " is open; checking again in "
          + GoDuration.format(poll));
    }
    if (!pr.merged()) {
      return StepResult.failed("pull request " + number + " was closed without being merged", outputs);
    }
    context.log().info("pull request " + number + " was merged" + (pr.mergeCommitSha().isEmpty() ? ""
        : " as " + pr.mergeCommitSha()));
    return StepResult.succeeded(outputs);
  }
}
