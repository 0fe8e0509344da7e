package io.promokit.steps.kit;

import java.net.http.HttpClient;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A step's two HTTP clients, made when first needed and then shared by every promotion that uses the step: one
 * that verifies TLS certificates and host names, and one that does not (for {@code insecureSkipTLSVerify},
 * through {@link InsecureTls}). A step keeps one pair for its lifetime, as {@link HttpClient}s are meant to be
 * shared. Thread-safe.
 */
public final class HttpClientPair {

  private final Supplier<HttpClient.Builder> builder;
  private HttpClient verifying;
  private HttpClient insecure;

  private HttpClientPair(Supplier<HttpClient.Builder> builder) {
    this.builder = builder;
  }

  /**
   * A pair of clients built from this builder's settings (redirects, connect timeout...).
   *
   * @param builder makes a fresh builder each time it is called; the pair sets the TLS context of the insecure one
   * @return the pair, with neither client made yet
   */
  public static HttpClientPair of(Supplier<HttpClient.Builder> builder) {
    return new HttpClientPair(Objects.requireNonNull(builder, "builder"));
  }

  /**
   * The client to use.
   *
   * @param skipTlsVerify whether the step's config asks not to verify the server's certificate
   * @return the shared verifying client, or the shared insecure one
   */
  public synchronized HttpClient get(boolean skipTlsVerify) {
    if (skipTlsVerify) {
      if (insecure == null) {
        insecure = builder.get().sslContext(InsecureTls.context()).build();
      }
      return insecure;
    }
    if (verifying == null) {
      verifying = builder.get().build();
    }
    return verifying;
  }
}
