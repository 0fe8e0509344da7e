package io.promokit.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Docker credential helpers ({@code docker-credential-<name> get}), as the docker CLI does: the
 * registry address goes to the helper's stdin, and it answers with JSON holding {@code Username} and
 * {@code Secret} (a {@code Username} of {@code <token>} means the secret is an identity token). A helper
 * that is missing, fails, or knows no credentials for the registry gives nothing, with a warning for the
 * first two (never with the secret).
 */
public final class DockerCredentialHelpers {

  private static final long TIMEOUT_SECONDS = 30;
  /** The user name a helper answers with when the secret is an identity token. */
  public static final String TOKEN_USER = "<token>";

  private final String searchPath;

  /**
   * @param searchPath where helpers are looked for, in {@code PATH} syntax
   */
  public DockerCredentialHelpers(String searchPath) {
    this.searchPath = searchPath == null ? "" : searchPath;
  }

  /** What a helper answered. */
  public record Found(String username, String secret) {
    /** Whether the secret is an identity token rather than a password. */
    public boolean isIdentityToken() {
      return TOKEN_USER.equals(username);
    }

    @Override
    public String toString() {
      return "Found[" + username + "]";
    }
  }

  /** Asks {@code docker-credential-<helper>} for the credentials of {@code address}. */
  public Optional<Found> get(String helper, String address) {
    Optional<Path> program = locate("docker-credential-" + helper);
    if (program.isEmpty()) {
      log().warn("credential helper docker-credential-{} is not on the search path ({}); going on without its credentials",
          helper, searchPath);
      return Optional.empty();
    }
    Process process = null;
    try {
      process = new ProcessBuilder(program.get().toString(), "get").redirectErrorStream(true).start();
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(address.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The helper did not read its input (some answer without it): its answer still counts.
      }
      InputStream stdout = process.getInputStream();
      CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return stdout.readNBytes(1 << 20);
        } catch (IOException e) {
          return new byte[0];
        }
      });
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        log().warn("credential helper {} did not answer within {} s for {}", program.get(), TIMEOUT_SECONDS, address);
        return Optional.empty();
      }
      String text = new String(answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        if (!text.toLowerCase(Locale.ROOT).contains("credentials not found")) {
          log().warn("credential helper {} failed for {} (exit code {}): {}", program.get(), address,
              process.exitValue(), text);
        }
        return Optional.empty();
      }
      Object parsed = DataFormats.readJson(text);
      if (!(parsed instanceof Map<?, ?> node)) {
        return Optional.empty();
      }
      String user = node.get("Username") instanceof String s ? s : "";
      String secret = node.get("Secret") instanceof String s ? s : "";
      if (secret.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Found(user, secret));
    } catch (IOException | ExecutionException | TimeoutException | IllegalArgumentException e) {
      log().warn("credential helper {} failed for {}: {}", program.get(), address, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (process != null) {
        process.destroyForcibly();
      }
    }
  }

  private Optional<Path> locate(String name) {
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  // Looked up when there is something to say: made eagerly, the logger started slf4j (a service scan, ~5 ms)
  // for every command that only builds the OCI steps, such as promokit validate.
  private static Logger log() {
    return LoggerFactory.getLogger(DockerCredentialHelpers.class);
  }
}
