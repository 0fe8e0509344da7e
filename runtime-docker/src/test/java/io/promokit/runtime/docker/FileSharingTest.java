package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process steps (host code) and container steps (uid 65532) read and write each other's files in the
 * shared workdir, including 0600 files, whether the host runs as root or as another user.
 */
@ExtendWith(RequiresDocker.class)
class FileSharingTest {

  /** The uid of the non-root host: no user on the machine needs to exist for it. */
  private static final int NON_ROOT_UID = 1000;

  @TempDir
  Path temp;

  private String engine;

  @BeforeAll
  static void needsDocker() {
    DockerTestEnvironment.require();
  }

  @BeforeEach
  void engine() {
    engine = "sharing-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void nothingLeft() {
    assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
  }

  @Test
  void hostAndContainersShareFilesBothWaysWhenTheHostRunsAsThisJvmsUser() throws Exception {
    Path workdir = Files.createDirectory(temp.resolve("workdir"));
    Map<String, String> seen;
    try (DockerContainerRuntime runtime = DockerContainerRuntime.create()) {
      seen = SharingScenario.run(runtime, workdir, DockerTestEnvironment.busyboxImage(), engine);
    }
    assertSharedBothWays(seen, SharedFiles.currentUid() != 0);
  }

  /**
   * The same with the host in a JVM of uid 1000 (when this JVM is root; else this JVM's user, which is
   * not root either), which may not change owners: what the containers make is handed back to it.
   */
  @Test
  void hostAndContainersShareFilesBothWaysWhenTheHostIsNotRoot() throws Exception {
    boolean root = SharedFiles.currentUid() == 0;
    Integer uid = root ? NON_ROOT_UID : null;
    Path home = Files.createDirectory(temp.resolve("host-user"));
    Path workdir = Files.createDirectory(home.resolve("workdir"));
    Path tmp = Files.createDirectory(home.resolve("tmp"));
    if (root) {
      for (Path p : List.of(home, workdir, tmp)) {
        Files.setAttribute(p, "unix:uid", NON_ROOT_UID);
        Files.setAttribute(p, "unix:gid", NON_ROOT_UID);
        Files.setAttribute(p, "unix:mode", 0700);
      }
      // The JUnit temp folder is root's 0700: let uid 1000 through to its own folder.
      Files.setAttribute(temp, "unix:mode", 0711);
    }
    Integer socketGroup = (Integer) Files.getAttribute(Path.of("/var/run/docker.sock"), "unix:gid");
    Path log = temp.resolve("host.log");

    Process host = ChildJvm.start(SharingScenario.class,
        List.of(workdir.toString(), DockerTestEnvironment.busyboxImage(), engine), uid, socketGroup, tmp, log);
    boolean ended = host.waitFor(5, TimeUnit.MINUTES);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!ended) {
      host.destroyForcibly().waitFor();
    }
    assertThat(ended).as("the host JVM ended; its output:\n%s", output).isTrue();
    assertThat(host.exitValue()).as("exit code of the host JVM; its output:\n%s", output).isZero();

    Map<String, String> seen = new LinkedHashMap<>();
    output.lines().filter(l -> l.startsWith("SEEN ")).forEach(line -> {
      String pair = line.substring("SEEN ".length());
      int equals = pair.indexOf('=');
      seen.put(pair.substring(0, equals), pair.substring(equals + 1).replace("\\n", "\n"));
    });
    assertThat(seen).as("what the host JVM saw; its output:\n%s", output).containsKey("host.uid");
    assertThat(seen.get("host.uid")).isNotEqualTo("0");
    assertSharedBothWays(seen, true);
  }

  private static void assertSharedBothWays(Map<String, String> seen, boolean nonRootHost) {
    assertThat(seen.get("container.exit")).isEqualTo("0");
    assertThat(seen.get("container.uid")).isEqualTo("65532");
    assertThat(seen.get("container.gid")).as("the container's group is the workdir's").isEqualTo(seen.get("workdir.gid.shared"))
        .isNotEqualTo("0");
    assertThat(seen.get("workdir.gid.shared")).as("kept unless it was 0")
        .isEqualTo(seen.get("workdir.gid").equals("0") ? "65532" : seen.get("workdir.gid"));
    // The container read and appended to the host's 0600 file, which the runtime made group-writable.
    assertThat(seen.get("host.reads.seen-by-container")).isEqualTo("from the host\n");
    assertThat(seen.get("host.reads.secret")).isEqualTo("from the host\nappended by the container\n");
    assertThat(seen.get("host.secret.mode")).isEqualTo("rw-rw----");
    // The host read the container's 0600 file, then rewrote it and wrote into the container's folders.
    assertThat(seen.get("host.reads.private")).isEqualTo("private to the container\n");
    assertThat(seen.get("container.second.exit")).isEqualTo("0");
    assertThat(seen.get("container.second"))
        .isEqualTo("rewritten by the host|written by the host|private, rewritten by the host");
    assertThat(seen.get("made.exists")).as("the second container deleted a folder holding a host file").isEqualTo("false");
    assertThat(seen.get("host.cleaned")).isEqualTo("true");
    if (nonRootHost) {
      assertThat(seen.get("foreign.after.first")).as("entries not owned by the host user after the container").isEmpty();
    }
  }
}
