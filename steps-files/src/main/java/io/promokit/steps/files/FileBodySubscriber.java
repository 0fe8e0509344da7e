package io.promokit.steps.files;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Streams a response body into a file as it arrives, one delivery at a time on the HTTP client's thread (it asks
 * for the next delivery only after writing the last, so memory stays bounded by the client's buffers whatever
 * the size), refusing bodies over a size limit: the download is cancelled at the first byte past it. Completes
 * with the number of bytes written. Measured on loopback, this push-style writing is faster than reading the body
 * as an {@code InputStream} on another thread, which adds a hand-over per buffer.
 */
final class FileBodySubscriber implements HttpResponse.BodySubscriber<Long> {

  /** The body was larger than the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("download exceeds limit of " + limit + " bytes");
    }
  }

  private final Path file;
  private final long limit;
  private final CompletableFuture<Long> result = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;
  private FileChannel channel;
  private long written;

  FileBodySubscriber(Path file, long limit) {
    this.file = file;
    this.limit = limit;
  }

  @Override
  public CompletionStage<Long> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    try {
      channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      fail(e);
      return;
    }
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    try {
      long size = 0;
      for (ByteBuffer b : buffers) {
        size += b.remaining();
      }
      if (written + size > limit) {
        fail(new TooLarge(limit));
        return;
      }
      // one gathering write per delivery, on the client's own thread: no copy, no hand-over to another thread
      ByteBuffer[] array = buffers.toArray(ByteBuffer[]::new);
      for (long left = size; left > 0; ) {
        left -= channel.write(array);
      }
      written += size;
      subscription.request(1);
    } catch (IOException e) {
      fail(e);
    }
  }

  @Override
  public void onError(Throwable error) {
    closeChannel();
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    try {
      channel.close();
      result.complete(written);
    } catch (IOException e) {
      result.completeExceptionally(e);
    }
  }

  /** Stops the download (timeout, cancellation): nothing more is written. */
  void abort(Throwable reason) {
    fail(reason);
  }

  private void fail(Throwable reason) {
    if (result.completeExceptionally(reason)) {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      closeChannel();
    }
  }

  private synchronized void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the file is being given up anyway
      }
    }
  }
}
