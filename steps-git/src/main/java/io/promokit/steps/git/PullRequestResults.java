package io.promokit.steps.git;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.expressions.GoDuration;
import io.promokit.steps.kit.ConfigDurations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the pull-request steps answer: Kargo's outputs ({@code pr.id}, {@code pr.url}, {@code pr.open},
 * {@code pr.merged}, {@code commit}), the pull request number a previous attempt saved, and [ours] a transient
 * host error ({@link ProviderException#isTransient()}) as {@code Running} with the delay the host asked for (the
 * engine's backoff otherwise), so a network hiccup, a 429 or a 5xx never uses up the step's error threshold.
 */
final class PullRequestResults {

  private PullRequestResults() {}

  /** {@code git-open-pr}'s output: {@code {pr: {id, url}}}. */
  static Map<String, Object> opened(PullRequest pr) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", pr.number());
    fields.put("url", pr.url());
    return Map.of("pr", fields);
  }

  /** {@code git-wait-for-pr}'s output: {@code {pr: {id, url, open, merged}, commit?}} (commit once merged). */
  static Map<String, Object> waited(PullRequest pr) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", pr.number());
    fields.put("url", pr.url());
    fields.put("open", pr.open());
    fields.put("merged", pr.merged());
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("pr", fields);
    if (!pr.mergeCommitSha().isEmpty()) {
      outputs.put("commit", pr.mergeCommitSha());
    }
    return outputs;
  }

  /**
   * The pull request number an earlier attempt of this step saved in its output ({@code pr.id}), Kargo's shared
   * state.
   *
   * @throws StepException (retryable, as Kargo) when the saved output is not a map or its id is not a number
   */
  static Optional<Long> previousNumber(StepContext context) {
    Map<String, Object> previous = context.previousOutputs();
    if (previous.isEmpty() || !(previous.get("pr") instanceof Map<?, ?> pr) || !pr.containsKey("id")) {
      return Optional.empty();
    }
    if (pr.get("id") instanceof Number number) {
      return Optional.of(number.longValue());
    }
    throw new StepException("error getting PR number from shared state: PR ID in output from step with alias \""
        + context.alias() + "\" is not an int64");
  }

  /** The step's {@code pollInterval} (a positive Go duration), else its default. */
  static Duration pollInterval(String configured, Duration fallback) {
    return configured == null ? fallback : ConfigDurations.positive(configured, "config.pollInterval");
  }

  /** A transient host error as {@code Running}: tried again after the host's delay, or the engine's. */
  static StepResult retryLater(StepContext context, String doing, ProviderException e, Map<String, ?> outputs) {
    String when = e.retryAfter().map(d -> "in " + GoDuration.format(d) + " (as the host asked)").orElse("later");
    String message = doing + ": " + context.masker().mask(e.getMessage()) + "; trying again " + when;
    context.log().info(message);
    return StepResult.running(e.retryAfter().orElse(null), outputs, message);
  }

  /** A host error that is not transient, as Kargo's retryable error ({@code Errored} at the error threshold). */
  static StepException error(StepContext context, String doing, RuntimeException e) {
    return new StepException(doing + ": " + context.masker().mask(String.valueOf(e.getMessage())), e);
  }
}
