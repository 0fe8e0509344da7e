package io.promokit.testkit;

import io.promokit.spi.CapturedFile;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.LogSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A {@link ContainerRuntime} that runs nothing: each start plays a scripted {@link FakeContainer}, so a
 * host can unit-test its pipelines (exit codes, outputs, logs, delays, start failures, OOM) without
 * Docker. It records every request it got and knows which handles are still open.
 *
 * <pre>{@code
 * FakeContainerRuntime fake = FakeContainerRuntime.create();
 * fake.whenImage("ghcr.io/acme/policy-check:1")
 *     .thenReturn(FakeContainer.exit(75))                       // first attempt: try again later
 *     .thenReturn(FakeContainer.exit(0).outputFile("ok=true\n")); // then (and every later time): success
 * // ... run the promotion with `fake` as its container runtime ...
 * assertThat(fake.requests()).hasSize(2);
 * assertThat(fake.openHandles()).isZero();
 * }</pre>
 *
 * <p>A container that matches no script exits with 0 at once. When several scripts match, the one added
 * last wins. Each script plays its containers in order and repeats the last one.
 */
public final class FakeContainerRuntime implements ContainerRuntime {

  private final String name;
  private final List<Script> scripts = new CopyOnWriteArrayList<>();
  private final List<ContainerRequest> requests = new CopyOnWriteArrayList<>();
  private final List<FakeHandle> handles = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  /** Notified on every start, for {@link #awaitStarted}. */
  private final Object startedMonitor = new Object();

  private FakeContainerRuntime(String name) {
    this.name = name;
  }

  /** A fake named {@code fake}. */
  public static FakeContainerRuntime create() {
    return new FakeContainerRuntime("fake");
  }

