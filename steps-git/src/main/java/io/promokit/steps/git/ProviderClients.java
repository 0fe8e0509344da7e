package io.promokit.steps.git;

import io.promokit.steps.kit.InsecureTls;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The HTTP clients of the pull-request steps, made when first needed and shared by every promotion of one
 * {@link GitSteps}: one that verifies TLS certificates and host names, one that does not (for
 * {@code insecureSkipTLSVerify}). Neither follows redirects: a token must never follow a redirect to
 * another host. Thread-safe.
 */
final class ProviderClients {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

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
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(CONNECT_TIMEOUT);
  }
}
