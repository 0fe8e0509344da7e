package io.promokit.runtime;

import io.promokit.event.LogStream;
import io.promokit.internal.FileKind;
import io.promokit.internal.process.LinePump;
import io.promokit.internal.process.ProcessTrees;
import io.promokit.spi.CapturedFile;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One command running as a host process: its log pumps, its scratch directory, its stop and clean-up. */
final class LocalProcess implements ContainerHandle {

  private static final Logger LOG = LoggerFactory.getLogger(LocalProcess.class);
  /** How long the log pumps may take to drain once the process and its leftovers are gone. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);

  private final Process process;
  private final Scratch scratch;
  private final LogSink sink;
  private final Duration startTook;
  private final long startedNanos = System.nanoTime();
  private final CompletableFuture<ContainerExit> exit = new CompletableFuture<>();
  private final Object sinkLock = new Object();
  private final Thread stdoutPump;
  private final Thread stderrPump;
  private volatile boolean delivering = true;
  private volatile String stopReason;
  /** Counted down once a stop has sent its SIGKILLs: until then the stop owns the processes left. */
  private final java.util.concurrent.CountDownLatch stopSettled = new java.util.concurrent.CountDownLatch(1);
  private volatile boolean closed;

  LocalProcess(Process process, Scratch scratch, LogSink sink, Duration startTook) {
    this.process = process;
    this.scratch = scratch;
    this.sink = sink;
    this.startTook = startTook;
    this.stdoutPump = pump(process.getInputStream(), LogStream.STDOUT);
    this.stderrPump = pump(process.getErrorStream(), LogStream.STDERR);
    process.onExit().thenRun(this::finish);
  }

  private Thread pump(InputStream in, LogStream stream) {
    LogSink guarded = new LogSink() {
      @Override
      public void line(LogStream s, String text) {
        deliver(s, text, false);
      }

      @Override
      public void partialLine(LogStream s, String text) {
        deliver(s, text, true);
      }
    };
    Thread t = new Thread(new LinePump(in, stream, guarded),
        "promokit-local-" + process.pid() + "-" + stream.name().toLowerCase(java.util.Locale.ROOT));
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void deliver(LogStream stream, String text, boolean partial) {
    synchronized (sinkLock) {
      if (!delivering) {
        return;
      }
      try {
        if (partial) {
          sink.partialLine(stream, text);
        } else {
          sink.line(stream, text);
        }
      } catch (RuntimeException e) {
        LOG.warn("log sink of process {} failed on a line; the line is dropped", process.pid(), e);
      }
    }
  }

  /** Runs once the main process has exited: ends what it left running, drains the logs, records the exit. */
  private void finish() {
    try {
      if (stopReason != null) {
        // A stop is under way: its children get the rest of the grace period, then the stop kills them.
        stopSettled.await();
      } else {
        // Like a container, the command's end is the end of everything it started.
        ProcessTrees.killLeftovers(Scratch.CONTAINER_MARK, scratch.id());
      }
      long limit = System.nanoTime() + DRAIN_LIMIT.toNanos();
      stdoutPump.join(Math.max(1, (limit - System.nanoTime()) / 1_000_000));
      stderrPump.join(Math.max(1, (limit - System.nanoTime()) / 1_000_000));
      if (stdoutPump.isAlive() || stderrPump.isAlive()) {
        LOG.warn("output of process {} still open {} after it exited (a child escaped); later lines are dropped",
            process.pid(), DRAIN_LIMIT);
        delivering = false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int code = process.exitValue();
    String reason = stopReason != null ? (code == 137 ? "Killed" : "Terminated") : code == 0 ? "Completed" : "Error";
    Map<String, Duration> phases = new LinkedHashMap<>();
    phases.put("start", startTook);
    phases.put("run", Duration.ofNanos(System.nanoTime() - startedNanos));
    exit.complete(new ContainerExit(code, false, reason, phases));
  }

  @Override
  public String id() {
    return Long.toString(process.pid());
  }

  @Override
  public Optional<ContainerExit> await(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(exit.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for process " + process.pid() + " failed", e.getCause());
    }
  }

  @Override
  public void stop(Duration gracePeriod) {
    if (!process.isAlive() && stopReason == null) {
      return;
    }
    stopReason = "stopped";
    ProcessTrees.terminate(process.toHandle(), Scratch.CONTAINER_MARK, scratch.id(), gracePeriod);
    stopSettled.countDown();
    try {
      exit.get(DRAIN_LIMIT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("process {} did not end after SIGKILL", process.pid());
    }
  }

  @Override
  public CapturedFile readOutputFile(long maxBytes) throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative, but was " + maxBytes);
    }
    Path file = scratch.outputFile();
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new IOException("the output file of process " + process.pid() + " is gone (handle closed?): " + file, e);
    }
    if (!attributes.isRegularFile()) {
      // The command replaced KARGO_OUTPUT: a named pipe would block this read, maybe forever.
      throw ContainerRuntimeException.terminal("the command replaced its KARGO_OUTPUT file: it "
          + FileKind.describe(file, attributes).replaceFirst("^is ", "is now ") + ", not a regular file");
    }
    try (var channel = Files.newByteChannel(file, LinkOption.NOFOLLOW_LINKS)) {
      long size = channel.size();
      int toRead = (int) Math.min(Math.min(size, maxBytes), Integer.MAX_VALUE - 8);
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(toRead);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // keep reading until the cap or the end
      }
      byte[] content = new byte[buffer.position()];
      buffer.flip().get(content);
      return new CapturedFile(content, Math.max(size, content.length));
    } catch (NoSuchFileException e) {
      throw new IOException("the output file of process " + process.pid() + " is gone (handle closed?): " + file, e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.warn("could not stop process {} on close", process.pid(), e);
    }
    scratch.delete();
  }
}
