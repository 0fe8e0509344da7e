package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.PullPolicy;
import io.promokit.spi.RegistryCredential;
import io.promokit.testkit.LogCollector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulling from the private registry on 127.0.0.1 that {@code scripts/test-env.sh} runs (htpasswd
 * credentials, holding a copy of the busybox test image): with the right credentials from each source,
 * and the clear terminal or retryable errors of every way a pull fails.
 */
@ExtendWith(RequiresDocker.AndRegistry.class)
class ImagePullTest {

  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @TempDir
  Path temp;

  private Path workdir;
  private Path dockerConfig;
  private String engine;
  private int step;
  private final List<DockerContainerRuntime> runtimes = new ArrayList<>();

  @BeforeAll
  static void needsRegistry() {
    DockerTestEnvironment.requireRegistry();
  }

  @BeforeEach
  void prepare() throws IOException {
    workdir = Files.createDirectory(temp.resolve("workdir"));
    dockerConfig = Files.createDirectory(temp.resolve("docker-config"));
    engine = "pull-test-" + UUID.randomUUID().toString().substring(0, 8);
    removeLocalCopy(DockerTestEnvironment.registryImage());
  }

  @AfterEach
  void nothingLeftBehind() {
    runtimes.forEach(DockerContainerRuntime::close);
    assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
    removeLocalCopy(DockerTestEnvironment.registryImage());
  }

  private static void removeLocalCopy(String image) {
    try {
      DockerTestEnvironment.client().removeImageCmd(image).exec();
    } catch (RuntimeException e) {
      // Not there: as wanted.
    }
  }

