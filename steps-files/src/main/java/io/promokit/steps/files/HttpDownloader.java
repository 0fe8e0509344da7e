package io.promokit.steps.files;

import io.promokit.expressions.GoDuration;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * GETs a URL into a file the way Kargo's http-download does (Go's HTTP client): up to 10 redirects, followed
 * from https to http too, 301/302/303/307/308 all as GET; headers kept on a redirect except {@code Authorization},
 * {@code Cookie} and {@code WWW-Authenticate} when it leaves the original host (and its subdomains); link-local
 * addresses refused at every hop; one timeout for the whole exchange, body included; the body streamed to disk
 * through one 1 MiB buffer, bounded by a size limit (a {@code Content-Length} over it is refused before any byte
 * is read).
 *
 * <p>The transport is {@code java.net.http.HttpClient} (redirects off: they are followed here, to check every
 * hop). The body is read as a stream on the step's thread and written with large writes; a timeout or a
 * cancellation closes the stream and cancels the exchange, which ends a blocked read at once
 * ({@code HttpURLConnection}, though a little faster, cannot be interrupted in a read). One instance serves every
 * download of a {@code FileSteps}; its two clients (verifying TLS or not) are made when first needed.
 */
final class HttpDownloader {

  static final int MAX_REDIRECTS = 10;
  private static final int BUFFER_BYTES = 1 << 20;
  private static final List<String> SENSITIVE_HEADERS = List.of("authorization", "www-authenticate", "cookie",
      "cookie2");

  /** One request header. */
  record Header(String name, String value) {}

  /** How an exchange ended, when it did not fail. */
  sealed interface Outcome permits Saved, Rejected, Oversized {}

  /** The body is in the file. */
  record Saved(long bytes, URI from) implements Outcome {}

  /** The server answered with a status other than 2xx. */
  record Rejected(int status, URI from) implements Outcome {}

  /** The server announced a body larger than the limit. */
  record Oversized(long contentLength) implements Outcome {}

  /** The exchange failed: network, timeout, too many redirects, a refused address, a body over the limit. */
  static final class DownloadException extends Exception {
    private static final long serialVersionUID = 1L;

    DownloadException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private HttpClient verifying;
  private HttpClient insecure;

