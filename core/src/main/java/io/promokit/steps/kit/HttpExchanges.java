package io.promokit.steps.kit;

import io.promokit.StepContext;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for an asynchronous HTTP exchange ({@code HttpClient.sendAsync}) the way a step must: the attempt's
 * cancellation (abort, timeout) cancels the exchange and ends the wait as an interruption, and whatever kept a
 * response from coming is one {@link Failure} the step turns into its own error (a {@code StepException}, a
 * retryable host error...).
 */
public final class HttpExchanges {

  private HttpExchanges() {}

  /** Why an exchange gave no response. */
  public static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kept the response from coming. */
    public enum Kind {
      /** The wait or the client's request timeout ran out. */
      TIMED_OUT,
      /** No connection could be made. */
      CANNOT_CONNECT,
      /** Anything else: an I/O error, a TLS error, a body handler's own failure ({@link #getCause()}). */
      FAILED
    }

    private final Kind kind;

    private Failure(Kind kind, String reason, Throwable cause) {
      super(reason, cause);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

  /**
   * Waits for the exchange.
   *
   * @param limit the longest wait (the request's own timeout covers only the wait for headers)
   * @param uri the request's address, named in a connection failure
   * @param what the exchange in messages ({@code GET https://...})
   * @return the response
   * @throws InterruptedException when the thread is interrupted or the attempt is cancelled (the exchange is
   *     cancelled too), saying {@code <what> was cancelled} for a cancellation
   * @throws Failure when no response came; its message is the reason: {@code cannot connect to host:port
   *     (...)} or the cause's message (empty for {@link Failure.Kind#TIMED_OUT})
   */
  public static <T> T await(StepContext context, CompletableFuture<T> future, Duration limit, URI uri, String what)
      throws InterruptedException, Failure {
    Objects.requireNonNull(future, "future must not be null");
    context.onCancel(() -> future.cancel(true));
    try {
      return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new Failure(Failure.Kind.TIMED_OUT, "", e);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (CancellationException e) {
      throw new InterruptedException(what + " was cancelled");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (context.isCancelled() || cause instanceof CancellationException) {
        throw new InterruptedException(what + " was cancelled");
      }
      if (cause instanceof HttpTimeoutException) {
        throw new Failure(Failure.Kind.TIMED_OUT, "", cause);
      }
      if (cause instanceof ConnectException) {
        throw new Failure(Failure.Kind.CANNOT_CONNECT, "cannot connect to " + uri.getHost() + ":" + port(uri) + " ("
            + messageOf(cause) + ")", cause);
      }
      throw new Failure(Failure.Kind.FAILED, messageOf(cause), cause);
    }
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** The first message down the cause chain, else the exception's simple name. */
  private static String messageOf(Throwable e) {
    Throwable cause = e;
    while ((cause.getMessage() == null || cause.getMessage().isBlank()) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
