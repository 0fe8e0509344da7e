package io.promokit.steps.git;

import io.promokit.StepContext;
import io.promokit.StepException;

/** Finds the signing key of a clone that signs and opens a {@link GpgHome} with it for one attempt. */
final class Signing {

  private Signing() {}

  /** A GnuPG home with the clone's key, or null when the worktree's clone does not sign. */
  static GpgHome open(StepContext context, GitSettings settings, SigningKeys keys, Worktree worktree)
      throws InterruptedException {
    if (!worktree.signs()) {
      return null;
    }
    String key;
    if ("clone".equals(worktree.signingSource())) {
      key = keys.find(worktree.repository().bare()).orElseThrow(() -> StepException.terminal(
          "the clone of " + worktree.url() + " signs with the key its git-clone step was given, which promokit "
              + "keeps in memory only (never on disk), and this process does not have it; run git-clone again"));
    } else {
      key = settings.identity().signingKey();
      if (key == null) {
        throw StepException.terminal("the clone of " + worktree.url() + " signs with the host's signing key, "
            + "but these git steps have none (GitSteps.Builder.signingKey)");
      }
    }
    return GpgHome.open(context, settings, key, null);
  }
}