  private static boolean isLocal(String image) {
    try {
      DockerTestEnvironment.client().inspectImageCmd(image).exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A runtime reading credentials from this case's own Docker config directory. */
  private DockerContainerRuntime runtime(String helperPath) {
    DockerContainerRuntime.Builder builder = DockerContainerRuntime.builder().dockerConfigDirectory(dockerConfig);
    if (helperPath != null) {
      builder.credentialHelperPath(helperPath);
    }
    DockerContainerRuntime runtime = builder.build();
    runtimes.add(runtime);
    return runtime;
  }

  private ContainerRequest.Builder request(String image) {
    step++;
    return ContainerRequest.builder()
        .name("pull-test-" + step)
        .image(image)
        .command(List.of("echo", "pulled"))
        .workdir(workdir)
        .label(ContainerLabels.ENGINE, engine)
        .label(ContainerLabels.PROMOTION, "pull-test")
        .label(ContainerLabels.STEP, "step-" + step)
        .label(ContainerLabels.ATTEMPT, "1");
  }

  private static RegistryCredential credential(String password) {
    return new RegistryCredential(DockerTestEnvironment.registry(), DockerTestEnvironment.registryUser(), password, null);
  }

  private ContainerExit runToExit(DockerContainerRuntime runtime, ContainerRequest request, LogCollector logs)
      throws InterruptedException {
    try (ContainerHandle handle = runtime.start(request, logs)) {
      return handle.await(PATIENCE).orElseThrow();
    }
  }

  private String configJson() {
    return dockerConfig.resolve("config.json").toString();
  }

  // ---- pulls that work --------------------------------------------------------------------------------

  @Test
  void pullsWithTheCredentialsOfTheStepsPullSecrets() throws Exception {
    String image = DockerTestEnvironment.registryImage();
    LogCollector logs = new LogCollector();

    ContainerExit exit = runToExit(runtime(null),
        request(image).pullCredentials(List.of(credential(DockerTestEnvironment.registryPassword()))).build(), logs);

    assertThat(exit.exitCode()).isZero();
    assertThat(logs.stdout()).containsExactly("pulled");
    assertThat(isLocal(image)).isTrue();
    assertThat(exit.phases()).containsKey("pull");
  }

  @Test
  void pullsWithCredentialsFromTheDockerConfigAsTheDockerCliDoes() throws Exception {
    String auth = Base64.getEncoder().encodeToString((DockerTestEnvironment.registryUser() + ":"
        + DockerTestEnvironment.registryPassword()).getBytes(StandardCharsets.UTF_8));
    Files.writeString(dockerConfig.resolve("config.json"),
        "{\"auths\": {\"http://" + DockerTestEnvironment.registry() + "\": {\"auth\": \"" + auth + "\"}}}");

    ContainerExit exit = runToExit(runtime(null), request(DockerTestEnvironment.registryImage()).build(), new LogCollector());

    assertThat(exit.exitCode()).isZero();
  }

  @Test
  void pullsWithCredentialsFromACredentialHelper() throws Exception {
    Path helpers = Files.createDirectory(temp.resolve("helpers"));
    Path asked = temp.resolve("asked-for");
    Path helper = helpers.resolve("docker-credential-promokit-test");
    Files.writeString(helper, "#!/bin/sh\n"
        + "[ \"$1\" = get ] || exit 2\n"
        + "cat > '" + asked + "'\n"
        + "printf '{\"ServerURL\":\"%s\",\"Username\":\"%s\",\"Secret\":\"%s\"}' '" + DockerTestEnvironment.registry()
        + "' '" + DockerTestEnvironment.registryUser() + "' '" + DockerTestEnvironment.registryPassword() + "'\n");
    Files.setAttribute(helper, "unix:mode", 0755);
    Files.writeString(dockerConfig.resolve("config.json"),
        "{\"credHelpers\": {\"" + DockerTestEnvironment.registry() + "\": \"promokit-test\"}}");

    ContainerExit exit = runToExit(runtime(helpers.toString()), request(DockerTestEnvironment.registryImage()).build(),
        new LogCollector());

    assertThat(exit.exitCode()).isZero();
    assertThat(Files.readString(asked)).isEqualTo(DockerTestEnvironment.registry());
  }

  @Test
  void ifNotPresentUsesTheLocalImageAndAlwaysPullsAgain() throws Exception {
    String image = DockerTestEnvironment.registryImage();
    DockerContainerRuntime runtime = runtime(null);
    assertThat(runToExit(runtime, request(image).pullCredentials(List.of(credential(DockerTestEnvironment.registryPassword())))
        .build(), new LogCollector()).exitCode()).isZero();

    // Present now: IfNotPresent does not ask the registry, so wrong credentials do not matter...
    assertThat(runToExit(runtime, request(image).pullCredentials(List.of(credential("wrong"))).build(), new LogCollector())
        .exitCode()).isZero();
    // ...while Always does ask it.
    try (ContainerHandle handle = runtime.start(request(image).pullPolicy(PullPolicy.ALWAYS)
        .pullCredentials(List.of(credential("wrong"))).build(), new LogCollector())) {
      assertThatThrownBy(() -> handle.await(PATIENCE)).isInstanceOf(ContainerRuntimeException.class)
          .hasMessageEndingWith("unauthorized: authentication required");
    }
  }

  // ---- pulls that fail ------------------------------------------------------------------------------------

  @Test
  void failsTerminallyWithoutCredentials() throws Exception {
    String image = DockerTestEnvironment.registryImage();
    String registry = DockerTestEnvironment.registry();
    try (ContainerHandle handle = runtime(null).start(request(image).build(), new LogCollector())) {
      assertThatThrownBy(() -> handle.await(PATIENCE))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
          .hasMessage("cannot pull image \"" + image + "\" from " + registry + " without credentials (none for " + registry
              + " among the step's pull secrets or in " + configJson() + "): Head \"http://" + registry
              + "/v2/promokit-test/busybox/manifests/1\": no basic auth credentials");
    }
  }

  @Test
  void failsTerminallyWithAWrongPassword() throws Exception {
    String image = DockerTestEnvironment.registryImage();
    try (ContainerHandle handle = runtime(null).start(request(image).pullCredentials(List.of(credential("wrong"))).build(),
        new LogCollector())) {
      assertThatThrownBy(() -> handle.await(PATIENCE))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
          .hasMessage("cannot pull image \"" + image + "\" from " + DockerTestEnvironment.registry() + " as user \""
              + DockerTestEnvironment.registryUser() + "\": unauthorized: authentication required");
    }
  }

  @Test
  void failsTerminallyForAnImageTheRegistryDoesNotHave() throws Exception {
    String image = DockerTestEnvironment.missingRegistryImage();
    try (ContainerHandle handle = runtime(null).start(request(image)
        .pullCredentials(List.of(credential(DockerTestEnvironment.registryPassword()))).build(), new LogCollector())) {
      assertThatThrownBy(() -> handle.await(PATIENCE))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
          .hasMessage("cannot pull image \"" + image + "\" from " + DockerTestEnvironment.registry() + " as user \""
              + DockerTestEnvironment.registryUser() + "\": manifest for " + image
              + " not found: manifest unknown: manifest unknown");
    }
  }

  @Test
  void failsRetryablyWhenTheRegistryIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String image = "127.0.0.1:" + closedPort + "/promokit-test/busybox:1";
    try (ContainerHandle handle = runtime(null).start(request(image).build(), new LogCollector())) {
      assertThatThrownBy(() -> handle.await(PATIENCE))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessageStartingWith("cannot pull image \"" + image + "\" from 127.0.0.1:" + closedPort
              + ", a network or registry error (worth retrying): ")
          .hasMessageEndingWith("connect: connection refused");
    }
  }

  // ---- pulling ahead of a promotion ----------------------------------------------------------------------

  @Test
  void pullIfMissingPullsOnceWithTheGivenCredentialsAndThenFindsTheImage() throws Exception {
    DockerContainerRuntime runtime = runtime(null);
    String image = DockerTestEnvironment.registryImage();
    List<RegistryCredential> credentials = List.of(credential(DockerTestEnvironment.registryPassword()));

    assertThat(runtime.pullIfMissing(image, credentials, PATIENCE)).as("pulled").isTrue();
    assertThat(runtime.pullIfMissing(image, credentials, PATIENCE)).as("pulled again").isFalse();
    assertThat(DockerTestEnvironment.client().inspectImageCmd(image).exec().getId()).isNotBlank();
  }

  @Test
  void pullIfMissingFailsAsAStepWouldWhenTheImageCannotBeHad() throws Exception {
    DockerContainerRuntime runtime = runtime(null);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String unreachable = "127.0.0.1:" + closedPort + "/promokit-test/busybox:1";

    assertThatThrownBy(() -> runtime.pullIfMissing(unreachable, List.of(), PATIENCE))
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageEndingWith("connect: connection refused");
    assertThatThrownBy(() -> runtime.pullIfMissing(DockerTestEnvironment.registryImage(), List.of(), PATIENCE))
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageEndingWith("no basic auth credentials");
    assertThatThrownBy(() -> runtime.pullIfMissing("Not A Valid/Name", List.of(), PATIENCE))
        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageStartingWith("invalid image name \"Not A Valid/Name\": ");
  }

  /** An abort while the registry keeps the pull waiting: the pull is cancelled and nothing is created. */
  @Test
  void stopCancelsAPullThatHangs() throws Exception {
    try (SilentRegistry silent = new SilentRegistry()) {
      String image = "127.0.0.1:" + silent.port() + "/promokit-test/hangs:1";

      ContainerHandle handle = runtime(null).start(request(image).build(), new LogCollector());
      assertThat(silent.connected.await(60, TimeUnit.SECONDS)).as("the daemon connected to the silent registry").isTrue();
      assertThat(handle.await(Duration.ofMillis(200))).as("still pulling").isEmpty();

      handle.stop(Duration.ofSeconds(1));
      ContainerExit exit = handle.await(PATIENCE).orElseThrow();
      handle.close();

      assertThat(exit.exitCode()).isEqualTo(137);
      assertThat(exit.reason()).isEqualTo("Killed");
      assertThat(exit.phases()).containsOnlyKeys("pull");
      assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
    }
  }

  @Test
  void pullIfMissingGivesUpOnAPullThatHangsOnceItsTimeoutHasPassed() throws Exception {
    try (SilentRegistry silent = new SilentRegistry()) {
      String image = "127.0.0.1:" + silent.port() + "/promokit-test/hangs:1";

      assertThatThrownBy(() -> runtime(null).pullIfMissing(image, List.of(), Duration.ofSeconds(3)))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessage("pulling image \"" + image + "\" did not finish within 3s; the pull was cancelled");
      // a loaded daemon may reach the registry late in those 3 s; what matters is that it was asked there
      assertThat(silent.connected.await(30, TimeUnit.SECONDS)).as("the daemon connected to the silent registry")
          .isTrue();
    }
  }

  /** A "registry" on 127.0.0.1 that accepts connections and never answers, as a stalled one does. */
  private static final class SilentRegistry implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> accepted = new ArrayList<>();
    final CountDownLatch connected = new CountDownLatch(1);

    SilentRegistry() throws IOException {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket s = socket.accept();
            synchronized (accepted) {
              accepted.add(s);
            }
            connected.countDown();
          }
        } catch (IOException e) {
          // Closed at the end of the test.
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      synchronized (accepted) {
        for (Socket s : accepted) {
          s.close();
        }
      }
    }
  }
}
