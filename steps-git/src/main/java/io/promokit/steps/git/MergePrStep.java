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
 * {@code git-merge-pr}: merges a pull request with the host's {@code mergeMethod}. Not ready yet: with
 * {@code wait}, {@code Running} (tried again after {@code pollInterval}, default 10s), else {@code Failed}. A
 * host's refusal is {@code Failed} at once, as in Kargo; [ours] a transient host error is {@code Running}
 * (Kargo fails the step). Output {@code commit}: the merge commit (may be empty).
 */
final class MergePrStep implements TypedStep<MergePrStep.Config> {

  /** The config; see the schema. */
  record Config(
      @JsonProperty("repoURL") String repoUrl,
      Long prNumber,
      String provider,
      @JsonProperty("insecureSkipTLSVerify") Boolean insecureSkipTlsVerify,
      @JsonProperty("wait") Boolean waitForReady,
      String pollInterval,
      String mergeMethod) {}

  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

  private final PullRequestProviders providers;

  private MergePrStep(PullRequestProviders providers) {
    this.providers = providers;
  }

  static RegisteredStep definition(PullRequestProviders providers) {
    return StepDefinition.builder("git-merge-pr")
        .schemaResource(GitSteps.class, "schemas/git-merge-pr.json")
        .run(Config.class, new MergePrStep(providers))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    Duration poll = PullRequestResults.pollInterval(config.pollInterval(), DEFAULT_POLL_INTERVAL);
    long number = config.prNumber();
    PullRequestProvider provider =
        providers.openForStep(context, config.repoUrl(), config.provider(), config.insecureSkipTlsVerify());
    MergeResult result;
    try {
      result = provider.merge(number, config.mergeMethod() == null ? "" : config.mergeMethod());
    } catch (ProviderException e) {
      if (e.isTransient()) {
        return PullRequestResults.retryLater(context, "error merging pull request " + number, e, Map.of());
      }
      return StepResult.failed("error merging pull request " + number + ": "
          + context.masker().mask(String.valueOf(e.getMessage())));
    }
    if (result instanceof MergeResult.NotReady notReady) {
      if (Boolean.TRUE.equals(config.waitForReady())) {
        return StepResult.running(poll, Map.of(), "pull request " + number + " is not ready to merge ("
            + notReady.why() + "); trying again in " + GoDuration.format(poll));
      }
      return StepResult.failed("pull request " + number + " is not ready to merge and wait is disabled ("
          + notReady.why() + ")");
    }
    PullRequest merged = ((MergeResult.Merged) result).pullRequest();
    context.log().info("pull request " + number + " is merged" + (merged.mergeCommitSha().isEmpty() ? ""
        : " as " + merged.mergeCommitSha()));
    return StepResult.succeeded(Map.of("commit", merged.mergeCommitSha()));
  }
}
