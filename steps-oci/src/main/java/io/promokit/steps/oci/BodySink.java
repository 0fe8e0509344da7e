package io.promokit.steps.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Receives one response body as it arrives, one delivery at a time on the HTTP client's thread (the next is asked
 * for only after the last is written, so memory stays bounded whatever the size): into a file or into memory, up
 * to a limit, computing its SHA-256 on the way and noting when bytes last arrived (so that a stalled transfer can
 * be stopped). A body longer than the limit is cut at the first byte past it; one shorter than the expected size
 * fails when it ends.
 */
final class BodySink implements HttpResponse.BodySubscriber<BodySink.Result> {

  /** What was received. */
  record Result(long bytes, String sha256, byte[] content) {
    String digest() {
      return "sha256:" + sha256;
    }
  }

  /** The body broke a size rule. */
  static final class SizeException extends IOException {
    private static final long serialVersionUID = 1L;

    SizeException(String message) {
      super(message);
    }
  }

  private final Path file;
  private final long limit;
  private final long expected;
  private final String what;
  private final boolean truncate;
  private final MessageDigest sha256;
  private final ByteArrayOutputStream memory;
  private final CompletableFuture<Result> result = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;
  private volatile long lastProgress = System.nanoTime();   // a pure measurement of elapsed time
  private FileChannel channel;
  private long written;

  private BodySink(Path file, long limit, long expected, String what, boolean truncate) {
    this.truncate = truncate;
    this.file = file;
    this.limit = limit;
    this.expected = expected;
    this.what = what;
    this.memory = file == null ? new ByteArrayOutputStream() : null;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** Into memory, at most {@code limit} bytes. */
  static BodySink toMemory(long limit, String what) {
    return new BodySink(null, limit, -1, what, false);
  }

  /** Into memory, the first {@code limit} bytes; the rest is not read (an error answer's text). */
  static BodySink firstBytes(long limit) {
    return new BodySink(null, limit, -1, "the answer", true);
  }

  /** Into {@code file} (which exists), exactly {@code expected} bytes. */
  static BodySink toFile(Path file, long expected, String what) {
    return new BodySink(file, expected, expected, what, false);
  }

  /** When bytes last arrived, on {@link System#nanoTime()}. */
  long lastProgress() {
    return lastProgress;
  }

  @Override
  public CompletionStage<Result> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (file != null) {
      try {
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      } catch (IOException e) {
        abort(e);
        return;
      }
    }
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    lastProgress = System.nanoTime();
    try {
      long size = 0;
      for (ByteBuffer b : buffers) {
        size += b.remaining();
      }
      if (written + size > limit && truncate) {
        for (ByteBuffer b : buffers) {
          int take = (int) Math.min(b.remaining(), limit - written);
          byte[] bytes = new byte[take];
          b.get(bytes);
          memory.write(bytes);
          written += take;
        }
        result.complete(new Result(written, "", memory.toByteArray()));
        subscription.cancel();
        return;
      }
      if (written + size > limit) {
        abort(new SizeException(expected >= 0
            ? what + " is longer than the " + expected + " bytes its descriptor gives"
            : what + " is larger than " + limit + " bytes"));
        return;
      }
      for (ByteBuffer b : buffers) {
        sha256.update(b.duplicate());
      }
      if (channel != null) {
        ByteBuffer[] array = buffers.toArray(ByteBuffer[]::new);
        for (long left = size; left > 0; ) {
          left -= channel.write(array);
        }
      } else {
        for (ByteBuffer b : buffers) {
          byte[] bytes = new byte[b.remaining()];
          b.get(bytes);
          memory.write(bytes);
        }
      }
      written += size;
      subscription.request(1);
    } catch (IOException e) {
      abort(e);
    }
  }

  @Override
  public void onError(Throwable error) {
    closeChannel();
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    closeChannel();
    if (expected >= 0 && written != expected) {
      result.completeExceptionally(new SizeException(what + " ended after " + written + " of " + expected + " bytes"));
      return;
    }
    result.complete(new Result(written, HexFormat.of().formatHex(sha256.digest()),
        memory == null ? null : memory.toByteArray()));
  }

  /** Stops receiving (a stall, a cancellation, a size rule): nothing more is written. */
  void abort(Throwable reason) {
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
        // the file is given up or complete; a close error changes nothing already written and synced by rename
      }
    }
  }
}
