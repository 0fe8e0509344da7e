package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.promokit.spi.ContainerLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Docker tests need, as {@code scripts/test-env.sh start} prepares it: a daemon, the test images
 * and the private registry. Settings come from the environment ({@code PROMOKIT_TEST_*}) or, when it has
 * none, from the file the script writes ({@code $PROMOKIT_TEST_ENV_DIR/env}, default
 * {@code <checkout>/.promokit/test-env/env}: the script keeps its state per checkout).
 *
 * <p>{@link #require()} makes a test class fail when {@code PROMOKIT_REQUIRE_DOCKER=true} and something is
 * missing; otherwise {@link RequiresDocker} skips its tests with one line saying why.
 */
final class DockerTestEnvironment {

  static final String REQUIRE = "PROMOKIT_REQUIRE_DOCKER";
  private static final Map<String, String> SETTINGS = loadSettings();
  private static volatile String problem;
  private static volatile boolean checked;
  private static DockerClient client;

  private DockerTestEnvironment() {}

  /**
   * Fails the calling test class when {@code PROMOKIT_REQUIRE_DOCKER=true} and the daemon or the test
   * images are missing. (Without that variable, {@link RequiresDocker} skips its tests, saying why.)
   */
  static void require() {
    String why = problem();
    if (why != null && isRequired()) {
      fail(why + " (" + REQUIRE + "=true)");
    }
  }

  /** As {@link #require()}, and the private registry too. */
  static void requireRegistry() {
    require();
    String why = registryProblem();
    if (why != null && isRequired()) {
      fail(why + " (" + REQUIRE + "=true)");
    }
  }

  static boolean isRequired() {
    return "true".equalsIgnoreCase(System.getenv(REQUIRE));
  }

  /** What is missing for the Docker tests, or null. */
  static synchronized String problem() {
    if (!checked) {
      checked = true;
      problem = findProblem();
    }
    return problem;
  }

  /** What is missing for the registry tests, or null. */
  static String registryProblem() {
    String registry = setting("PROMOKIT_TEST_REGISTRY");
    if (registry == null) {
      return "the private test registry is not set up; run scripts/test-env.sh start";
    }
    // The settings file outlives `test-env.sh stop`: check that the registry really answers.
    int colon = registry.lastIndexOf(':');
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(registry.substring(0, colon),
          Integer.parseInt(registry.substring(colon + 1))), 1000);
      return null;
    } catch (java.io.IOException | RuntimeException e) {
      return "the private test registry at " + registry + " does not answer (" + e.getMessage()
          + "); run scripts/test-env.sh start";
    }
  }

  private static String findProblem() {
    if (!DockerContainerRuntime.isAvailable()) {
      return "no Docker daemon answers at " + DefaultDockerClientConfig.createDefaultConfigBuilder().build().getDockerHost()
          + "; run scripts/test-env.sh start";
    }
    for (String image : List.of(busyboxImage(), noShellImage(), setuidImage())) {
      try {
        client().inspectImageCmd(image).exec();
      } catch (RuntimeException e) {
        return "test image " + image + " is missing; run scripts/test-env.sh start";
      }
    }
    return null;
  }

  static String busyboxImage() {
    return settingOr("PROMOKIT_TEST_IMAGE", "promokit-test/busybox:1");
  }

  static String noShellImage() {
    return settingOr("PROMOKIT_TEST_NOSHELL_IMAGE", "promokit-test/noshell:1");
  }

  /** The busybox image plus {@code /usr/local/bin/setuid-probe}, setuid root. */
  static String setuidImage() {
    return settingOr("PROMOKIT_TEST_SETUID_IMAGE", "promokit-test/setuid:1");
  }

  static String registry() {
    return setting("PROMOKIT_TEST_REGISTRY");
  }

  static String registryUser() {
    return setting("PROMOKIT_TEST_REGISTRY_USER");
  }

  static String registryPassword() {
    return setting("PROMOKIT_TEST_REGISTRY_PASSWORD");
  }

  static String registryImage() {
    return setting("PROMOKIT_TEST_REGISTRY_IMAGE");
  }

  static String missingRegistryImage() {
    return setting("PROMOKIT_TEST_REGISTRY_MISSING_IMAGE");
  }

  /** A client of the environment's daemon, for checking what the runtime did. */
  static synchronized DockerClient client() {
    if (client == null) {
      DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
      client = DockerClientImpl.getInstance(config,
          new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
    }
    return client;
  }

  /** The containers (running or not) labelled with the engine id. */
  static List<Container> containersOf(String engineId) {
    return client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(ContainerLabels.ENGINE, engineId)).exec();
  }

  private static String setting(String name) {
    String value = System.getenv(name);
    return value != null && !value.isBlank() ? value : SETTINGS.get(name);
  }

  private static String settingOr(String name, String fallback) {
    String value = setting(name);
    return value != null ? value : fallback;
  }

  /** {@code <checkout>/.promokit/test-env/env}, the checkout found above the module's folder. */
  private static Path checkoutStateFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("scripts/test-env.sh"))) {
        return dir.resolve(".promokit/test-env/env");
      }
    }
    return Path.of(".promokit/test-env/env");
  }

  private static Map<String, String> loadSettings() {
    String dir = System.getenv("PROMOKIT_TEST_ENV_DIR");
    Path file = dir != null && !dir.isBlank() ? Path.of(dir, "env") : checkoutStateFile();
    Map<String, String> settings = new HashMap<>();
    if (!Files.isReadable(file)) {
      return settings;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        String text = line.strip();
        if (text.startsWith("export ")) {
          text = text.substring("export ".length());
        }
        int equals = text.indexOf('=');
        if (equals <= 0) {
          continue;
        }
        String value = text.substring(equals + 1);
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
          value = value.substring(1, value.length() - 1);
        }
        settings.put(text.substring(0, equals), value);
      }
    } catch (IOException e) {
      // No settings: the tests that need them say so.
    }
    return settings;
  }
}
