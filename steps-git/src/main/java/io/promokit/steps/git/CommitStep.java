package io.promokit.steps.git;

import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepResult;
import io.promokit.steps.kit.ProcessResult;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.TypedStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code git-commit}: stages every change of a worktree and commits it with the clone's identity (signed
 * when the clone signs). Output {@code commit}: the new HEAD, or the unchanged HEAD when there was nothing
 * to commit (Kargo's status there is {@code Skipped}; promokit's step kit has no skipped result with
 * outputs yet, so the step succeeds and says so in its log). The deprecated {@code author} block commits as someone else,
 * unsigned unless it brings its own key (Kargo's behaviour).
 */
final class CommitStep implements TypedStep<CommitStep.Config> {

  /** The config; see the schema. */
  record Config(String path, String message, CloneStep.Author author) {}

  private final GitSettings settings;
  private final SigningKeys signingKeys;

  private CommitStep(GitSettings settings, SigningKeys signingKeys) {
    this.settings = settings;
    this.signingKeys = signingKeys;
  }

  static RegisteredStep definition(GitSettings settings, SigningKeys signingKeys) {
    return StepDefinition.builder("git-commit")
        .schemaResource(GitSteps.class, "schemas/git-commit.json")
        .run(Config.class, new CommitStep(settings, signingKeys))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    Worktree worktree = Worktree.load(context, settings, config.path(), "config.path");
    Git git = Git.forClone(context, settings, worktree.repository().home());
    git.ok("error staging changes for commit", worktree.dir(), "add", ".");
    String status = git.okQuiet("error checking status of branch", worktree.dir(), "status", "--porcelain");
    if (status.isBlank()) {
      String head = git.okQuiet("error obtaining ID of last commit", worktree.dir(), "rev-parse", "HEAD");
      // As Kargo: Skipped, with the unchanged HEAD as the output.
      return StepResult.skipped("nothing to commit in " + config.path() + "; HEAD stays at " + head,
          Map.of("commit", head));
    }
    CloneStep.Author author = config.author();
    boolean ownKey = author != null && author.signingKey() != null && !author.signingKey().isEmpty();
    try (GpgHome gpg = ownKey
        ? GpgHome.open(context, settings, author.signingKey(), "config.author.signingKey")
        : author == null ? Signing.open(context, settings, signingKeys, worktree) : null) {
      List<String> args = new ArrayList<>();
      if (author != null) {
        // The deprecated author block: this commit only, with its own identity and signing.
        args.addAll(List.of("-c", "user.name=" + author.name(), "-c", "user.email=" + author.email()));
        if (gpg != null) {
          args.addAll(List.of("-c", "user.signingKey=" + gpg.fingerprint(), "-c", "gpg.program=" + settings.gpgBinary(),
              "-c", "commit.gpgSign=true"));
        } else {
          args.addAll(List.of("-c", "commit.gpgSign=false"));
        }
      }
      args.addAll(List.of("commit", "--quiet", "--file=-"));
      Git committing = gpg != null ? git.with(gpg) : git;
      ProcessResult committed = committing.runWithInput(worktree.dir(), config.message(), args.toArray(String[]::new));
      if (!committed.succeeded()) {
        throw Git.failure("error committing changes", committed);
      }
    }
    String head = git.okQuiet("error obtaining ID of last commit", worktree.dir(), "rev-parse", "HEAD");
    return StepResult.succeeded(Map.of("commit", head));
  }
}
