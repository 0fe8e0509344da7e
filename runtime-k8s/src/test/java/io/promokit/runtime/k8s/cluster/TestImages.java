package io.promokit.runtime.k8s.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Images built from the host's static BusyBox ({@code apt-get install busybox-static}), never pulled: no
 * public registry is reachable here.
 */
public final class TestImages {
  /** BusyBox with a shell and the usual tools. Also the helper image. */
  public static final String BUSYBOX = "promokit-k8s-test/busybox:1";
  /** The BusyBox image under another name: pulls of it can be scripted without touching the helper's. */
  public static final String STEP = "promokit-k8s-test/step:1";
  /** No shell at all: only {@code /bin/cat}, {@code /bin/cp} and {@code /bin/sleep} (BusyBox under those names). */
  public static final String DISTROLESS = "promokit-k8s-test/distroless:1";

  private static final Path STATIC_BUSYBOX = Path.of("/bin/busybox");
  private static final List<String> APPLETS = List.of("sh", "echo", "cat", "sleep", "printf", "ls", "id", "env",
      "true", "false", "head", "tail", "wc", "tr", "kill", "mkdir", "touch", "rm", "cp", "mv", "test", "[", "grep",
      "sed", "awk", "seq", "dd", "stat", "chmod", "base64", "yes", "date");

  private TestImages() {}

  /** Builds both images unless they exist. */
  public static synchronized void ensureBuilt() {
    build(BUSYBOX, APPLETS, true);
    build(DISTROLESS, List.of("cat", "cp", "sleep"), false);
    if (!Docker.run(List.of("image", "inspect", STEP), 30).ok()) {
      Docker.ok("tag", BUSYBOX, STEP);
    }
  }

  private static void build(String image, List<String> applets, boolean keepBusybox) {
    if (Docker.run(List.of("image", "inspect", image), 30).ok()) {
      return;
    }
    if (!Files.isExecutable(STATIC_BUSYBOX)) {
      throw new IllegalStateException("cannot build " + image + ": " + STATIC_BUSYBOX
          + " is missing (apt-get install busybox-static)");
    }
    try {
      Path root = Files.createTempDirectory("promokit-image-");
      Path bin = Files.createDirectories(root.resolve("bin"));
      Path tmp = Files.createDirectories(root.resolve("tmp"));
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
      Path busybox = bin.resolve(keepBusybox ? "busybox" : applets.get(0));
      Files.copy(STATIC_BUSYBOX, busybox);
      for (String applet : applets) {
        Path link = bin.resolve(applet);
        if (!Files.exists(link)) {
          Files.createLink(link, busybox);
        }
      }
      Process tar = new ProcessBuilder("tar", "-C", root.toString(), "-c", ".").start();
      Process load = new ProcessBuilder("docker", "import", "-c", "ENV PATH=/usr/local/bin:/usr/bin:/bin", "-", image)
          .redirectErrorStream(true).start();
      try (OutputStream to = load.getOutputStream()) {
        tar.getInputStream().transferTo(to);
      }
      String out = new String(load.getInputStream().readAllBytes());
      if (!load.waitFor(60, TimeUnit.SECONDS) || load.exitValue() != 0 || !tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
        throw new IllegalStateException("docker import of " + image + " failed: " + out);
      }
      deleteTree(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build " + image, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
