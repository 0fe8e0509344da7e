package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.spi.ContainerRuntime;
import io.promokit.testkit.ContainerRuntimeContractTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract every runtime passes, against the real daemon. */
@ExtendWith(RequiresDocker.class)
class DockerContainerRuntimeContractTest extends ContainerRuntimeContractTest {

  @BeforeAll
  static void needsDocker() {
    DockerTestEnvironment.require();
  }

  @Override
  protected ContainerRuntime createRuntime() {
    // No public registry here: the launcher for secret env values comes from the local busybox image.
    return DockerContainerRuntime.builder().helperImage(DockerTestEnvironment.busyboxImage()).build();
  }

  @Override
  protected String testImage() {
    return DockerTestEnvironment.busyboxImage();
  }

  @Override
  protected void assertNothingLeftBehind(String engineId) {
    assertThat(DockerTestEnvironment.containersOf(engineId)).as("containers of engine %s", engineId).isEmpty();
    try (DockerContainerRuntime runtime = DockerContainerRuntime.create()) {
      assertThat(AttemptDirectory.engineDirectory(runtime.scratchDirectory(), engineId))
          .as("attempt folders of engine %s", engineId).doesNotExist();
    }
  }
}
