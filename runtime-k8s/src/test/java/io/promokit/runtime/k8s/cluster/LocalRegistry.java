package io.promokit.runtime.k8s.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A private registry on 127.0.0.1 with a user and password ({@code apt-get install docker-registry
 * apache2-utils}), holding the BusyBox test image, for pulls with and without {@code imagePullSecrets}.
 */
public final class LocalRegistry implements AutoCloseable {
  public static final String USER = "promokit";
  public static final String PASSWORD = "pull-s3cret";

  private final Path dir;
  private final int port;
  private final Process process;

  private LocalRegistry(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Why no registry can be started here, or empty. */
  public static Optional<String> unavailableReason() {
    for (String tool : List.of("docker-registry", "htpasswd")) {
      if (List.of(System.getenv("PATH").split(":")).stream().noneMatch(d -> Files.isExecutable(Path.of(d, tool)))) {
        return Optional.of(tool + " is not installed (apt-get install docker-registry apache2-utils)");
      }
    }
    return Optional.empty();
  }

  /** Starts the registry and pushes {@link TestImages#BUSYBOX} to it as {@code promokit/step:1}. */
  public static LocalRegistry start() {
    try {
      Path dir = Files.createTempDirectory("promokit-registry-");
      Process htpasswd = new ProcessBuilder("htpasswd", "-Bbn", USER, PASSWORD).start();
      Files.write(dir.resolve("htpasswd"), htpasswd.getInputStream().readAllBytes());
      if (!htpasswd.waitFor(30, TimeUnit.SECONDS)) {
        htpasswd.destroyForcibly();
        throw new IllegalStateException("htpasswd did not end within 30 s");
      }
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Files.writeString(dir.resolve("config.yml"), """
          version: 0.1
          storage:
            filesystem:
              rootdirectory: %s
          http:
            addr: 127.0.0.1:%d
          auth:
            htpasswd:
              realm: promokit
              path: %s
          """.formatted(dir.resolve("data"), port, dir.resolve("htpasswd")));
      Process p = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
      LocalRegistry registry = new LocalRegistry(dir, port, p);
      registry.awaitUp();
      registry.push();
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** The image in this registry (not present in the local Docker until pulled). */
  public String image() {
    return host() + "/promokit/step:1";
  }

  /** A {@code .dockerconfigjson} for this registry. */
  public String dockerConfigJson(String user, String password) {
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + auth + "\"}}}";
  }

  /** Removes the image from the local Docker, so that the next Pod has to pull it. */
  public void forgetPulledImage() {
    Docker.run(List.of("rmi", "-f", image()), 60);
  }

  private void awaitUp() throws IOException {
    try {
      await("the registry answers").atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(IOException.class)
          .until(() -> ((HttpURLConnection) new URL("http://" + host() + "/v2/").openConnection()).getResponseCode() == 401);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new IOException("the registry did not start: " + Files.readString(dir.resolve("registry.log")), e);
    }
  }

  private void push() throws IOException {
    Path config = Files.createDirectories(dir.resolve("docker-config"));
    Files.writeString(config.resolve("config.json"), dockerConfigJson(USER, PASSWORD));
    Docker.ok("tag", TestImages.BUSYBOX, image());
    Docker.ok("--config", config.toString(), "push", image());
    forgetPulledImage();
  }

  @Override
  public void close() {
    forgetPulledImage();
    process.destroy();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      TestImages.deleteTree(dir);
    } catch (IOException e) {
      // temporary files
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
