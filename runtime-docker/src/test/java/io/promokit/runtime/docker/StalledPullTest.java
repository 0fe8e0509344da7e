package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.testkit.LogCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that answers {@code /v2/} and then stalls must not hang a step that has no timeout of its own:
 * the pull is cancelled once it has made no progress for the stall timeout.
 */
@ExtendWith(RequiresDocker.class)
class StalledPullTest {

  @TempDir
  Path workdir;

  @BeforeAll
  static void needsDocker() {
    DockerTestEnvironment.require();
  }

  @Test
  void aPullFromARegistryThatStallsIsCancelledWithARetryableError() throws Exception {
    String engine = "stalled-pull-" + UUID.randomUUID().toString().substring(0, 8);
    try (StallingRegistry registry = new StallingRegistry();
        DockerContainerRuntime runtime = DockerContainerRuntime.builder()
            .pullStallTimeout(Duration.ofSeconds(3)).build()) {
      String image = registry.address() + "/promokit-test/stalls:1";
      ContainerRequest request = ContainerRequest.builder()
          .name("stalled-pull")
          .image(image)
          .command(List.of("true"))
          .workdir(workdir)
          .label(ContainerLabels.ENGINE, engine)
          .label(ContainerLabels.PROMOTION, "stalled-pull")
          .label(ContainerLabels.STEP, "step")
          .label(ContainerLabels.ATTEMPT, "1")
          .build();

      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        try (ContainerHandle handle = runtime.start(request, new LogCollector())) {
          // No timeout from the step: only the runtime's own bound ends this.
          assertThatThrownBy(() -> handle.await(Duration.ofDays(1)))
              .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
              .hasMessage("pulling image \"" + image + "\" from " + registry.address() + " stalled: the Docker daemon "
                  + "at " + runtime.daemon() + " reported no progress for 3 s (a registry that stopped answering?); the "
                  + "pull was cancelled (worth retrying)");
        }
      });
      assertThat(registry.stalledRequests()).as("the daemon did reach the registry").isPositive();
      assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
    }
  }
}
