package io.promokit.steps.git;

import io.promokit.internal.process.MarkedProcesses;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.Leftover;
import io.promokit.spi.LeftoverSource;
import io.promokit.steps.kit.ProcessFolders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the git steps of a dead process left in the scratch directory: its per-attempt private folders (askpass
 * helpers, SSH keys, known hosts) and GnuPG homes, with the gpg-agent still serving a home (found by the
 * {@code GNUPGHOME} in its environment), which is killed before the home is deleted.
 */
final class GitLeftovers implements LeftoverSource {
  private static final Duration AGENT_EXIT_WAIT = Duration.ofSeconds(5);

  private final List<ProcessFolders> sources;

  GitLeftovers(Path scratch) {
    this.sources = List.of(
        ProcessFolders.source(scratch, "promokit-git-", "git folder"),
        ProcessFolders.source(scratch, "promokit-gpg-", "gnupg home", GitLeftovers::stopAgents));
  }

  @Override
  public List<Leftover> find(ContainerSelector selector) {
    List<Leftover> found = new ArrayList<>();
    sources.forEach(source -> found.addAll(source.find(selector)));
    return found;
  }

  @Override
  public boolean remove(Leftover leftover) {
    ProcessFolders source = leftover.kind().equals("gnupg home") ? sources.get(1) : sources.get(0);
    return source.remove(leftover);
  }

  /** Kills the gpg-agent (and any other process) whose GNUPGHOME is the home. */
  private static void stopAgents(Path home) {
    for (ProcessHandle agent : MarkedProcesses.withMark("GNUPGHOME", home.toString())) {
      agent.destroyForcibly();
      try {
        agent.onExit().get(AGENT_EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // still exiting: the folder is deleted anyway, and the agent ends when its socket is gone
      }
    }
  }
}
