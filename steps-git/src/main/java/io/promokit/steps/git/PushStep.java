package io.promokit.steps.git;

import io.promokit.BackoffPolicy;
import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.ProcessResult;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.TypedStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code git-push}: pushes the worktree's HEAD to a remote branch, first integrating what the remote branch
 * gained (by the integration policy), retrying with Kargo's backoff while the push loses races
 * (non-fast-forward), up to {@code maxAttempts}; or pushes one tag. Outputs {@code commit} (HEAD),
 * {@code branch} and, for a known host, {@code commitURL}.
 */
final class PushStep implements TypedStep<PushStep.Config> {

  /** The config; see the schema. */
  record Config(String path, String targetBranch, Boolean generateTargetBranch, String tag, Boolean force,
      Integer maxAttempts, String provider) {}

  static final int DEFAULT_MAX_ATTEMPTS = 10;

  private final GitSettings settings;
  private final SigningKeys signingKeys;
  private final PushLocks locks;
  private final BackoffPolicy backoff;

  private PushStep(GitSettings settings, SigningKeys signingKeys, PushLocks locks) {
    this.settings = settings;
    this.signingKeys = signingKeys;
    this.locks = locks;
    this.backoff = settings.pushBackoff();
  }

  static RegisteredStep definition(GitSettings settings, SigningKeys signingKeys, PushLocks locks) {
    return StepDefinition.builder("git-push")
        .schemaResource(GitSteps.class, "schemas/git-push.json")
        .run(Config.class, new PushStep(settings, signingKeys, locks))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    Worktree worktree = Worktree.load(context, settings, config.path(), "config.path");
    boolean force = Boolean.TRUE.equals(config.force());
    String target = config.targetBranch() == null ? "" : config.targetBranch();
    if (Boolean.TRUE.equals(config.generateTargetBranch())) {
      String promotion = context.promotion().promotion();
      if (promotion == null || promotion.isBlank()) {
        throw new InvalidConfigException("config.generateTargetBranch: the branch is named after the promotion "
            + "(kargo/promotion/<promotion>), but this promotion has no name (ctx.promotion)");
      }
      target = "kargo/promotion/" + promotion;
      force = true; // the branch belongs to this promotion: a rerun may replace it
    }
    String tag = config.tag() == null || config.tag().isEmpty() ? null : config.tag();
    try (RemoteAccess access = RemoteAccess.open(context, settings, worktree.url());
        GpgHome gpg = Signing.open(context, settings, signingKeys, worktree);
        VerifyHome verifyHome = gpg == null && checksSignatures() ? VerifyHome.create(context, settings) : null) {
      Git git = Git.forClone(context, settings, worktree.repository().home()).with(access);
      if (gpg != null) {
        git = git.with(gpg);
      } else if (verifyHome != null) {
        git = git.withGnupgHome(verifyHome.path());
      }
      if (target.isEmpty()) {
        target = git.okQuiet("error getting current branch", worktree.dir(), "branch", "--show-current").strip();
      }
      if (tag != null) {
        git.ok("error pushing tag " + tag, worktree.dir(), "push", "--quiet", "origin",
            "refs/tags/" + tag + ":refs/tags/" + tag);
      } else {
        if (target.isEmpty()) {
          throw new StepException("error pushing commits to remote: " + config.path() + " is on no branch "
              + "(detached HEAD); give targetBranch");
        }
        try {
          pushBranch(context, git, worktree, target, force, config.maxAttempts());
        } catch (PushIntegration.Refused e) {
          return StepResult.failed(e.getMessage());
        }
      }
      String commit = git.okQuiet("error getting last commit ID", worktree.dir(), "rev-parse", "HEAD");
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("commit", commit);
      if (!target.isEmpty()) {
        outputs.put("branch", target);
      }
      commitUrl(config, worktree.url(), commit).ifPresent(url -> outputs.put("commitURL", url));
      return StepResult.succeeded(outputs);
    }
  }

  private void pushBranch(StepContext context, Git git, Worktree worktree, String branch, boolean force,
      Integer maxAttempts) throws InterruptedException, PushIntegration.Refused {
    int attempts = maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
    PushIntegration integration = new PushIntegration(git, worktree, branch);
    // Not --quiet: git then leaves out the " ! [rejected] ... (fetch first)" lines a lost race is known by.
    List<String> args = new ArrayList<>(List.of("push", "origin", "HEAD:refs/heads/" + branch));
    if (force) {
      args.add("--force");
    }
    for (int attempt = 1; ; attempt++) {
      ProcessResult pushed;
      ReentrantLock lock = locks.forBranch(worktree.url(), branch);
      lock.lockInterruptibly();
      try {
        if (!force) {
          integration.integrate(settings.pushPolicy());
        }
        pushed = git.run(worktree.dir(), args.toArray(String[]::new));
      } finally {
        lock.unlock();
      }
      if (pushed.succeeded()) {
        return;
      }
      if (!NonFastForward.isRejection(pushed.stderrTail())) {
        throw Git.failure("error pushing commits to remote", pushed);
      }
      if (attempt >= attempts) {
        throw new StepException("error pushing commits to remote: the push to " + branch + " was rejected "
            + attempt + (attempt == 1 ? " time" : " times") + " because the remote branch moved (maxAttempts "
            + attempts + ")" + Git.explain(pushed.stderrTail()));
      }
      Duration delay = backoff.delay(attempt);
      context.log().info("the push to " + branch + " lost a race (the remote branch moved); integrating again in "
          + delay.toMillis() + " ms (attempt " + (attempt + 1) + " of " + attempts + ")");
      context.sleep(delay);
    }
  }

  /** Whether the policy reads commit signatures (git runs gpg to verify them). */
  private boolean checksSignatures() {
    return settings.pushPolicy() == GitSteps.PushIntegrationPolicy.REBASE_OR_MERGE
        || settings.pushPolicy() == GitSteps.PushIntegrationPolicy.REBASE_OR_FAIL;
  }

  /** Kargo's commit URL for the repository's host (by {@code provider}, else by the URL's host name). */
  private static Optional<String> commitUrl(Config config, String url, String commit) {
    Optional<GitHost> host = config.provider() != null ? GitHost.named(config.provider()) : GitHost.infer(url);
    return host.flatMap(h -> h.commitUrl(url, commit));
  }
}
