package io.promokit.runtime.k8s;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tells image pull errors that will not pass (image missing, name invalid, access denied) from those
 * that may (registry unreachable, overloaded, rate-limited), by the words container runtimes use in the
 * messages the kubelet passes on.
 */
final class ImagePullErrors {

  /** Checked first: a network failure wins over words that merely mention authorization. */
  private static final List<String> PASSING = List.of(
      "connection refused", "connection reset", "no such host", "i/o timeout", "timeout", "timed out",
      "tls handshake", "network is unreachable", "no route to host", "server misbehaving", "unexpected eof",
      "toomanyrequests", "too many requests", "429", "500 internal", "502 bad", "503 service", "504 gateway",
      "internal server error", "bad gateway", "service unavailable", "gateway timeout");

  private static final List<String> LASTING = List.of(
      "not found", "notfound", "manifest unknown", "name unknown", "repository does not exist",
      "pull access denied", "access denied", "denied", "unauthorized", "authentication required",
      "authorization failed", "no basic auth credentials", "insufficient_scope", "forbidden", "401", "403",
      "invalid reference format");

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
    String m = message.toLowerCase(Locale.ROOT);
    if (PASSING.stream().anyMatch(m::contains)) {
      return false;
    }
    return LASTING.stream().anyMatch(m::contains);
  }

  /** Whether the message is only the kubelet's back-off notice, with no cause in it. */
  static boolean isBackOffNotice(String message) {
    return message == null || message.isBlank() || BARE_BACK_OFF.matcher(message.strip()).matches();
  }
}
