package io.promokit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.runtime.LocalProcessRuntime;
import io.promokit.spi.ContainerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@link LocalProcessRuntime} passes the contract every runtime passes. */
class LocalProcessRuntimeContractTest extends ContainerRuntimeContractTest {

  /** Fixed, so that the restarted runtime of the reap case and the large-output fork share it. */
  static final Path STATE_DIR = Path.of(System.getProperty("java.io.tmpdir"), "promokit-contract-local");

  @Override
  protected ContainerRuntime createRuntime() {
    return LocalProcessRuntime.create(STATE_DIR);
  }

  @Override
  protected String testImage() {
    return "ignored-by-the-local-runtime";
  }

  @Override
  protected String expectedWorkingDirectory(Path hostWorkdir) {
    try {
      return hostWorkdir.toRealPath().toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void assertNothingLeftBehind(String engineId) throws IOException {
    assertThat(processesMarkedWith("PROMOKIT_ENGINE=" + engineId)).as("processes of engine %s", engineId).isEmpty();
    try (Stream<Path> dirs = Files.exists(STATE_DIR) ? Files.list(STATE_DIR) : Stream.empty()) {
      assertThat(dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(engineId + "__")))
          .as("scratch directories of engine %s", engineId).isEmpty();
    }
  }

  /** Live processes whose environment holds the entry, read from /proc. */
  static List<Long> processesMarkedWith(String entry) throws IOException {
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String environ = new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8);
          long pid = Long.parseLong(proc.getFileName().toString());
          if (List.of(environ.split("\0")).contains(entry)
              && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            found.add(pid);
          }
        } catch (IOException gone) {
          // the process ended while we looked
        }
      }
    }
    return found;
  }
}
