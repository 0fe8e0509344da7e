package io.promokit.steps.argocd;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.promokit.StepException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Calls the Kubernetes API as the Kubernetes runtime does: transient failures (429, 5xx, a connection refused or
 * reset) are tried again with exponential backoff (resilience4j; the client's own retries are off, so a call is
 * tried exactly {@code attempts} times); the rest, and transient ones that outlast the tries, become a retryable
 * {@link StepException} (Kargo's {@code E}) that says what was asked and what to fix.
 */
final class ApiCalls {

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final RetryConfig config;

  ApiCalls(int attempts, Duration backoff) {
    this.config = RetryConfig.custom()
        .maxAttempts(attempts)
        .intervalFunction(IntervalFunction.ofExponentialBackoff(backoff, 2.0, MAX_BACKOFF))
        .retryOnException(ApiCalls::isTransient)
        .build();
  }

  /**
   * Runs the call, retrying transient failures.
   *
   * @param what what is asked, for messages: {@code get Argo CD Application "app" in namespace "argocd"}
   * @throws KubernetesClientException a permanent error, untranslated (for callers that handle some codes)
   * @throws StepException when transient failures outlast the tries
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
        throw new StepException("the Kubernetes API did not answer to " + what + " after " + tries.get()
            + (tries.get() == 1 ? " try: " : " tries: ") + describe(e), e);
      }
      throw e;
    }
  }

  /** As {@link #callRaw}, with permanent errors translated too. */
  <T> T call(String what, String namespace, Supplier<T> action) {
    try {
      return callRaw(what, action);
    } catch (KubernetesClientException e) {
      throw permanent(what, namespace, e);
    }
  }

  /**
   * A permanent API error as a step error naming what to fix: the credentials (401), the permissions the Argo CD
   * client needs (403), a cluster without Argo CD (404 of the Application kind), an invalid request (422).
   */
  static StepException permanent(String what, String namespace, KubernetesClientException e) {
    String detail = describe(e);
    String message = switch (e.getCode()) {
      case 401 -> "Kubernetes rejected the credentials of the Argo CD client to " + what + ": " + detail
          + "; check the kubeconfig the steps use (the CLI's --argocd-kubeconfig)";
      case 403 -> "Kubernetes denied permission to " + what + ": " + detail + "; the Argo CD client's identity needs "
          + "get, list and patch on applications.argoproj.io, and create on events, in namespace \"" + namespace + "\"";
      case 404 -> isKindMissing(e)
          ? "the cluster serves no Argo CD Applications (argoproj.io/v1alpha1) (asked to " + what + "): " + detail
              + "; is Argo CD installed there, and does the kubeconfig the steps use (the CLI's --argocd-kubeconfig) "
              + "point at its cluster?"
          : "not found (asked to " + what + "): " + detail;
      case 422 -> "Kubernetes rejected the request to " + what + " as invalid: " + detail;
      default -> "Kubernetes could not " + what + ": " + detail;
    };
    return new StepException(message, e);
  }

  /** A 404 about the resource type itself (no CRD), not about one object: its Status names no object. */
  static boolean isKindMissing(KubernetesClientException e) {
    Status status = e.getStatus();
    return e.getCode() == 404
        && (status == null || status.getDetails() == null || status.getDetails().getName() == null
            || status.getDetails().getName().isEmpty());
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
}
