package io.promokit.steps.files;

import io.promokit.expressions.GoDuration;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
import java.util.concurrent.TimeoutException;

/**
 * GETs a URL into a file the way Kargo's http-download does (Go's HTTP client): up to 10 redirects, followed
 * from https to http too, 301/302/303 as GET, headers kept on a redirect except {@code Authorization},
 * {@code Cookie} and {@code WWW-Authenticate} when it leaves the original host (and its subdomains); link-local
 * addresses refused at every hop; one timeout for the whole exchange, body included; the body streamed to disk,
 * bounded by a size limit (a {@code Content-Length} over it is refused before any byte is read).
 *
 * <p>One instance serves every download of a {@code FileSteps}: its two HTTP clients (verifying TLS or not)
 * are made when first needed and reused.
 */
final class HttpDownloader {

  static final int MAX_REDIRECTS = 10;
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
      java.util.function.Consumer<Runnable> cancellation) throws DownloadException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();   // a pure measurement of elapsed time
    HttpClient client = client(skipTlsVerify);
    URI current = uri;
    String originalHost = uri.getHost().toLowerCase(Locale.ROOT);
    for (int hop = 0; ; hop++) {
      if (hop > MAX_REDIRECTS) {
        throw new DownloadException("GET " + uri + ": stopped after " + MAX_REDIRECTS + " redirects", null);
      }
      guard(current);
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw timedOut(uri, timeout, null);
      }
      HttpRequest request = request(current, headers, originalHost, Duration.ofNanos(left));
      Exchange exchange = new Exchange(file, maxBytes);
      CompletableFuture<HttpResponse<Long>> future = client.sendAsync(request, exchange);
      cancellation.accept(() -> {
        exchange.abort(new CancellationException("cancelled"));
        future.cancel(true);
      });
      HttpResponse<Long> response = await(future, exchange, uri, timeout, deadline);
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
      return new Saved(response.body(), current);
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

  private static HttpRequest request(URI uri, List<Header> headers, String originalHost, Duration timeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(timeout);
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

  /** Go's rule: sensitive headers go to the same host or one of its subdomains only. */
  private static boolean sameDomain(String original, String target) {
    return target.equals(original) || target.endsWith("." + original);
  }

  private static HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> future, Exchange exchange, URI uri,
      Duration timeout, long deadline) throws DownloadException, InterruptedException {
    try {
      return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.abort(e);
      future.cancel(true);
      throw timedOut(uri, timeout, e);
    } catch (InterruptedException e) {
      exchange.abort(e);
      future.cancel(true);
      throw e;
    } catch (CancellationException e) {
      throw new InterruptedException("GET " + uri + " was cancelled");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CancellationException) {
        throw new InterruptedException("GET " + uri + " was cancelled");
      }
      if (cause instanceof FileBodySubscriber.TooLarge tooLarge) {
        throw new DownloadException(tooLarge.getMessage(), tooLarge);
      }
      if (cause instanceof HttpTimeoutException) {
        throw timedOut(uri, timeout, cause);
      }
      if (cause instanceof ConnectException) {
        throw new DownloadException("GET " + uri + ": cannot connect to " + uri.getHost() + ":" + port(uri) + " ("
            + messageOf(cause) + ")", cause);
      }
      throw new DownloadException("GET " + uri + " failed: " + messageOf(cause), cause);
    }
  }

  private static DownloadException timedOut(URI uri, Duration timeout, Throwable cause) {
    return new DownloadException("GET " + uri + " timed out after " + GoDuration.format(timeout), cause);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String messageOf(Throwable e) {
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private synchronized HttpClient client(boolean skipTlsVerify) {
    if (skipTlsVerify) {
      if (insecure == null) {
        insecure = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(io.promokit.steps.kit.InsecureTls.context()).build();
      }
      return insecure;
    }
    if (verifying == null) {
      verifying = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }
    return verifying;
  }

  /**
   * Decides from the status and headers what to do with the body: stream it to the file (2xx within the limit),
   * or drop the connection at once (a redirect to follow, another status, a body announced too large).
   */
  private static final class Exchange implements HttpResponse.BodyHandler<Long> {
    private final Path file;
    private final long maxBytes;
    private volatile FileBodySubscriber writer;
    private volatile Throwable aborted;
    boolean redirect;
    long oversized = -1;

    Exchange(Path file, long maxBytes) {
      this.file = file;
      this.maxBytes = maxBytes;
    }

    @Override
    public HttpResponse.BodySubscriber<Long> apply(HttpResponse.ResponseInfo info) {
      int status = info.statusCode();
      if (isRedirect(status) && info.headers().firstValue("Location").isPresent()) {
        redirect = true;
        return new Dropped();
      }
      if (status < 200 || status > 299) {
        return new Dropped();
      }
      OptionalLong length = info.headers().firstValueAsLong("Content-Length");
      if (length.isPresent() && length.getAsLong() > maxBytes) {
        oversized = length.getAsLong();
        return new Dropped();
      }
      FileBodySubscriber subscriber = new FileBodySubscriber(file, maxBytes);
      writer = subscriber;
      if (aborted != null) {
        subscriber.abort(aborted);
      }
      return subscriber;
    }

    void abort(Throwable reason) {
      aborted = reason;
      FileBodySubscriber w = writer;
      if (w != null) {
        w.abort(reason);
      }
    }

    private static boolean isRedirect(int status) {
      return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
  }

  /** A body not wanted: the connection is given up without reading it. */
  private static final class Dropped implements HttpResponse.BodySubscriber<Long> {
    private final CompletableFuture<Long> result = new CompletableFuture<>();

    @Override
    public CompletionStage<Long> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
      result.complete(0L);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {}

    @Override
    public void onError(Throwable throwable) {
      result.complete(0L);
    }

    @Override
    public void onComplete() {
      result.complete(0L);
    }
  }
}
