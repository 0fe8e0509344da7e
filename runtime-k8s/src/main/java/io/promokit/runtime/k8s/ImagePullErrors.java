package io.promokit.runtime.k8s;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells image pull errors that will not pass (image missing, name invalid, access denied) from those
 * that may (registry unreachable, overloaded, rate-limited), by the words container runtimes use in the
 * messages the kubelet passes on. Names in a message (quoted text, image references, URLs, host:port) are
 * left out before the words are looked for: a registry on port 42901 or an image called "timeout-check"
 * must not decide the kind of error.
 */
final class ImagePullErrors {

  /** Checked first: a network failure wins over words that merely mention authorization. */
  private static final List<String> PASSING = List.of(
      "connection refused", "connection reset", "no such host", "i/o timeout", "timeout", "timed out",
      "tls handshake", "network is unreachable", "no route to host", "server misbehaving", "unexpected eof",
      "toomanyrequests", "too many requests", "internal server error", "bad gateway", "service unavailable",
      "gateway timeout");

  private static final List<String> LASTING = List.of(
      "not found", "notfound", "manifest unknown", "name unknown", "repository does not exist",
      "pull access denied", "access denied", "denied", "unauthorized", "authentication required",
      "authorization failed", "no basic auth credentials", "insufficient_scope", "forbidden",
      "invalid reference format");

  /** An HTTP status after "status", "code", "HTTP" or a colon, so that a tag or a port is never read as one. */
  private static final Pattern STATUS = Pattern.compile("(?:status|code|http|:)\\s*(\\d{3})\\b");

  /**
   * Quoted text, words holding a '/' (references, URLs), and host:port words (a host with a dot, localhost
   * or an IPv6 address in brackets, so that "status:404" stays).
   */
  private static final Pattern NAMES = Pattern.compile("\"[^\"]*\"|[^\\s\"]*/[^\\s\"]*"
      + "|(?:[^\\s\":]*\\.[^\\s\":]*|localhost|\\[[0-9a-fA-F:.]*\\]):\\d+\\b:?");

  private static final Pattern FAILED_EVENT = Pattern.compile("Failed to pull image \"[^\"]*\": ");

  private static final Pattern BARE_BACK_OFF = Pattern.compile("Back-off pulling image \"[^\"]*\"\\.?");

  private ImagePullErrors() {}

  /**
   * Whether the error will not pass by trying again. An unknown message counts as passing: the kubelet
   * keeps trying, and the grace period bounds the wait.
   */
  static boolean isLasting(String message) {
    if (message == null || message.isBlank()) {
      return false;
    }
    String m = NAMES.matcher(message).replaceAll(" ").toLowerCase(Locale.ROOT);
    int status = status(m);
    if (status == 429 || status >= 500 || PASSING.stream().anyMatch(m::contains)) {
      return false;
    }
    return status == 401 || status == 403 || status == 404 || LASTING.stream().anyMatch(m::contains);
  }

  /** The first HTTP error status the message gives, or 0. */
  private static int status(String message) {
    Matcher matcher = STATUS.matcher(message);
    while (matcher.find()) {
      int code = Integer.parseInt(matcher.group(1));
      if (code >= 400 && code <= 599) {
        return code;
      }
    }
    return 0;
  }

  /**
   * The cause in a kubelet's "Failed to pull image" event, as the container's waiting state gives it: the same
   * words whether the Pod was first seen pulling or already backing off.
   */
  static String causeOf(String failedEventMessage) {
    Matcher m = FAILED_EVENT.matcher(failedEventMessage);
    return m.lookingAt() ? failedEventMessage.substring(m.end()) : failedEventMessage;
  }

  /** Whether the message is only the kubelet's back-off notice, with no cause in it. */
  static boolean isBackOffNotice(String message) {
    return message == null || message.isBlank() || BARE_BACK_OFF.matcher(message.strip()).matches();
  }
}
