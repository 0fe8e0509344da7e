package io.promokit.steps.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real registry for tests: Debian's {@code docker-registry} (distribution 2.8) serving on an ephemeral port of
 * 127.0.0.1, with its config and storage in the test's own folder, plain HTTP; anonymous, or with token auth
 * ({@link TokenServer}). {@code scripts/test-env.sh} installs the binary. Closing it stops the process.
 */
final class TestRegistry implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final int port;

  private TestRegistry(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** An anonymous registry. */
  static TestRegistry start(Path folder) throws IOException, InterruptedException {
    return start(folder, "");
  }

  /** A registry that accepts only tokens of {@code tokens}. */
  static TestRegistry withTokens(Path folder, TokenServer tokens) throws IOException, InterruptedException {
    return start(folder, """
        auth:
          token:
            realm: %s
            service: %s
            issuer: %s
            rootcertbundle: %s
        """.formatted(tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, tokens.certificateFile()));
  }

  private static TestRegistry start(Path folder, String auth) throws IOException, InterruptedException {
    Files.createDirectories(folder);
    Path config = folder.resolve("registry.yml");
    Files.writeString(config, """
        version: 0.1
        log:
          level: info
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:0
        %s""".formatted(folder.resolve("data"), auth));
    Path log = folder.resolve("registry.log");
    Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Instant until = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(until)) {
      Matcher m = LISTENING.matcher(Files.readString(log));
      if (m.find()) {
        return new TestRegistry(process, Integer.parseInt(m.group(1)));
      }
      if (!process.isAlive()) {
        break;
      }
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
    process.destroyForcibly();
    throw new IllegalStateException("docker-registry did not start (is it installed? scripts/test-env.sh installs it): "
        + Files.readString(log));
  }

  /** {@code 127.0.0.1:<port>}. */
  String host() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
