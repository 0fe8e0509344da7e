package io.promokit.runtime.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the step container's log ({@code follow=true}) and feeds it, line by line, to a
 * {@link PodLogDecoder}. When the stream ends before the container has, the connection dropped: it
 * reads the log again and skips the lines it already delivered. It is done when the stream has ended
 * after the container terminated (every line delivered), or when it gave up.
 */
final class PodLogFollower implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PodLogFollower.class);

  /** How long to wait, at the end of a stream, for the watch to report that the container ended. */
  private static final Duration END_CONFIRMATION = Duration.ofSeconds(2);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final String namespace;
  private final String pod;
  private final PodLogDecoder decoder;
  private final CompletableFuture<?> containerEnded;
  private final int maxFailures;
  private final Duration backoff;
  private final CompletableFuture<String> done = new CompletableFuture<>();
  private volatile InputStream current;
  private volatile boolean closed;

  /**
   * @param containerEnded completes when the watch saw the step container terminate or the Pod go
   * @param maxFailures failed reads in a row after which it gives up
   */
  PodLogFollower(KubernetesClient client, String namespace, String pod, PodLogDecoder decoder,
      CompletableFuture<?> containerEnded, int maxFailures, Duration backoff) {
    this.client = client;
    this.namespace = namespace;
    this.pod = pod;
    this.decoder = decoder;
    this.containerEnded = containerEnded;
    this.maxFailures = maxFailures;
    this.backoff = backoff;
  }

  /** Completes when following ended: with null when the whole log was read, else with why not. */
  CompletableFuture<String> done() {
    return done;
  }

  /** Stops following (the Pod is being removed). */
  void close() {
    closed = true;
    InputStream in = current;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        LOG.debug("closing the log stream of {}: {}", pod, e.toString());
      }
    }
    done.complete("the log was not read to its end: the Pod was removed first");
  }

  @Override
  public void run() {
    int failures = 0;
    String lastProblem = null;
    while (!closed) {
      long skip = decoder.linesSeen();
      try {
        ReadResult result = readOnce(skip);
        if (result == ReadResult.POD_GONE) {
          done.complete(decoder.frameComplete() ? null : "the Pod was gone before its log was read to the end");
          return;
        }
        failures = 0;
        if (ended()) {
          done.complete(null);
          return;
        }
        // the stream ended while the container runs: the connection dropped; read again
      } catch (LogReadException e) {
        failures++;
        lastProblem = e.getMessage();
        if (failures >= maxFailures && containerEnded.isDone()) {
          done.complete("the log could not be read to its end after " + failures + " tries: " + lastProblem);
          return;
        }
      }
      if (!sleep(failures)) {
        return;
      }
    }
  }

  private enum ReadResult { END_OF_STREAM, POD_GONE }

  private ReadResult readOnce(long skip) throws LogReadException {
    HttpClient http = client.getHttpClient();
    String url = URLUtils.join(client.getMasterUrl().toString(), "api", "v1", "namespaces", namespace, "pods",
        pod, "log") + "?container=" + URLEncoder.encode(PodLayout.STEP_CONTAINER, StandardCharsets.UTF_8)
        + "&follow=true";
    HttpRequest request = http.newHttpRequestBuilder().uri(url).forStreaming().build();
    HttpResponse<InputStream> response;
    try {
      response = http.sendAsync(request, InputStream.class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
      throw new LogReadException("interrupted");
    } catch (ExecutionException e) {
      throw new LogReadException(e.getCause().toString());
    }
    try (InputStream in = response.body()) {
      if (response.code() == 404) {
        return ReadResult.POD_GONE;
      }
      if (!response.isSuccessful()) {
        String body = in == null ? "" : new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        throw new LogReadException("HTTP " + response.code() + ": " + body);
      }
      current = in;
      if (closed) {
        return ReadResult.END_OF_STREAM;
      }
      readLines(in, skip);
      return ReadResult.END_OF_STREAM;
    } catch (IOException e) {
      if (closed) {
        return ReadResult.END_OF_STREAM;
      }
      throw new LogReadException(e.toString());
    } finally {
      current = null;
    }
  }

  /** Reads lines up to the end of the stream; the last line without a newline counts only at the very end. */
  private void readLines(InputStream in, long skip) throws IOException {
    long seen = 0;
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      for (int i = 0; i < n; i++) {
        byte b = buffer[i];
        if (b == '\n') {
          if (seen++ >= skip) {
            decoder.line(text(line));
          }
          line.reset();
        } else {
          line.write(b);
        }
      }
    }
    if (line.size() > 0 && seen >= skip && ended()) {
      decoder.line(text(line));
    }
  }

  /** Whether the container has ended (waiting a little for the watch to say so). */
  private boolean ended() {
    try {
      containerEnded.get(END_CONFIRMATION.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
      return true;
    } catch (ExecutionException e) {
      return true;
    }
  }

  private boolean sleep(int failures) {
    long millis = Math.min(MAX_BACKOFF.toMillis(), backoff.toMillis() * (1L << Math.min(failures, 10)));
    try {
      Thread.sleep(millis);
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String text(ByteArrayOutputStream line) {
    byte[] bytes = line.toByteArray();
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  private static final class LogReadException extends Exception {
    private static final long serialVersionUID = 1L;

    LogReadException(String message) {
      super(message);
    }
  }
}