  /**
   * Downloads {@code uri} into {@code file} (which exists; it is truncated).
   *
   * @param timeout the time the whole exchange may take
   * @param cancellation registers what stops the download when the step is cancelled
   * @throws InterruptedException when the step is cancelled
   */
  Outcome download(URI uri, List<Header> headers, boolean skipTlsVerify, Duration timeout, long maxBytes, Path file,
      Consumer<Runnable> cancellation) throws DownloadException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();   // a pure measurement of elapsed time
    HttpClient client = client(skipTlsVerify);
    String originalHost = uri.getHost().toLowerCase(Locale.ROOT);
    URI current = uri;
    for (int hop = 0; ; hop++) {
      if (hop > MAX_REDIRECTS) {
        throw new DownloadException("GET " + uri + ": stopped after " + MAX_REDIRECTS + " redirects", null);
      }
      guard(current);
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw timedOut(uri, timeout, null);
      }
      Exchange exchange = new Exchange(maxBytes);
      exchange.future = client.sendAsync(request(current, headers, originalHost, left), exchange);
      cancellation.accept(() -> exchange.stop(Stop.CANCELLED));
      CompletableFuture.delayedExecutor(left, TimeUnit.NANOSECONDS).execute(() -> exchange.stop(Stop.TIMED_OUT));
      try {
        HttpResponse<InputStream> response = exchange.future.get();
        int status = response.statusCode();
        if (exchange.redirect) {
          current = current.resolve(response.headers().firstValue("Location").orElseThrow());
          continue;
        }
        if (exchange.oversized >= 0) {
          return new Oversized(exchange.oversized);
        }
        if (status < 200 || status > 299) {
          return new Rejected(status, current);
        }
        long bytes = copy(response.body(), file, maxBytes);
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        exchange.check();
        if (length >= 0 && bytes != length) {
          throw new IOException("the response ended after " + bytes + " of its " + length + " bytes");
        }
        return new Saved(bytes, current);
      } catch (IOException | ExecutionException | CancellationException e) {
        Stop stop = exchange.stopped.get();
        if (stop == Stop.CANCELLED) {
          throw new InterruptedException("GET " + uri + " was cancelled");
        }
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        if (stop == Stop.TIMED_OUT || cause instanceof HttpTimeoutException) {
          throw timedOut(uri, timeout, cause);
        }
        throw failure(current, cause);
      } catch (InterruptedException e) {
        exchange.stop(Stop.CANCELLED);
        throw e;
      } finally {
        exchange.stop(Stop.DONE);
      }
    }
  }

  private static HttpRequest request(URI uri, List<Header> headers, String originalHost, long leftNanos) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofNanos(leftNanos));
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      builder.version(HttpClient.Version.HTTP_1_1);   // no h2c upgrade with plain-HTTP servers
    }
    boolean sameDomain = sameDomain(originalHost, uri.getHost().toLowerCase(Locale.ROOT));
    for (Header header : headers) {
      if (sameDomain || !SENSITIVE_HEADERS.contains(header.name().toLowerCase(Locale.ROOT))) {
        builder.header(header.name(), header.value());
      }
    }
    return builder.build();
  }

  /** Streams the body into the file, refusing more than {@code maxBytes}. */
  private static long copy(InputStream body, Path file, long maxBytes) throws IOException, DownloadException {
    byte[] buffer = new byte[BUFFER_BYTES];
    long total = 0;
    try (InputStream in = body;
        FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      while (true) {
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (n <= 0) {
          return total;
        }
        total += n;
        if (total > maxBytes) {
          throw new DownloadException("download exceeds limit of " + maxBytes + " bytes", null);
        }
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
      }
    }
  }

  private static void guard(URI uri) throws DownloadException {
    try {
      LinkLocalGuard.check(uri.getHost());
    } catch (LinkLocalGuard.RefusedException e) {
      throw new DownloadException("GET " + uri + ": " + e.getMessage(), e);
    } catch (UnknownHostException e) {
      throw new DownloadException("GET " + uri + ": cannot resolve the host " + uri.getHost(), e);
    }
  }

  /** Go's rule: sensitive headers go to the same host or one of its subdomains only. */
  private static boolean sameDomain(String original, String target) {
    return target.equals(original) || target.endsWith("." + original);
  }

  private static DownloadException timedOut(URI uri, Duration timeout, Throwable cause) {
    return new DownloadException("GET " + uri + " timed out after " + GoDuration.format(timeout), cause);
  }

  private static DownloadException failure(URI uri, Throwable e) {
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (e instanceof ConnectException) {
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      return new DownloadException("GET " + uri + ": cannot connect to " + uri.getHost() + ":" + port + " ("
          + message + ")", e);
    }
    return new DownloadException("GET " + uri + " failed: " + message, e);
  }

  private synchronized HttpClient client(boolean skipTlsVerify) {
    if (skipTlsVerify) {
      if (insecure == null) {
        insecure = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(TrustAllTls.context()).build();
      }
      return insecure;
    }
    if (verifying == null) {
      verifying = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }
    return verifying;
  }

  /** Why an exchange was stopped: the first reason wins. */
  private enum Stop { DONE, TIMED_OUT, CANCELLED }

  /**
   * One request: decides from the status and headers whether the body is wanted (a 2xx within the limit, read
   * as a stream) or the connection given up at once (a redirect to follow, another status, a body announced
   * too large); and is stopped once, when done, at the deadline or when cancelled.
   */
  private static final class Exchange implements HttpResponse.BodyHandler<InputStream> {
    private final long maxBytes;
    final AtomicReference<Stop> stopped = new AtomicReference<>();
    volatile CompletableFuture<HttpResponse<InputStream>> future;
    private volatile InputStream body;
    volatile boolean redirect;
    volatile long oversized = -1;

    Exchange(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public HttpResponse.BodySubscriber<InputStream> apply(HttpResponse.ResponseInfo info) {
      int status = info.statusCode();
      if ((status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
          && info.headers().firstValue("Location").isPresent()) {
        redirect = true;
        return dropped();
      }
      if (status < 200 || status > 299) {
        return dropped();
      }
      OptionalLong length = info.headers().firstValueAsLong("Content-Length");
      if (length.isPresent() && length.getAsLong() > maxBytes) {
        oversized = length.getAsLong();
        return dropped();
      }
      HttpResponse.BodySubscriber<InputStream> stream = HttpResponse.BodySubscribers.ofInputStream();
      return HttpResponse.BodySubscribers.mapping(stream, in -> {
        body = in;
        if (stopped.get() != null) {
          closeQuietly(in);
        }
        return in;
      });
    }

    /** Throws when the exchange was stopped while the body was read (a closed stream may just look ended). */
    void check() throws IOException {
      Stop stop = stopped.get();
      if (stop == Stop.TIMED_OUT || stop == Stop.CANCELLED) {
        throw new IOException("stopped: " + stop);
      }
    }

    void stop(Stop reason) {
      if (stopped.compareAndSet(null, reason)) {
        InputStream in = body;
        if (in != null) {
          closeQuietly(in);
        }
        CompletableFuture<HttpResponse<InputStream>> f = future;
        if (f != null && reason != Stop.DONE) {
          f.cancel(true);
        }
      }
    }

    private static void closeQuietly(InputStream in) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the exchange is being given up
      }
    }

    /** A body not wanted: the connection is given up without reading it (a 1 GiB error page is not read). */
    private static HttpResponse.BodySubscriber<InputStream> dropped() {
      CompletableFuture<InputStream> none = new CompletableFuture<>();
      return new HttpResponse.BodySubscriber<>() {
        @Override
        public CompletionStage<InputStream> getBody() {
          return none;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          subscription.cancel();
          none.complete(null);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {}

        @Override
        public void onError(Throwable throwable) {
          none.complete(null);
        }

        @Override
        public void onComplete() {
          none.complete(null);
        }
      };
    }
  }
}
