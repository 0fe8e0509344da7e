package io.promokit.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Finding processes by an inherited environment variable, through /proc. */
@EnabledOnOs(OS.LINUX)
class MarkedProcessesTest {

  @Test
  void findsAMarkedProcessAndOnlyIt() throws Exception {
    String mark = UUID.randomUUID().toString();
    ProcessBuilder builder = new ProcessBuilder("sleep", "30");
    builder.environment().put("PROMOKIT_TEST_MARK", mark);
    Process marked = builder.start();
    Process unmarked = new ProcessBuilder("sleep", "30").start();
    try {
      assertThat(MarkedProcesses.withMark("PROMOKIT_TEST_MARK", mark)).extracting(ProcessHandle::pid)
          .containsExactly(marked.pid());
    } finally {
      marked.destroyForcibly().waitFor();
      unmarked.destroyForcibly().waitFor();
    }
    assertThat(MarkedProcesses.withMark("PROMOKIT_TEST_MARK", mark)).isEmpty();
  }

  @Test
  void aProcessWithoutEnvironmentIsNotTakenForOneChangingItsProgram() throws Exception {
    // started with an empty environment: its environ reads empty, but it has arguments
    Process bare = new ProcessBuilder("env", "-i", "sleep", "30").start();
    try {
      Path entry = Path.of("/proc", String.valueOf(bare.pid()));
      awaitEmptyEnviron(entry);
      assertThat(MarkedProcesses.isChangingProgram(entry)).isFalse();
    } finally {
      bare.destroyForcibly().waitFor();
    }
    assertThat(MarkedProcesses.isChangingProgram(Path.of("/proc", String.valueOf(ProcessHandle.current().pid()))))
        .isFalse();
  }

  @Test
  void noKernelThreadIsTakenForAProcessChangingItsProgram() throws Exception {
    // kernel threads (visible on a host or VM, not in a container's PID namespace) have no environment either
    try (var entries = Files.list(Path.of("/proc"))) {
      entries.filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> isKernelThread(readQuietly(p.resolve("stat"))))
          .forEach(p -> assertThat(MarkedProcesses.isChangingProgram(p)).as(p.toString()).isFalse());
    }
  }

  /** Read once: a process that ends between two reads would leave an empty second one. */
  private static boolean isKernelThread(String stat) {
    if (!stat.contains(") ")) {
      return false;
    }
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[6]) & 0x00200000L) != 0;
  }

  private static void awaitEmptyEnviron(Path entry) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (Files.readAllBytes(entry.resolve("environ")).length > 0 || !readQuietly(entry.resolve("comm")).equals("sleep")) {
      assertThat(System.nanoTime()).as("sleep started with an empty environment").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
