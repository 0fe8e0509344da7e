package io.promokit.steps;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The {@code http} step's two clients, made when first needed and shared by every promotion that uses the
 * step: one that verifies TLS certificates and host names, and one that does not (for
 * {@code insecureSkipTLSVerify}). Both follow redirects (not from https to http), as Go's client does.
 */
final class HttpClients {

  private HttpClient verifying;
  private HttpClient insecure;

  synchronized HttpClient get(boolean skipTlsVerify) {
    if (skipTlsVerify) {
      if (insecure == null) {
        insecure = builder().sslContext(trustEverything()).build();
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

  /**
   * A TLS context that accepts any certificate. An {@link X509ExtendedTrustManager} is also where the host
   * name is checked, so this one skips that too.
   */
  private static SSLContext trustEverything() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS without verification: " + e, e);
    }
  }

  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
