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
 * Streams a response body into a file as it arrives, one chunk at a time (it asks for the next chunk only after
 * writing the last, so memory stays bounded by the client's buffers whatever the size), refusing bodies over a
 * size limit: the download is cancelled at the first byte past it. Completes with the number of bytes written.
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
  /** Chunks are gathered here and written 1 MiB at a time: far fewer system calls than one per chunk. */
  private final ByteBuffer pending = ByteBuffer.allocateDirect(1 << 20);
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
      for (ByteBuffer buffer : buffers) {
        while (buffer.hasRemaining()) {
          if (!pending.hasRemaining()) {
            flush();
          }
          int n = Math.min(pending.remaining(), buffer.remaining());
          ByteBuffer slice = buffer.slice();
          slice.limit(n);
          pending.put(slice);
          buffer.position(buffer.position() + n);
        }
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

  private void flush() throws IOException {
    pending.flip();
    while (pending.hasRemaining()) {
      channel.write(pending);
    }
    pending.clear();
  }

  @Override
  public void onComplete() {
    try {
      flush();
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
