package io.promokit.steps.git;

import io.promokit.StepContext;
import java.nio.file.Path;

/**
 * An empty GnuPG home for a clone that does not sign: git may still run gpg to check the signatures of
 * commits it replays, and gpg must not make its files in the clone's HOME inside the working directory.
 */
final class VerifyHome implements AutoCloseable {

  private final PrivateFolder folder;

  private VerifyHome(PrivateFolder folder) {
    this.folder = folder;
  }

  static VerifyHome create(StepContext context, GitSettings settings) {
    return new VerifyHome(PrivateFolder.create(settings.scratchDirectory(), context.workdir(), "promokit-gpg-"));
  }

  Path path() {
    return folder.path();
  }

  @Override
  public void close() {
    folder.close();
  }
}
