package io.promokit.steps.manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Finds the Helm worker processes and folders of a test, and waits for them to change. */
final class HelmWorkerProcesses {

  private HelmWorkerProcesses() {}

  /** The live Helm workers this JVM started for the Helm folders under {@code tempRoot}. */
  static List<ProcessHandle> running(Path tempRoot) {
    return ProcessHandle.current().descendants().filter(p -> {
      String command = p.info().commandLine().orElse("");
      return command.contains("HelmWorkerMain") && command.contains(tempRoot.toString());
    }).toList();
  }

  static List<Long> pids(Path tempRoot) {
    return running(tempRoot).stream().map(ProcessHandle::pid).toList();
  }

  /** The {@code worker-*} folders under {@code tempRoot}'s Helm workspaces. */
  static List<Path> folders(Path tempRoot) throws IOException {
    try (Stream<Path> walk = Files.walk(tempRoot, 2)) {
      return walk.filter(p -> p.getFileName().toString().startsWith("worker-")).toList();
    }
  }

  /** The {@code call-*} folders under {@code tempRoot}'s Helm workspaces. */
  static List<Path> callFolders(Path tempRoot) throws IOException {
    try (Stream<Path> walk = Files.walk(tempRoot, 2)) {
      return walk.filter(p -> p.getFileName().toString().startsWith("call-")).toList();
    }
  }

  /** Waits up to 30 seconds (real time) for {@code condition}; whether it came. */
  static boolean await(BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
