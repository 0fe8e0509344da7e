package io.promokit.testkit.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHttpServerTest {

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

  private static String withUser(String url, String user, String password) {
    return url.replaceFirst("^(https?)://", "$1://" + user + ":" + password + "@");
  }

  @Test
  void clonesAndPushesWithBasicAuth() {
    try (GitHttpServer server = GitHttpServer.builder(root).user("alice", "s3cret").start()) {
      TestGit.git(tmp, "clone", "-q", withUser(server.url(repo), "alice", "s3cret"), "work");
      Path work = tmp.resolve("work");
      assertThat(work.resolve("README.md")).hasContent("hello");

      TestGit.git(work, "commit", "-q", "--allow-empty", "-m", "pushed over http");
      TestGit.git(work, "push", "-q", "origin", "HEAD:main");

      assertThat(repo.messages("main")).containsExactly("pushed over http", "initial");
      assertThat(server.requests()).anySatisfy(r -> {
        assertThat(r.isPush()).isTrue();
        assertThat(r.user()).isEqualTo("alice");
        assertThat(r.status()).isEqualTo(200);
      });
    }
  }

  @Test
  void refusesMissingAndWrongCredentials() {
    try (GitHttpServer server = GitHttpServer.builder(root).user("alice", "s3cret").start()) {
      TestGit.Result anonymous = TestGit.run(tmp, java.util.Map.of(), "clone", "-q", server.url(repo), "anon");
      TestGit.Result wrong = TestGit.run(tmp, java.util.Map.of(), "clone", "-q", withUser(server.url(repo), "alice", "nope"), "wrong");

      assertThat(anonymous.exitCode()).isNotZero();
      assertThat(anonymous.stderr()).contains("could not read Username");
      assertThat(wrong.exitCode()).isNotZero();
      assertThat(wrong.stderr()).contains("Authentication failed");
      assertThat(server.requests()).allSatisfy(r -> assertThat(r.status()).isEqualTo(401));
      assertThat(server.requests()).anySatisfy(r -> assertThat(r.sentCredentials()).isTrue());
      assertThat(server.requests()).anySatisfy(r -> assertThat(r.sentCredentials()).isFalse());
    }
  }

  @Test
  void anonymousReadsButNoAnonymousPush() {
    try (GitHttpServer server = GitHttpServer.builder(root).user("alice", "s3cret").anonymousReads(true).start()) {
      TestGit.git(tmp, "clone", "-q", server.url(repo), "work");
      Path work = tmp.resolve("work");
      TestGit.git(work, "commit", "-q", "--allow-empty", "-m", "anonymous push");

      TestGit.Result push = TestGit.run(work, java.util.Map.of(), "push", "-q", "origin", "HEAD:main");

      assertThat(push.exitCode()).isNotZero();
      assertThat(repo.messages("main")).containsExactly("initial");
      assertThat(server.requests()).filteredOn(GitHttpServer.Request::isPush)
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(401));
    }
  }

  @Test
  void aPushThatLosesARaceIsRejected() {
    AtomicBoolean raced = new AtomicBoolean();
    try (GitHttpServer server = GitHttpServer.builder(root).user("alice", "s3cret")
        .beforeReceivePack(name -> {
          if (raced.compareAndSet(false, true)) {
            BareRepository.open(root.resolve(name)).commit("main", "concurrent", Map.of("other.txt", "x\n"));
          }
        }).start()) {
      TestGit.git(tmp, "clone", "-q", withUser(server.url(repo), "alice", "s3cret"), "work");
      Path work = tmp.resolve("work");
      TestGit.git(work, "commit", "-q", "--allow-empty", "-m", "mine");

      TestGit.Result push = TestGit.run(work, java.util.Map.of(), "push", "origin", "HEAD:main");

      assertThat(push.exitCode()).isNotZero();
      assertThat(push.stderr()).containsPattern("! \\[(remote )?rejected\\]");
      assertThat(repo.messages("main")).containsExactly("concurrent", "initial");
    }
  }

  @Test
  void servesHttpsWithASelfSignedCertificate() {
    try (GitHttpServer server = GitHttpServer.builder(root).user("alice", "s3cret").https(true).start()) {
      String url = withUser(server.url(repo), "alice", "s3cret");
      assertThat(url).startsWith("https://alice:s3cret@127.0.0.1:");

      TestGit.Result verified = TestGit.run(tmp, java.util.Map.of(), "clone", "-q", url, "verified");
      TestGit.Result unverified = TestGit.run(tmp, java.util.Map.of(), "-c", "http.sslVerify=false", "clone", "-q", url, "work");

      assertThat(verified.exitCode()).isNotZero();
      assertThat(verified.stderr()).contains("server certificate verification failed");
      assertThat(unverified.exitCode()).as(unverified.stderr()).isZero();
      assertThat(tmp.resolve("work/README.md")).hasContent("hello");
    }
  }
}
