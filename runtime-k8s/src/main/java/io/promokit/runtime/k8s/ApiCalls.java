package io.promokit.runtime.k8s;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.promokit.spi.ContainerRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Calls the Kubernetes API: transient failures (429, 5xx, a connection refused or reset) are tried again
 * with exponential backoff; the rest, and transient ones that outlast the tries, become a
 * {@link ContainerRuntimeException} that says what was asked.
 */
final class ApiCalls {

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final int attempts;
  private final RetryConfig config;

  ApiCalls(int attempts, Duration backoff) {
    this.attempts = attempts;
    this.config = RetryConfig.custom()
        .maxAttempts(attempts)
        .intervalFunction(IntervalFunction.ofExponentialBackoff(backoff, 2.0, MAX_BACKOFF))
        .retryOnException(ApiCalls::isTransient)
        .build();
  }

  /**
   * Runs the call, retrying transient failures.
   *
   * @param what what is asked, for messages: {@code create Pod p in namespace n}
   * @throws KubernetesClientException a permanent error, untranslated (for callers that handle some codes)
   * @throws ContainerRuntimeException (retryable) when transient failures outlast the tries
   */
  <T> T callRaw(String what, Supplier<T> action) {
    AtomicInteger tries = new AtomicInteger();
    Retry retry = Retry.of(what, config);
    try {
      return retry.executeSupplier(() -> {
        tries.incrementAndGet();
        return action.get();
      });
    } catch (KubernetesClientException e) {
      if (isTransient(e)) {
        throw ContainerRuntimeException.retryable("the Kubernetes API did not answer to " + what + " after "
            + tries.get() + (tries.get() == 1 ? " try: " : " tries: ") + describe(e), e);
      }
      throw e;
    }
  }

  /** As {@link #callRaw}, with permanent errors translated too. */
  <T> T call(String what, Supplier<T> action) {
    try {
      return callRaw(what, action);
    } catch (KubernetesClientException e) {
      throw permanent(what, e);
    }
  }

  /** As {@link #call} for calls without a result. */
  void run(String what, Runnable action) {
    call(what, () -> {
      action.run();
      return null;
    });
  }

  int attempts() {
    return attempts;
  }

  /** A permanent API error as the engine's exception: 403, 401, 404 (namespace), 422 are terminal. */
  static ContainerRuntimeException permanent(String what, KubernetesClientException e) {
    int code = e.getCode();
    String detail = describe(e);
    return switch (code) {
      case 401 -> ContainerRuntimeException.terminal("Kubernetes rejected the credentials to " + what + ": " + detail,
          e);
      case 403 -> ContainerRuntimeException.terminal("Kubernetes denied permission to " + what + ": " + detail, e);
      case 404 -> ContainerRuntimeException.terminal(notFound(what, e) + ": " + detail, e);
      case 422 -> ContainerRuntimeException.terminal("Kubernetes rejected the request to " + what + " as invalid: "
          + detail, e);
      default -> isTransient(e)
          ? ContainerRuntimeException.retryable("Kubernetes could not " + what + ": " + detail, e)
          : ContainerRuntimeException.terminal("Kubernetes could not " + what + ": " + detail, e);
    };
  }

  /** 429, 5xx, or no answer at all (connection refused or reset, timeout). */
  static boolean isTransient(Throwable t) {
    if (t instanceof KubernetesClientException ke) {
      int code = ke.getCode();
      if (code == 429 || code >= 500) {
        return true;
      }
      if (code > 0) {
        return false;
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException || c instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The HTTP code and the server's message, or the transport error. */
  static String describe(KubernetesClientException e) {
    Status status = e.getStatus();
    if (e.getCode() > 0) {
      String message = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
      return e.getCode() + (status != null && status.getReason() != null ? " " + status.getReason() : "")
          + ": " + message;
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static String notFound(String what, KubernetesClientException e) {
    Status status = e.getStatus();
    boolean namespace = status != null && status.getDetails() != null
        && "namespaces".equals(status.getDetails().getKind());
    if (namespace) {
      return "namespace \"" + status.getDetails().getName() + "\" not found (asked to " + what + ")";
    }
    return "not found (asked to " + what + ")";
  }
}
