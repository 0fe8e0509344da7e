package io.promokit.runtime.k8s.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A container's log file as the kubelet keeps it: stdout and stderr read separately and appended line by line, so
 * a line of one stream is never cut by a line of the other (the container runtime logs whole lines per stream;
 * writing both streams of {@code docker run} into one file cut lines wherever the daemon's reads ended). A line
 * longer than {@link #PARTIAL} is appended in pieces, as the runtime logs partial entries.
 */
final class ContainerLogFile {

  /** The longest piece appended at once (containerd's partial-entry size). */
  static final int PARTIAL = 16 * 1024;

  private final OutputStream out;
  private final CountDownLatch streamsEnded = new CountDownLatch(2);

  private ContainerLogFile(Path file) throws IOException {
    this.out = Files.newOutputStream(file);
  }

  /** Starts copying the process's stdout and stderr into the file (created or emptied). */
  static ContainerLogFile follow(Process process, Path file) throws IOException {
    ContainerLogFile log = new ContainerLogFile(file);
    log.copy(process.getInputStream(), "stdout");
    log.copy(process.getErrorStream(), "stderr");
    return log;
  }

  /** Whether both streams reached their end and everything they carried is in the file. */
  boolean complete() {
    return streamsEnded.getCount() == 0;
  }

  /** Waits until {@link #complete()}, at most the timeout. */
  boolean awaitComplete(long timeout, TimeUnit unit) throws InterruptedException {
    return streamsEnded.await(timeout, unit);
  }

  private void copy(InputStream in, String stream) {
    Thread t = new Thread(() -> {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      try (in) {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
          for (int i = 0; i < n; i++) {
            line.write(buffer[i]);
            if (buffer[i] == '\n' || line.size() >= PARTIAL) {
              append(line);
            }
          }
        }
        append(line);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        streamsEnded.countDown();
        if (streamsEnded.getCount() == 0) {
          close();
        }
      }
    }, "container-log-" + stream);
    t.setDaemon(true);
    t.start();
  }

  private void append(ByteArrayOutputStream line) throws IOException {
    if (line.size() == 0) {
      return;
    }
    synchronized (out) {
      line.writeTo(out);
      out.flush();
    }
    line.reset();
  }

  private void close() {
    try {
      synchronized (out) {
        out.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
