package io.promokit.steps.oci;

import io.promokit.steps.kit.InsecureTls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What every registry session of one {@link OciSteps} shares: its two HTTP clients (verifying TLS or not, made
 * when first needed; redirects are followed by the session, which drops credentials when a redirect leaves the
 * registry), the time limits, and the rules for plain HTTP and for credentials over it.
 *
 * <p>Plain HTTP follows go-containerregistry, which Kargo uses: a registry on a loopback address,
 * {@code localhost}, a {@code .local} name or a private (RFC 1918) address is tried over HTTPS first and over
 * plain HTTP when HTTPS cannot connect. The registries a host names as plain-HTTP ones are reached over plain
 * HTTP only (no HTTPS attempt first). Every other registry is HTTPS only. Credentials go over plain HTTP only when allowed ({@code ALLOW_CREDENTIALS_OVER_HTTP}).
 */
final class RegistryTransport {

  private static final Pattern LOCAL_NAME = Pattern.compile(".*\\.local(?:host)?(?::\\d{1,5})?$");

  final Duration connectTimeout;
  final Duration stallTimeout;
  final boolean credentialsOverHttp;
  private final boolean plainHttpForLocal;
  private final Set<String> plainHttpHosts;
  private HttpClient verifying;
  private HttpClient insecure;

  RegistryTransport(Duration connectTimeout, Duration stallTimeout, boolean credentialsOverHttp,
      boolean plainHttpForLocal, Set<String> plainHttpHosts) {
    this.connectTimeout = connectTimeout;
    this.stallTimeout = stallTimeout;
    this.credentialsOverHttp = credentialsOverHttp;
    this.plainHttpForLocal = plainHttpForLocal;
    this.plainHttpHosts = Set.copyOf(plainHttpHosts);
  }

  synchronized HttpClient client(boolean skipTlsVerify) {
    if (skipTlsVerify) {
      if (insecure == null) {
        insecure = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout)
            .sslContext(InsecureTls.context()).build();
      }
      return insecure;
    }
    if (verifying == null) {
      verifying = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout)
          .build();
    }
    return verifying;
  }

  /** The schemes to try for a registry, in order. */
  java.util.List<String> schemes(String host) {
    if (plainHttpHosts.contains(host.toLowerCase(Locale.ROOT))) {
      return java.util.List.of("http");
    }
    return mayUsePlainHttp(host) ? java.util.List.of("https", "http") : java.util.List.of("https");
  }

  /** Whether the registry may be reached over plain HTTP when HTTPS cannot connect (go-containerregistry's rule). */
  boolean mayUsePlainHttp(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    if (!plainHttpForLocal) {
      return false;
    }
    if (lower.startsWith("localhost:") || lower.equals("localhost") || LOCAL_NAME.matcher(lower).matches()
        || lower.contains("127.0.0.1") || lower.contains("::1")) {
      return true;
    }
    String address = lower.startsWith("[") ? lower.substring(1, Math.max(1, lower.indexOf(']')))
        : lower.contains(":") ? lower.substring(0, lower.lastIndexOf(':')) : lower;
    if (!address.matches("[0-9.]+")) {
      return false;   // only literal addresses are checked, as go-containerregistry does (no lookup)
    }
    try {
      InetAddress ip = InetAddress.getByName(address);
      return ip.isSiteLocalAddress() || ip.isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
