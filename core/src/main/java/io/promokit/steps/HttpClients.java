package io.promokit.steps;

import io.promokit.steps.kit.InsecureTls;
import java.net.http.HttpClient;

/**
 * The {@code http} step's two clients, made when first needed and shared by every promotion that uses the
 * step: one that verifies TLS certificates and host names, and one that does not (for
 * {@code insecureSkipTLSVerify}, through the step kit's {@link InsecureTls}). Both follow redirects (not from
 * https to http), as Go's client does.
 */
final class HttpClients {

  private HttpClient verifying;
  private HttpClient insecure;

  synchronized HttpClient get(boolean skipTlsVerify) {
    if (skipTlsVerify) {
      if (insecure == null) {
        insecure = builder().sslContext(InsecureTls.context()).build();
      }
      return insecure;
    }
    if (verifying == null) {
      verifying = builder().build();
    }
    return verifying;
  }

  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL);
  }
}
