package io.promokit.steps.manifests.internal.helm;

import io.promokit.StepContext;
import io.promokit.StepException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The Helm workers of one {@code ManifestSteps}: started when a call needs one and none is idle (at most
 * {@code maxWorkers} at once; a call beyond that waits, within its deadline, for one to be free), each serving
 * one call at a time and reused across calls and promotions. A worker that was killed (abort, deadline) or
 * died is dropped, and the next call starts a new one. An idle worker is stopped after {@code idleTimeout};
 * one that has served {@value #CALLS_PER_WORKER} calls is replaced (helm-java leaves a goroutine behind per
 * template call). {@link #close()} stops them all.
 */
final class HelmWorkerPool implements AutoCloseable {

  static final int CALLS_PER_WORKER = 500;

  private final HelmWorkspace workspace;
  private final Path javaBinary;
  private final String classpath;
  private final int maxWorkers;
  private final Duration idleTimeout;
  private final Map<String, String> hostEnv;
  private final Deque<HelmWorker> idle = new ArrayDeque<>();
  private final Map<HelmWorker, Long> idleStamps = new HashMap<>();
  private final Set<HelmWorker> busy = new LinkedHashSet<>();
  private int live;
  private long releases;
  private boolean closed;
  private ScheduledExecutorService timer;

  HelmWorkerPool(HelmWorkspace workspace, Path javaBinary, String classpath, int maxWorkers, Duration idleTimeout,
      Map<String, String> hostEnv) {
    this.workspace = workspace;
    this.javaBinary = javaBinary;
    this.classpath = classpath;
    this.maxWorkers = maxWorkers;
    this.idleTimeout = idleTimeout;
    this.hostEnv = Map.copyOf(hostEnv);
  }

  /**
   * Runs one request on a free worker.
   *
   * @param lineFilter what the worker prints, and Helm's messages, pass through it on the way to the log
   * @throws InterruptedException when the attempt is cancelled (a worker serving it is killed)
   * @throws StepException when the deadline came, the worker died, or none was free in time
   */
  WorkerFrames.Response call(Properties request, StepContext context, UnaryOperator<String> lineFilter)
      throws InterruptedException, IOException {
    for (int attempt = 1; ; attempt++) {
      HelmWorker worker = acquire(context);
      boolean healthy = false;
      try {
        context.log().info("running Helm's " + request.getProperty("op") + " in the Helm worker (pid " + worker.pid()
            + ")");
        WorkerFrames.Response response = worker.call(request, context, lineFilter);
        healthy = true;
        return response;
      } catch (HelmWorker.Gone e) {
        if (attempt == 2) {
          throw new StepException("the Helm child process failed: two Helm workers in a row were gone before "
              + "they took the call");
        }
        // it died while idle, after it was handed out: the call has not run, so another worker takes it
      } finally {
        release(worker, healthy);
      }
    }
  }

  private HelmWorker acquire(StepContext context) throws InterruptedException, IOException {
    Instant deadline = context.deadline().orElse(null);
    context.onCancel(this::wakeAll);
    synchronized (this) {
      while (true) {
        checkOpen();
        HelmWorker worker;
        while ((worker = idle.pollLast()) != null) {
          idleStamps.remove(worker);
          if (worker.isAlive()) {
            busy.add(worker);
            return worker;
          }
          live--;
          retireLater(worker, false);
        }
        if (live < maxWorkers) {
          live++;
          break;
        }
        if (context.isCancelled()) {
          throw new InterruptedException("the attempt was cancelled while it waited for a Helm worker");
        }
        if (deadline != null && !context.timekeeper().now().isBefore(deadline)) {
          throw new StepException("no Helm worker was free before the step's deadline (all " + maxWorkers
              + " were busy)");
        }
        context.timekeeper().await(this, deadline);
      }
    }
    HelmWorker started;
    try {
      started = HelmWorker.start(workspace.folder(), javaBinary, classpath, workspace.library(), hostEnv);
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        live--;
        notifyAll();
      }
      throw e;
    }
    synchronized (this) {
      if (!closed) {
        busy.add(started);
        return started;
      }
    }
    retire(started, false);
    throw new IllegalStateException("the manifest steps were closed");
  }

  private void release(HelmWorker worker, boolean healthy) {
    boolean keep;
    synchronized (this) {
      busy.remove(worker);
      keep = healthy && !closed && worker.isAlive() && worker.calls() < CALLS_PER_WORKER;
      if (keep) {
        long stamp = ++releases;
        idle.addLast(worker);
        idleStamps.put(worker, stamp);
        timer().schedule(() -> expire(worker, stamp), idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } else if (!closed) {
        live--;
      }
      notifyAll();
    }
    if (!keep) {
      retire(worker, healthy);
    }
  }

  /** Stops a worker that has been idle since {@code stamp}. */
  private void expire(HelmWorker worker, long stamp) {
    synchronized (this) {
      Long since = idleStamps.get(worker);
      if (since == null || since != stamp) {
        return;
      }
      idleStamps.remove(worker);
      idle.remove(worker);
      live--;
      notifyAll();
    }
    retire(worker, true);
  }

  private void retireLater(HelmWorker worker, boolean graceful) {
    timer().execute(() -> retire(worker, graceful));
  }

  /** Ends a worker (politely when it is healthy and idle, else killed) and removes its folder. */
  private static void retire(HelmWorker worker, boolean graceful) {
    if (graceful) {
      worker.stop();
    } else {
      worker.kill();
    }
    HelmWorkspace.deleteTree(worker.folder());
  }

  private synchronized void wakeAll() {
    notifyAll();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the manifest steps were closed");
    }
  }

  private ScheduledExecutorService timer() {
    if (timer == null) {
      timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "promokit-helm-workers");
        thread.setDaemon(true);
        return thread;
      });
    }
    return timer;
  }

  /** How many workers run now (idle or busy), for tests. */
  synchronized int live() {
    return live;
  }

  /** Stops every worker: idle ones politely, busy ones killed (their calls fail). */
  @Override
  public void close() {
    List<HelmWorker> idleWorkers;
    List<HelmWorker> busyWorkers;
    ScheduledExecutorService stopping;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      idleWorkers = new ArrayList<>(idle);
      busyWorkers = new ArrayList<>(busy);
      idle.clear();
      idleStamps.clear();
      live = 0;
      stopping = timer;
      notifyAll();
    }
    idleWorkers.forEach(w -> retire(w, true));
    busyWorkers.forEach(w -> retire(w, false));
    if (stopping != null) {
      stopping.shutdownNow();
    }
  }
}