  /** A fake reporting the given runtime name (as records show it). */
  public static FakeContainerRuntime named(String name) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    return new FakeContainerRuntime(name);
  }

  /** Scripts the containers of requests that match. */
  public Script when(Predicate<ContainerRequest> matcher) {
    Script script = new Script(Objects.requireNonNull(matcher, "matcher must not be null"));
    scripts.add(script);
    return script;
  }

  /** Scripts the containers of the given image. */
  public Script whenImage(String image) {
    Objects.requireNonNull(image, "image must not be null");
    return when(request -> request.image().equals(image));
  }

  /** Scripts the containers of every request (unless a later, more specific script matches). */
  public Script always() {
    return when(request -> true);
  }

  /** Every request started so far, in order (including those that failed to start). */
  public List<ContainerRequest> requests() {
    return List.copyOf(requests);
  }

  /** The last request started. */
  public ContainerRequest lastRequest() {
    if (requests.isEmpty()) {
      throw new IllegalStateException("no container was started");
    }
    return requests.get(requests.size() - 1);
  }

  /** How many handles were started and not closed yet; 0 once a pipeline cleaned up after itself. */
  public int openHandles() {
    return (int) handles.stream().filter(h -> !h.closed).count();
  }

  /** How many containers were started (a start that failed does not count). */
  public int startedContainers() {
    return handles.size();
  }

  /**
   * Waits until {@code count} containers have started in all (counting those started before the call), so a test
   * can act on a running container (abort, cancel, stop) without polling.
   *
   * @throws AssertionError when fewer have started after {@code timeout}, saying how many did and what was asked
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public void awaitStarted(int count, Duration timeout) throws InterruptedException {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, but was " + count);
    }
    Objects.requireNonNull(timeout, "timeout must not be null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (startedMonitor) {
      while (handles.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + count + " started container" + (count == 1 ? "" : "s") + " within "
              + timeout + ", but " + handles.size() + " started (requests: " + requests.size() + ")");
        }
        TimeUnit.NANOSECONDS.timedWait(startedMonitor, left);
      }
    }
  }

  /** How many containers were stopped (by {@code stop}, {@code close} while running, or {@code reap}). */
  public int stoppedContainers() {
    return (int) handles.stream().filter(h -> h.stopped).count();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ContainerHandle start(ContainerRequest request, LogSink logs) {
    Objects.requireNonNull(request, "request must not be null");
    Objects.requireNonNull(logs, "logs must not be null");
    requests.add(request);
    FakeContainer container = scriptFor(request);
    if (container.startFailure != null) {
      throw container.failure(container.startFailure);
    }
    FakeHandle handle = new FakeHandle("fake-" + ids.incrementAndGet(), request, container, logs);
    handle.begin();
    synchronized (startedMonitor) {
      handles.add(handle);
      startedMonitor.notifyAll();
    }
    return handle;
  }

  private FakeContainer scriptFor(ContainerRequest request) {
    for (int i = scripts.size() - 1; i >= 0; i--) {
      Script script = scripts.get(i);
      if (script.matcher.test(request)) {
        return script.next();
      }
    }
    return FakeContainer.succeed();
  }

  @Override
  public int reap(String engineId) {
    int reaped = 0;
    for (FakeHandle handle : handles) {
      if (!handle.closed && engineId.equals(handle.request.labels().get(ContainerLabels.ENGINE))) {
        handle.close();
        reaped++;
      }
    }
    return reaped;
  }

  /** The containers one {@link #when} plays, in order; the last one repeats. */
  public static final class Script {
    private final Predicate<ContainerRequest> matcher;
    private final Deque<FakeContainer> queue = new ArrayDeque<>();
    private FakeContainer last = FakeContainer.succeed();

    private Script(Predicate<ContainerRequest> matcher) {
      this.matcher = matcher;
    }

    /** Adds the next container to play. */
    public synchronized Script thenReturn(FakeContainer container) {
      queue.add(Objects.requireNonNull(container, "container must not be null"));
      return this;
    }

    private synchronized FakeContainer next() {
      if (!queue.isEmpty()) {
        last = queue.poll();
      }
      return last;
    }
  }

  /** Plays one {@link FakeContainer} on its own thread. */
  private static final class FakeHandle implements ContainerHandle {
    private final String id;
    private final ContainerRequest request;
    private final FakeContainer container;
    private final LogSink logs;
    private final CountDownLatch term = new CountDownLatch(1);
    private final CountDownLatch kill = new CountDownLatch(1);
    private final CompletableFuture<ContainerExit> exit = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile boolean stopped;

    FakeHandle(String id, ContainerRequest request, FakeContainer container, LogSink logs) {
      this.id = id;
      this.request = request;
      this.container = container;
      this.logs = logs;
    }

    void begin() {
      Thread thread = new Thread(this::play, "fake-container-" + id);
      thread.setDaemon(true);
      thread.start();
    }

    private void play() {
      long started = System.nanoTime();
      try {
        for (FakeContainer.Line line : container.lines) {
          if (line.partial()) {
            logs.partialLine(line.stream(), line.text());
          } else {
            logs.line(line.stream(), line.text());
          }
        }
        for (Map.Entry<String, byte[]> file : container.workdirFiles.entrySet()) {
          Path target = request.workdir().resolve(file.getKey());
          Files.createDirectories(target.getParent());
          Files.write(target, file.getValue());
        }
        if (container.runFailure != null) {
          exit.completeExceptionally(container.failure(container.runFailure));
          return;
        }
        int code = container.exitCode;
        String reason = container.oomKilled ? "OOMKilled" : code == 0 ? "Completed" : "Error";
        if (term.await(container.runFor.toNanos(), TimeUnit.NANOSECONDS)) {
          if (container.ignoresTerm) {
            kill.await();
          }
          code = container.ignoresTerm ? 137 : 143;
          reason = container.ignoresTerm ? "Killed" : "Terminated";
        }
        Duration run = Duration.ofNanos(System.nanoTime() - started);
        exit.complete(new ContainerExit(code, container.oomKilled && !stopped, reason, Map.of("run", run)));
      } catch (IOException e) {
        exit.completeExceptionally(new UncheckedIOException("fake container could not write to the workdir", e));
      } catch (InterruptedException e) {
        exit.completeExceptionally(e);
      } catch (RuntimeException e) {
        exit.completeExceptionally(e);
      }
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Optional<ContainerExit> await(Duration timeout) throws InterruptedException {
      try {
        return Optional.of(exit.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        return Optional.empty();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtimeException) {
          throw runtimeException;
        }
        throw ContainerRuntimeException.retryable("fake container failed: " + e.getCause(), e.getCause());
      }
    }

    @Override
    public void stop(Duration gracePeriod) {
      if (exit.isDone()) {
        return;
      }
      stopped = true;
      term.countDown();
      if (container.ignoresTerm) {
        try {
          exit.get(gracePeriod.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          kill.countDown();
        } catch (InterruptedException e) {
          kill.countDown();
          Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
          return;
        }
      }
      try {
        exit.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // The failure is reported by await.
      }
    }

    @Override
    public CapturedFile readOutputFile(long maxBytes) {
      if (maxBytes < 0) {
        throw new IllegalArgumentException("maxBytes must not be negative, but was " + maxBytes);
      }
      byte[] all = container.outputFile;
      return new CapturedFile(Arrays.copyOf(all, (int) Math.min(all.length, maxBytes)), all.length);
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      if (!exit.isDone()) {
        stopped = true;
        term.countDown();
        kill.countDown();
      }
      closed = true;
    }
  }

  @Override
  public String toString() {
    return "FakeContainerRuntime[" + name + ", " + requests.size() + " requests, " + openHandles() + " open]";
  }
}
