package io.promokit.steps.git;

import java.nio.file.Path;

/**
 * A clone as {@code git-clone} lays it out in the working directory: a home folder ({@code repo-XXXX})
 * holding the clone's {@code .gitconfig} (identity, signing, TLS settings; never a credential) and the bare
 * repository {@code repo/}, whose linked worktrees are the checkouts. Later steps find it again from a
 * worktree's {@code .git} file.
 *
 * @param home the clone's HOME for every git process
 * @param bare the bare repository
 */
record Clone(Path home, Path bare) {

  /** The bare repository's folder name inside the home. */
  static final String BARE = "repo";

  /** Where the signing key comes from, in the clone's config: {@code host} or {@code clone}. */
  static final String SIGNING_SOURCE_KEY = "promokit.signingKeySource";

  static Clone inHome(Path home) {
    return new Clone(home, home.resolve(BARE));
  }

  /** The clone's global git config. */
  Path gitconfig() {
    return home.resolve(".gitconfig");
  }
}
