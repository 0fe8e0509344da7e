package io.promokit.steps.git;

import java.time.Duration;
import java.util.Optional;

/**
 * A pull-request host's error: transient (the network, 429, 5xx, a rate limit: worth trying again, after
 * {@link #retryAfter()} when the host said when) or not (authentication, a missing pull request, a refusal).
 * Its message never holds a token.
 */
final class ProviderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean transientFailure;
  private final transient Duration retryAfter;
  private final int status;

  private ProviderException(String message, Throwable cause, boolean transientFailure, Duration retryAfter,
      int status) {
    super(message, cause);
    this.transientFailure = transientFailure;
    this.retryAfter = retryAfter;
    this.status = status;
  }

  /** An error worth trying again. */
  static ProviderException transientFailure(String message, int status, Duration retryAfter, Throwable cause) {
    return new ProviderException(message, cause, true, retryAfter, status);
  }

  /** An error that trying again will not fix by itself. */
  static ProviderException failure(String message, int status) {
    return new ProviderException(message, null, false, null, status);
  }

  /** An error that is no HTTP answer (a malformed body, an unknown merge method). */
  static ProviderException failure(String message) {
    return failure(message, 0);
  }

  boolean isTransient() {
    return transientFailure;
  }

  /** When the host asked to be called again ({@code Retry-After}, a rate limit's reset). */
  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The HTTP status, 0 when there was no answer. */
  int status() {
    return status;
  }
}
