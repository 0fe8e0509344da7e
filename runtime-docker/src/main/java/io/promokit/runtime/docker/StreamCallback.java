package io.promokit.runtime.docker;

import com.github.dockerjava.api.async.ResultCallback;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A docker-java stream callback whose start and end can be awaited. Unlike docker-java's adapter, waiting
 * for the start also ends when the request failed before any response arrived (docker-java then calls
 * only {@link #onError}), and closing it from our side is not reported as an error.
 */
abstract class StreamCallback<T> implements ResultCallback<T> {

  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private volatile Closeable stream;
  private volatile boolean closedByUs;

  @Override
  public void onStart(Closeable stream) {
    this.stream = stream;
    started.complete(null);
  }

  @Override
  public void onError(Throwable error) {
    if (closedByUs) {
      finish();
      return;
    }
    started.completeExceptionally(error);
    finished.completeExceptionally(error);
    closeStream();
  }

  @Override
  public void onComplete() {
    finish();
  }

  /** Closes the stream from our side; the callback then ends without an error. */
  @Override
  public void close() {
    closedByUs = true;
    closeStream();
    finish();
  }

  /** Whether {@link #close()} ended the stream. */
  boolean closedByUs() {
    return closedByUs;
  }

  /**
   * Waits until the response started (or the request failed).
   *
   * @throws Exception the request's failure, as docker-java reported it
   */
  void awaitStarted(long timeout, TimeUnit unit) throws Exception {
    join(started, timeout, unit);
  }

  /**
   * Waits until the stream ended.
   *
   * @return false when it had not ended within the timeout
   * @throws Exception the stream's failure, as docker-java reported it
   */
  boolean awaitFinished(long timeout, TimeUnit unit) throws Exception {
    try {
      join(finished, timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  /** Whether the stream has ended (normally, with an error, or closed by us). */
  boolean isFinished() {
    return finished.isDone();
  }

  private void finish() {
    started.complete(null);
    finished.complete(null);
  }

  private void closeStream() {
    Closeable s = stream;
    if (s != null) {
      try {
        s.close();
      } catch (IOException | RuntimeException e) {
        // The stream is going away anyway.
      }
    }
  }

  private static void join(CompletableFuture<Void> future, long timeout, TimeUnit unit) throws Exception {
    try {
      future.get(timeout, unit);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw e;
    }
  }
}
