package io.promokit.testkit.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSshServerTest {

  @TempDir
  Path tmp;

  private Path root;
  private BareRepository repo;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(tmp.resolve("served"));
    repo = BareRepository.create(root.resolve("app.git"));
    repo.commit("main", "initial", Map.of("README.md", "hello\n"));
  }

  private Map<String, String> sshWith(TestSshKey key, String name) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, key.privateKey());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return Map.of("GIT_SSH_COMMAND", "ssh -F /dev/null -i " + file
        + " -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
        + " -o BatchMode=yes");
  }

  private static String ok(Path dir, Map<String, String> env, String... args) {
    TestGit.Result r = TestGit.run(dir, env, args);
    if (r.exitCode() != 0) {
      throw new AssertionError("git " + String.join(" ", args) + " failed: " + r.stderr());
    }
    return r.stdout();
  }

  @Test
  void clonesAndPushesWithTheAuthorizedKey() throws Exception {
    TestSshKey key = TestSshKey.generate(tmp.resolve("keys"));
    try (GitSshServer server = GitSshServer.builder(root).authorizedKey(key).stateDir(tmp.resolve("state")).start()) {
      Map<String, String> git = sshWith(key, "id");
      ok(tmp, git, "clone", "-q", server.url(repo), "work");
      Path work = tmp.resolve("work");
      assertThat(work.resolve("README.md")).hasContent("hello");
      ok(work, git, "commit", "-q", "--allow-empty", "-m", "pushed over ssh");
      ok(work, git, "push", "-q", "origin", "HEAD:main");

      assertThat(repo.messages("main")).containsExactly("pushed over ssh", "initial");
      assertThat(server.commands()).contains("git-upload-pack '/app.git'", "git-receive-pack '/app.git'");
    }
  }

  @Test
  void refusesAnUnknownKey() throws Exception {
    TestSshKey allowed = TestSshKey.generate(tmp.resolve("allowed"));
    TestSshKey other = TestSshKey.generate(tmp.resolve("other"));
    try (GitSshServer server = GitSshServer.builder(root).authorizedKey(allowed).start()) {
      TestGit.Result clone = TestGit.run(tmp, sshWith(other, "other-id"), "clone", "-q", server.url(repo), "work");

      assertThat(clone.exitCode()).isNotZero();
      assertThat(clone.stderr()).contains("Permission denied (publickey)");
      assertThat(server.commands()).isEmpty();
    }
  }

  @Test
  void refusesOtherCommandsAndPathsOutsideTheRoot() throws Exception {
    TestSshKey key = TestSshKey.generate(tmp.resolve("keys"));
    BareRepository.create(tmp.resolve("outside.git"));
    try (GitSshServer server = GitSshServer.builder(root).authorizedKey(key).start()) {
      Map<String, String> git = sshWith(key, "id");
      TestGit.Result escape = TestGit.run(tmp, git, "clone", "-q",
          "ssh://git@127.0.0.1:" + server.port() + "/../outside.git", "escape");

      assertThat(escape.exitCode()).isNotZero();
      assertThat(escape.stderr()).contains("does not appear to be a git repository");
      assertThat(tmp.resolve("escape/HEAD")).doesNotExist();
    }
  }
}
