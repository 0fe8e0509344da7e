package io.promokit.steps.git;

import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepResult;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.TypedStep;

/**
 * {@code git-clear}: removes every file of a worktree from git and from disk ({@code git add .} then
 * {@code git rm -rf .}), keeping its {@code .git} file; untracked files git ignores survive, as in Kargo.
 */
final class ClearStep implements TypedStep<ClearStep.Config> {

  /** The config; see the schema. */
  record Config(String path) {}

  private final GitSettings settings;

  private ClearStep(GitSettings settings) {
    this.settings = settings;
  }

  static RegisteredStep definition(GitSettings settings) {
    return StepDefinition.builder("git-clear")
        .schemaResource(GitSteps.class, "schemas/git-clear.json")
        .run(Config.class, new ClearStep(settings))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    Worktree worktree = Worktree.load(context, settings, config.path(), "config.path");
    Git git = Git.forClone(context, settings, worktree.repository().home());
    git.ok("error staging the files of " + config.path(), worktree.dir(), "add", ".");
    git.ok("error clearing worktree " + config.path(), worktree.dir(), "rm", "-r", "-f", "--quiet",
        "--ignore-unmatch", "--", ".");
    return StepResult.succeeded();
  }
}
