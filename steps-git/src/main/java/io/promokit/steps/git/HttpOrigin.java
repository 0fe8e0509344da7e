package io.promokit.steps.git;

import io.promokit.StepException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The scheme and host (with its port, when the URL gives one) of an HTTP(S) remote, as git names the remote
 * in its credential prompts ({@code Password for 'https://user@host:8443': }).
 */
record HttpOrigin(String scheme, String host) {

  /**
   * The origin of an {@code http://} or {@code https://} URL.
   *
   * @throws StepException (terminal) when the URL has no host
   */
  static HttpOrigin of(String url) {
    try {
      URI uri = new URI(url.strip());
      String authority = uri.getRawAuthority();
      if (uri.getScheme() == null || authority == null) {
        throw StepException.terminal("cannot tell the host of " + url);
      }
      String host = authority.substring(authority.lastIndexOf('@') + 1);
      return new HttpOrigin(uri.getScheme().toLowerCase(Locale.ROOT), host);
    } catch (URISyntaxException e) {
      throw StepException.terminal("cannot tell the host of " + url + ": " + e.getReason(), e);
    }
  }
}
