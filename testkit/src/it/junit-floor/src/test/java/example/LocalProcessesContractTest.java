package example;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.runtime.LocalProcessRuntime;
import io.promokit.spi.ContainerRuntime;
import io.promokit.testkit.ContainerRuntimeContractTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The testkit's runtime contract, run by JUnit 5.11 in a host's build. */
class LocalProcessesContractTest extends ContainerRuntimeContractTest {

  private static final Path STATE_DIR = Path.of("target", "contract-state").toAbsolutePath();

  @Test
  void runsOnTheFloorVersionOfJUnit() {
    assertThat(Test.class.getPackage().getImplementationVersion()).startsWith("5.11.");
  }

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
    try (Stream<Path> dirs = Files.exists(STATE_DIR) ? Files.list(STATE_DIR) : Stream.empty()) {
      assertThat(dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(engineId + "__"))).isEmpty();
    }
  }
}
