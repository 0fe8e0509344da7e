package io.promokit.testkit.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitDaemonTest {

  @TempDir
  Path tmp;

  @Test
  void servesAnonymousReadsOnly() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("served"));
    BareRepository repo = BareRepository.create(root.resolve("app.git"));
    repo.commit("main", "initial", Map.of("README.md", "hello\n"));
    long daemonPid;
    try (GitDaemon daemon = GitDaemon.start(root)) {
      daemonPid = ProcessHandle.current().children().filter(p -> p.info().commandLine().orElse("").contains("daemon"))
          .findFirst().map(ProcessHandle::pid).orElse(-1L);
      TestGit.git(tmp, "clone", "-q", daemon.url(repo), "work");
      Path work = tmp.resolve("work");
      assertThat(work.resolve("README.md")).hasContent("hello");
      TestGit.git(work, "commit", "-q", "--allow-empty", "-m", "anonymous");

      TestGit.Result push = TestGit.run(work, java.util.Map.of(), "push", "origin", "HEAD:main");

      assertThat(push.exitCode()).isNotZero();
      assertThat(repo.messages("main")).containsExactly("initial");
    }
    assertThat(daemonPid).isPositive();
    assertThat(ProcessHandle.of(daemonPid).map(ProcessHandle::isAlive)).isIn(java.util.Optional.empty(), java.util.Optional.of(false));
  }
}
