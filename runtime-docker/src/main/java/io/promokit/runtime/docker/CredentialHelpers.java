package io.promokit.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.AuthConfig;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Docker credential helpers ({@code docker-credential-<name> get}), as the docker CLI does: the
 * registry address goes to the helper's stdin, and it answers with JSON holding {@code Username} and
 * {@code Secret} (a {@code Username} of {@code <token>} means the secret is an identity token). A helper
 * that is missing, fails, or knows no credentials for the registry gives nothing, with a warning for the
 * first two.
 */
final class CredentialHelpers {

  private static final Logger LOG = LoggerFactory.getLogger(CredentialHelpers.class);
  private static final long TIMEOUT_SECONDS = 30;
  private static final String TOKEN_USER = "<token>";

  private final String searchPath;

  /**
   * @param searchPath where helpers are looked for, in {@code PATH} syntax
   */
  CredentialHelpers(String searchPath) {
    this.searchPath = searchPath == null ? "" : searchPath;
  }

  /** What a helper answered. */
  record Found(String username, String secret) {
    AuthConfig toAuthConfig(String address) {
      AuthConfig auth = new AuthConfig().withRegistryAddress(address);
      return TOKEN_USER.equals(username) ? auth.withIdentityToken(secret)
          : auth.withUsername(username).withPassword(secret);
    }

    @Override
    public String toString() {
      return "Found[" + username + "]";
    }
  }

  Optional<Found> get(String helper, String address) {
    Optional<Path> program = locate("docker-credential-" + helper);
    if (program.isEmpty()) {
      LOG.warn("credential helper docker-credential-{} is not on the search path ({}); pulling without its credentials",
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
        LOG.warn("credential helper {} did not answer within {} s for {}", program.get(), TIMEOUT_SECONDS, address);
        return Optional.empty();
      }
      String text = new String(answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        if (!text.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
          LOG.warn("credential helper {} failed for {} (exit code {}): {}", program.get(), address,
              process.exitValue(), text);
        }
        return Optional.empty();
      }
      JsonNode node = JsonTrees.read(text);
      String user = node.path("Username").asText("");
      String secret = node.path("Secret").asText("");
      if (secret.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Found(user, secret));
    } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("credential helper {} failed for {}: {}", program.get(), address, e.toString());
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
}
