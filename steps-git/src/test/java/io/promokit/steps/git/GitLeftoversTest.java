package io.promokit.steps.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.internal.process.MarkedProcesses;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.Leftover;
import io.promokit.spi.LeftoverSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What git steps of a killed process leave in the scratch directory, and how a reap removes it. */
class GitLeftoversTest {

  @TempDir Path scratch;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theFoldersAndTheGpgAgentOfADeadProcessAreRemovedAndThoseOfThisOneAreLeft() throws Exception {
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    Path gitFolder = Files.createDirectories(scratch.resolve("promokit-git-" + dead.pid() + "-111"));
    Files.writeString(gitFolder.resolve("askpass.sh"), "#!/bin/sh\n");
    Path gpgHome = Files.createDirectories(scratch.resolve("promokit-gpg-" + dead.pid() + "-222"));
    Files.setPosixFilePermissions(gpgHome, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    // A real gpg-agent serving the home, as a signing step of the killed process left it.
    ProcessBuilder agent = new ProcessBuilder("gpg-agent", "--daemon").redirectErrorStream(true).redirectOutput(
        ProcessBuilder.Redirect.DISCARD);
    agent.environment().put("GNUPGHOME", gpgHome.toString());
    assertThat(agent.start().waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<ProcessHandle> agents = MarkedProcesses.withMark("GNUPGHOME", gpgHome.toString());
    assertThat(agents).as("the gpg-agent").isNotEmpty();
    // This process's own folder (a step running now) is never a leftover.
    PrivateFolder live = PrivateFolder.create(scratch, Files.createDirectories(scratch.resolve("workdir")));
    LeftoverSource leftovers = GitSteps.leftovers(scratch);

    List<Leftover> found = leftovers.find(ContainerSelector.all());
    for (Leftover leftover : found) {
      assertThat(leftovers.remove(leftover)).isTrue();
    }

    assertThat(found).extracting(Leftover::kind, Leftover::name).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("git folder", gitFolder.toString()),
        org.assertj.core.groups.Tuple.tuple("gnupg home", gpgHome.toString()));
    assertThat(gitFolder).doesNotExist();
    assertThat(gpgHome).doesNotExist();
    assertThat(agents).allSatisfy(a -> assertThat(a.isAlive()).isFalse());
    assertThat(live.path()).isDirectory();
    assertThat(live.path().getFileName().toString()).startsWith("promokit-git-" + ProcessHandle.current().pid() + "-");
    live.close();
  }
}
