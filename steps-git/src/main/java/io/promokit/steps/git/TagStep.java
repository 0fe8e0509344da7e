package io.promokit.steps.git;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
 * {@code git-tag}: an annotated tag at the worktree's HEAD, signed when the clone signs. Output
 * {@code commit}: the tagged commit (not the tag object), as in Kargo.
 */
final class TagStep implements TypedStep<TagStep.Config> {

  /** The config; unknown fields are tolerated, as Kargo's schema for this step does. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Config(String path, String tag, String message, Boolean force) {}

  private final GitSettings settings;
  private final SigningKeys signingKeys;

  private TagStep(GitSettings settings, SigningKeys signingKeys) {
    this.settings = settings;
    this.signingKeys = signingKeys;
  }

  static RegisteredStep definition(GitSettings settings, SigningKeys signingKeys) {
    return StepDefinition.builder("git-tag")
        .schemaResource(GitSteps.class, "schemas/git-tag.json")
        .run(Config.class, new TagStep(settings, signingKeys))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    Worktree worktree = Worktree.load(context, settings, config.path(), "config.path");
    try (GpgHome gpg = Signing.open(context, settings, signingKeys, worktree)) {
      Git git = Git.forClone(context, settings, worktree.repository().home());
      if (gpg != null) {
        git = git.with(gpg);
      }
      List<String> args = new ArrayList<>(List.of("tag", "--annotate", "--file=-"));
      if (Boolean.TRUE.equals(config.force())) {
        args.add("--force");
      }
      args.add("--");
      args.add(config.tag());
      ProcessResult tagged = git.runWithInput(worktree.dir(), config.message(), args.toArray(String[]::new));
      if (!tagged.succeeded()) {
        throw Git.failure("error creating tag " + config.tag(), tagged);
      }
      String head = git.okQuiet("error obtaining ID of last commit", worktree.dir(), "rev-parse", "HEAD");
      return StepResult.succeeded(Map.of("commit", head));
    }
  }
}
