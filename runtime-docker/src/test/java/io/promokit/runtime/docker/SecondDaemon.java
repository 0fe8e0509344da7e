package io.promokit.runtime.docker;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Docker daemon of the test's own, to kill, restart and freeze without disturbing the shared one: its own
 * socket, data-root, exec-root, pid file, cgroup parent and containerd (started by it, in namespaces of its
 * own), and its own bridge interface ({@code pksd<hex>}, made here with a private /24) with no iptables
 * rules and no IP forwarding changes. Not {@code --bridge=none}: dockerd then deletes the host's
 * {@code docker0}, the shared daemon's bridge. Everything lives in one folder under the module's
 * {@code target/}; {@link #close()} stops the daemon, unmounts what it left mounted, deletes the folder and
 * the bridge. Needs root, {@code dockerd} and {@code ip}.
 */
final class SecondDaemon implements AutoCloseable {

  private static final Duration READY = Duration.ofSeconds(90);

  private final Path dir;
  private final String bridge;
  private Process process;

  private SecondDaemon(Path dir) {
    this.dir = dir;
    this.bridge = "pksd" + Integer.toHexString(dir.getFileName().toString().hashCode() & 0xffff);
  }

  /**
   * Starts a daemon under the module's {@code target/} with the test image, for a test class's
   * {@code @BeforeAll}: fails when this machine cannot run one and the Docker tests are required, and skips
   * the class (saying why) otherwise.
   */
  static SecondDaemon startForTests(String what) throws Exception {
    DockerTestEnvironment.require();
    String why = SharedFiles.currentUid() != 0 ? "starting a second dockerd needs root"
        : !Files.isExecutable(Path.of("/usr/sbin/dockerd")) && !Files.isExecutable(Path.of("/usr/bin/dockerd"))
            ? "dockerd is not installed" : null;
    if (why != null) {
      if (DockerTestEnvironment.isRequired()) {
        throw new AssertionError(why + " (" + DockerTestEnvironment.REQUIRE + "=true)");
      }
      Assumptions.abort(what + " skipped: " + why);
    }
    return start(Path.of("target").toAbsolutePath(), DockerTestEnvironment.busyboxImage());
  }

  /** Starts a daemon in a new folder under {@code parent} and loads the image (saved from the shared daemon). */
  static SecondDaemon start(Path parent, String image) throws Exception {
    Path dir = Files.createTempDirectory(Files.createDirectories(parent.toAbsolutePath()), "sd-");
    SecondDaemon daemon = new SecondDaemon(dir);
    try {
      Files.writeString(dir.resolve("daemon.json"), "{}\n");
      daemon.launch();
      Path tar = dir.resolve("image.tar");
      run(List.of("docker", "save", "-o", tar.toString(), image), Duration.ofMinutes(2));
      daemon.cli("load", "-i", tar.toString());
      Files.delete(tar);
      return daemon;
    } catch (Exception | Error e) {
      daemon.close();
      throw e;
    }
  }

  /** {@code unix:///.../d.sock}. */
  URI address() {
    return URI.create("unix://" + dir.resolve("d.sock"));
  }

  /** Runs the docker CLI against this daemon; returns its output. */
  String cli(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker", "-H", address().toString()));
    command.addAll(List.of(args));
    return run(command, Duration.ofMinutes(2));
  }

  /** Whether the daemon answers {@code docker info} now. */
  boolean answers() {
    try {
      cli("info", "--format", "{{.ID}}");
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** SIGKILL: gone at once, its containerd with it; the containers' shims and processes live on. */
  void kill() throws Exception {
    signal("KILL");
    process.waitFor(30, TimeUnit.SECONDS);
    // dockerd's containerd dies with it (parent-death signal), a moment later; a restart before that would
    // find it "still running" and wait for it in vain.
    Path pidFile = dir.resolve("exec/containerd/containerd.pid");
    if (Files.exists(pidFile)) {
      Path proc = Path.of("/proc", Files.readString(pidFile).strip());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (Files.exists(proc) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
  }

  /** Starts the daemon again on the same folders (it then restores, and without live-restore stops, what ran). */
  void restart() throws Exception {
    launch();
  }

  /** Makes it answer again after whatever a test left it in: thawed, or started again. */
  void ensureRunning() throws Exception {
    if (process.isAlive()) {
      signal("CONT");
      if (answers()) {
        return;
      }
      kill();
    }
    launch();
  }

  /** SIGSTOP: the daemon keeps its connections open and answers nothing. */
  void freeze() throws Exception {
    signal("STOP");
  }

  /** SIGCONT. */
  void thaw() throws Exception {
    signal("CONT");
  }

  /** Makes the daemon's bridge when it is not there (a /24 in 10.213.0.0/16 that no interface uses). */
  private void ensureBridge() throws Exception {
    if (Files.exists(Path.of("/sys/class/net", bridge))) {
      return;
    }
    String addresses = run(List.of("ip", "-4", "-o", "addr"), Duration.ofSeconds(10));
    int subnet = 1 + (bridge.hashCode() & 0x7f);
    while (addresses.contains("10.213." + subnet + ".")) {
      subnet++;
    }
    run(List.of("ip", "link", "add", "name", bridge, "type", "bridge"), Duration.ofSeconds(10));
    run(List.of("ip", "addr", "add", "10.213." + subnet + ".1/24", "dev", bridge), Duration.ofSeconds(10));
    run(List.of("ip", "link", "set", bridge, "up"), Duration.ofSeconds(10));
  }

  private void launch() throws Exception {
    ensureBridge();
    List<String> command = List.of("dockerd",
        "--host", address().toString(),
        "--data-root", dir.resolve("data").toString(),
        "--exec-root", dir.resolve("exec").toString(),
        "--pidfile", dir.resolve("dockerd.pid").toString(),
        "--config-file", dir.resolve("daemon.json").toString(),
        "--bridge", bridge, "--iptables=false", "--ip-masq=false", "--ip-forward=false", "--userland-proxy=false",
        "--cgroup-parent", "/promokit-" + dir.getFileName(),
        "--containerd-namespace", "promokit-" + dir.getFileName(),
        "--containerd-plugins-namespace", "promokit-" + dir.getFileName() + "-plugins",
        "--log-level", "warn");
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
        .start();
    process.getOutputStream().close();
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the second dockerd exited with " + process.exitValue() + ":\n" + log());
      }
      if (answers()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the second dockerd did not answer within " + READY + ":\n" + log());
  }

  private void signal(String signal) throws Exception {
    run(List.of("kill", "-" + signal, Long.toString(process.pid())), Duration.ofSeconds(10));
  }

  String log() {
    try {
      return Files.readString(dir.resolve("dockerd.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the daemon (thawing it first), removes its containers, unmounts and deletes its folder. */
  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      signal("CONT");
      try {
        String ids = cli("ps", "-aq").strip();
        if (!ids.isEmpty()) {
          List<String> rm = new ArrayList<>(List.of("rm", "-f"));
          rm.addAll(List.of(ids.split("\\s+")));
          cli(rm.toArray(String[]::new));
        }
      } catch (Exception e) {
        // Stopping the daemon below stops them too.
      }
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    // Shims of containers the daemon lost (killed while they ran) outlive it: end those of this folder only.
    try (var processes = Files.list(Path.of("/proc"))) {
      for (Path proc : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
          if (cmdline.contains(dir.toString())) {
            run(List.of("kill", "-KILL", proc.getFileName().toString()), Duration.ofSeconds(10));
          }
        } catch (IOException | IllegalStateException e) {
          // Gone meanwhile.
        }
      }
    }
    // dockerd leaves its data-root (and maybe overlay mounts) mounted: unmount, deepest first.
    List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(line -> line.split(" ")[4])
        .filter(point -> point.startsWith(dir.toString()))
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toList();
    for (String point : mounts) {
      run(List.of("umount", "-l", point), Duration.ofSeconds(30));
    }
    run(List.of("rm", "-rf", dir.toString()), Duration.ofMinutes(1));
    if (Files.exists(Path.of("/sys/class/net", bridge))) {
      run(List.of("ip", "link", "del", bridge), Duration.ofSeconds(10));
    }
    // The cgroups made under its cgroup parent, deepest first (a cgroup whose last process is still exiting
    // cannot go yet: tried again a few times).
    try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path controller : controllers.toList()) {
        Path parent = controller.resolve("promokit-" + dir.getFileName());
        for (int tries = 0; Files.isDirectory(parent) && tries < 20; tries++) {
          try {
            run(List.of("find", parent.toString(), "-depth", "-type", "d", "-exec", "rmdir", "{}", ";"),
                Duration.ofSeconds(30));
          } catch (IllegalStateException e) {
            Thread.sleep(250);
          }
        }
      }
    }
  }

  private static String run(List<String> command, Duration timeout) throws Exception {
    Path output = Files.createTempFile("second-daemon-", ".out");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout);
      }
      String out = Files.readString(output, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.strip());
      }
      return out;
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
