package io.promokit.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Reads what went wrong from docker-java's exceptions: the daemon's own message (its JSON
 * {@code message} field rather than docker-java's "Status 500: {...}" wrapping), whether the daemon
 * answered at all, and whether a pull failure is worth retrying.
 */
final class DaemonErrors {


  /** Words of registry answers that no retry will change: missing image, bad name, refused credentials. */
  private static final List<String> TERMINAL_PULL_WORDS = List.of(
      "no basic auth credentials", "unauthorized", "authentication required", "access denied", "denied:",
      "forbidden", "manifest unknown", "not found", "does not exist", "invalid reference format",
      "repository name must", "no matching manifest", "name unknown", "name invalid");

  private DaemonErrors() {}

  /**
   * Whether the daemon answered with an HTTP error, as opposed to not answering (connection refused,
   * reset, socket missing), which docker-java reports as a plain runtime exception around an IOException.
   */
  static boolean daemonAnswered(Throwable error) {
    return error instanceof DockerException;
  }

  static boolean isNotFound(Throwable error) {
    return error instanceof NotFoundException;
  }

  /** The daemon's message, or for a connection failure the innermost cause's. */
  static String message(Throwable error) {
    if (error instanceof DockerException) {
      String text = error.getMessage() == null ? "" : error.getMessage();
      int brace = text.indexOf('{');
      if (brace >= 0) {
        try {
          JsonNode node = JsonTrees.read(text.substring(brace));
          if (node != null && node.hasNonNull("message")) {
            return node.get("message").asText();
          }
        } catch (IOException e) {
          // Not JSON: use the text as it is.
        }
      }
      return text.replaceFirst("^Status \\d+: ", "").strip();
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = root.getMessage();
    return root.getClass().getSimpleName() + (text == null ? "" : ": " + text);
  }

  /** Whether a failed pull (HTTP error or a message in the progress stream) will fail again the same way. */
  static boolean isTerminalPullFailure(Throwable error, String message) {
    if (error instanceof BadRequestException || error instanceof NotFoundException
        || error instanceof UnauthorizedException) {
      return true;
    }
    if (error instanceof DockerException docker && (docker.getHttpStatus() == 403)) {
      return true;
    }
    return isTerminalPullMessage(message);
  }

  static boolean isTerminalPullMessage(String message) {
    String lower = message.toLowerCase(Locale.ROOT);
    return TERMINAL_PULL_WORDS.stream().anyMatch(lower::contains);
  }
}
