package io.promokit.steps.git;

import io.promokit.spi.ContainerSelector;
import io.promokit.spi.Leftover;
import io.promokit.spi.LeftoverSource;
import io.promokit.steps.kit.ProcessFolders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the git steps of a dead process left in the scratch directory: its per-attempt private folders (askpass
 * helpers, SSH keys, known hosts) and GnuPG homes, with the gpg-agent still serving a home (found by the
 * {@code GNUPGHOME} in its environment), which is killed before the home is deleted.
 */
final class GitLeftovers implements LeftoverSource {
  static final String GNUPG_HOME = "gnupg home";

  private final ProcessFolders privateFolders;
  private final ProcessFolders gnupgHomes;

  GitLeftovers(Path scratch) {
    this.privateFolders = ProcessFolders.source(scratch, "promokit-git-", "git folder");
    this.gnupgHomes = ProcessFolders.source(scratch, "promokit-gpg-", GNUPG_HOME, "GNUPGHOME");
  }

  @Override
  public List<Leftover> find(ContainerSelector selector) {
    List<Leftover> found = new ArrayList<>(privateFolders.find(selector));
    found.addAll(gnupgHomes.find(selector));
    return found;
  }

  @Override
  public boolean remove(Leftover leftover) {
    return (leftover.kind().equals(GNUPG_HOME) ? gnupgHomes : privateFolders).remove(leftover);
  }
}
