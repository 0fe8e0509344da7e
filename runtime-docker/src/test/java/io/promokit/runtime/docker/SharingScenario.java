package io.promokit.runtime.docker;

import io.promokit.event.LogStream;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Host code (standing in for in-process steps) and two containers taking turns on one workdir, each
 * reading and writing what the other made, including a 0600 file made by the host and one made by the
 * container. Runs in the test JVM (as root) and, through {@link #main}, in a JVM of a non-root user.
 * It records what each side saw; the test asserts on that.
 */
final class SharingScenario {

  private SharingScenario() {}

  static Map<String, String> run(ContainerRuntime runtime, Path workdir, String image, String engine)
      throws Exception {
    Map<String, String> seen = new LinkedHashMap<>();
    int hostUid = SharedFiles.currentUid();
    seen.put("host.uid", Integer.toString(hostUid));
    seen.put("workdir.gid", Files.getAttribute(workdir, "unix:gid").toString());

    // An in-process step writes a secret the way file-write does by default: mode 0600, in a 0700 folder.
    Path hostDir = Files.createDirectory(workdir.resolve("host"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path secret = Files.createFile(hostDir.resolve("secret.txt"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(secret, "from the host\n");

    List<String> first = runStep(runtime, workdir, image, engine, 1, String.join("; ",
        "id -u", "id -g",
        "cat host/secret.txt > seen-by-container.txt",
        "echo 'appended by the container' >> host/secret.txt",
        "mkdir -p made/deep && echo 'made by the container' > made/deep/file.txt",
        "(umask 077; echo 'private to the container' > private.txt)"));
    // A root host's workdir (group 0) is given the container's uid as its group: never group 0 in a container.
    seen.put("workdir.gid.shared", Files.getAttribute(workdir, "unix:gid").toString());
    seen.put("container.uid", first.get(0));
    seen.put("container.gid", first.get(1));
    seen.put("container.exit", first.get(first.size() - 1));
    seen.put("host.secret.mode", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    seen.put("host.reads.secret", Files.readString(secret));
    seen.put("host.reads.seen-by-container", Files.readString(workdir.resolve("seen-by-container.txt")));
    seen.put("host.reads.private", Files.readString(workdir.resolve("private.txt")));
    seen.put("foreign.after.first", foreign(workdir, hostUid));

    // The in-process side changes and adds files in what the container made, and deletes some.
    Files.writeString(workdir.resolve("made/deep/file.txt"), "rewritten by the host\n");
    Files.writeString(workdir.resolve("made/deep/host.txt"), "written by the host\n");
    Files.writeString(workdir.resolve("private.txt"), "private, rewritten by the host\n");
    Files.delete(workdir.resolve("seen-by-container.txt"));

    List<String> second = runStep(runtime, workdir, image, engine, 2,
        "cat made/deep/file.txt made/deep/host.txt private.txt && rm -r made");
    seen.put("container.second", String.join("|", second.subList(0, second.size() - 1)));
    seen.put("container.second.exit", second.get(second.size() - 1));
    seen.put("made.exists", Boolean.toString(Files.exists(workdir.resolve("made"), LinkOption.NOFOLLOW_LINKS)));

    Files.delete(workdir.resolve("private.txt"));
    Files.delete(secret);
    Files.delete(hostDir);
    seen.put("host.cleaned", Boolean.toString(listing(workdir).isEmpty()));
    return seen;
  }

  /** Runs {@code sh -c script}; returns its stdout lines and, last, its exit code. */
  private static List<String> runStep(ContainerRuntime runtime, Path workdir, String image, String engine, int n,
      String script) throws Exception {
    List<String> stdout = new ArrayList<>();
    ContainerRequest request = ContainerRequest.builder()
        .name("sharing-" + n)
        .image(image)
        .command(List.of("sh", "-c", script))
        .workdir(workdir)
        .label(ContainerLabels.ENGINE, engine)
        .label(ContainerLabels.PROMOTION, "sharing")
        .label(ContainerLabels.STEP, "step-" + n)
        .label(ContainerLabels.ATTEMPT, "1")
        .build();
    try (ContainerHandle handle = runtime.start(request, (stream, text) -> {
      if (stream == LogStream.STDOUT) {
        stdout.add(text);
      } else {
        System.out.println("stderr of step " + n + ": " + text);
      }
    })) {
      ContainerExit exit = handle.await(Duration.ofMinutes(2)).orElseThrow();
      stdout.add(Integer.toString(exit.exitCode()));
    }
    return stdout;
  }

  private static String foreign(Path workdir, int hostUid) throws IOException {
    List<String> foreign = new ArrayList<>();
    for (Path path : listing(workdir)) {
      if ((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) != hostUid) {
        foreign.add(workdir.relativize(path).toString());
      }
    }
    return String.join(",", foreign);
  }

  private static List<Path> listing(Path workdir) throws IOException {
    try (Stream<Path> all = Files.walk(workdir)) {
      return all.filter(p -> !p.equals(workdir)).sorted().toList();
    }
  }

  /** {@code SharingScenario <workdir> <image> <engine>}: prints what it saw as {@code SEEN key=value} lines. */
  public static void main(String[] args) throws Exception {
    try (DockerContainerRuntime runtime = DockerContainerRuntime.create()) {
      Map<String, String> seen = run(runtime, Path.of(args[0]), args[1], args[2]);
      seen.forEach((key, value) -> System.out.println("SEEN " + key + "=" + value.replace("\n", "\\n")));
    }
    System.out.flush();
    System.exit(0);
  }
}
