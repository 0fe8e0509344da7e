package io.promokit.steps.files;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses hosts that resolve to a link-local address (IPv4 {@code 169.254.0.0/16}, IPv6 {@code fe80::/10}), as
 * Kargo's dialer does: such addresses serve cloud metadata (credentials of the machine), never downloads.
 *
 * <p>The JDK's HTTP client connects to the first address a name resolves to (the JVM caches lookups, 30 s by
 * default), so that address is the one checked, just before each request and each redirect.
 */
final class LinkLocalGuard {

  /** The host resolved to a link-local address. */
  static final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }

  private LinkLocalGuard() {}

  /**
   * @throws RefusedException when the host is, or resolves to, a link-local address
   * @throws UnknownHostException when the name does not resolve
   */
  static void check(String host) throws RefusedException, UnknownHostException {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress address = InetAddress.getByName(bare);
    if (address.isLinkLocalAddress()) {
      throw new RefusedException("refusing to connect to " + address.getHostAddress()
          + (bare.equals(address.getHostAddress()) ? "" : " (" + bare + ")")
          + ": it is a link-local address (169.254.0.0/16, fe80::/10), which serves cloud metadata, not downloads");
    }
  }
}
