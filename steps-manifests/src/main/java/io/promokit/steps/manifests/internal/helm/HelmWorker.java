package io.promokit.steps.manifests.internal.helm;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.event.LogStream;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's side of one Helm worker process ({@link HelmWorkerMain}): starts it, sends it one call at a time
 * and waits for the answer within the call's deadline, forwards what it prints to the call's log, and kills it
 * when the call is aborted or runs out of time (a native Helm call cannot be interrupted any other way).
 * A worker that was killed, crashed or failed is not used again.
 *
 * <p>Its folder {@code <workspace>/worker-*} holds the JVM's own temp folder; it is the worker's working
 * directory until its first call.
 */
final class HelmWorker {

  private static final Logger LOG = LoggerFactory.getLogger(HelmWorker.class);

  /** How much of the worker's stderr is kept for the message when it dies. */
  private static final int TAIL_LINES = 40;

  private final Process process;
  private final Path folder;
  private final DataOutputStream requests;
  private final Object monitor = new Object();
  private final Deque<WorkerFrames.Response> responses = new ArrayDeque<>();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private boolean responsesEnded;
  private boolean ready;
  private volatile UnaryOperator<String> filter;
  private volatile StepContext caller;
  private int calls;

  private HelmWorker(Process process, Path folder) {
    this.process = process;
    this.folder = folder;
    this.requests = new DataOutputStream(process.getOutputStream());
    daemon("responses", this::readResponses);
    daemon("stderr", this::pumpStderr);
    process.onExit().thenRun(this::wake);
  }

  /**
   * Starts a worker in a new folder under {@code workspace}; it loads the library before it answers. The
   * environment is built from scratch: nothing of the host's ({@code HELM_*}, {@code KUBECONFIG},
   * {@code DOCKER_CONFIG}, proxies) reaches Helm, only {@code hostEnv}'s locale, {@code PATH}, {@code USER} and
   * {@code TZ}. Helm's home and temp folder are relative paths, so they lead into whichever call's folder is the
   * worker's working directory ({@link HelmWorkerMain}).
   */
  static HelmWorker start(Path workspace, Path javaBinary, String classpath, Path library,
      Map<String, String> hostEnv) throws IOException {
    Path folder = Files.createTempDirectory(workspace, "worker-");
    Path javaTemp = Files.createDirectory(folder.resolve("java-tmp"));
    List<String> command = List.of(javaBinary.toString(), "-XX:+UseSerialGC", "-Xshare:auto",
        "-Djava.io.tmpdir=" + javaTemp, "-Djna.tmpdir=" + javaTemp, "-cp", classpath,
        HelmWorkerMain.class.getName(), folder.toString(), library.toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    for (String name : List.of("PATH", "USER", "LOGNAME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ")) {
      if (hostEnv.get(name) != null) {
        env.put(name, hostEnv.get(name));
      }
    }
    env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", "home");
    env.put("HELM_CACHE_HOME", "home/cache");
    env.put("HELM_CONFIG_HOME", "home/config");
    env.put("HELM_DATA_HOME", "home/data");
    env.put("TMPDIR", ".");
    try {
      return new HelmWorker(builder.start(), folder);
    } catch (IOException e) {
      HelmWorkspace.deleteTree(folder);
      throw StepException.terminal("cannot start the Helm worker with " + javaBinary + ": " + e.getMessage(), e);
    }
  }

  long pid() {
    return process.pid();
  }

  Path folder() {
    return folder;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** How many calls the worker has answered. */
  int calls() {
    return calls;
  }

  /**
   * Sends one request and waits for the answer (the first call also waits for the worker to be ready), within
   * the call's deadline. Lines the worker prints meanwhile go to the call's log through {@code lineFilter},
   * which masks them, or returns null to leave one out.
   *
   * @throws InterruptedException when the attempt is cancelled (the worker is killed first)
   * @throws StepException when the deadline came (the worker is killed first), or the worker died
   * @throws Gone when the worker had died before it could take the request (it can be sent to another one)
   */
  WorkerFrames.Response call(Properties request, StepContext context, UnaryOperator<String> lineFilter)
      throws InterruptedException {
    Instant deadline = context.deadline().orElse(null);
    caller = context;
    filter = lineFilter;
    try {
      if (!ready) {
        WorkerFrames.Response first = await(context, deadline);
        if (first.kind() != WorkerFrames.READY) {
          throw died(first);
        }
        ready = true;
      }
      try {
        WorkerFrames.writeRequest(requests, request);
      } catch (IOException e) {
        kill();
        throw new Gone();
      }
      WorkerFrames.Response response = await(context, deadline);
      if (response.kind() != WorkerFrames.RESULT && response.kind() != WorkerFrames.HELM_ERROR) {
        throw died(response);
      }
      calls++;
      return response;
    } finally {
      caller = null;
      filter = null;
    }
  }

  private WorkerFrames.Response await(StepContext context, Instant deadline) throws InterruptedException {
    context.onCancel(this::wake);
    boolean cancelled = false;
    synchronized (monitor) {
      try {
        while (responses.isEmpty() && !responsesEnded) {
          if (context.isCancelled()) {
            cancelled = true;
            break;
          }
          if (deadline != null && !context.timekeeper().now().isBefore(deadline)) {
            break;
          }
          context.timekeeper().await(monitor, deadline);
        }
      } catch (InterruptedException e) {
        cancelled = true;
      }
      if (!responses.isEmpty() && !cancelled) {
        return responses.poll();
      }
    }
    if (cancelled || context.isCancelled()) {
      kill();
      throw new InterruptedException("the Helm child process was stopped: the attempt was cancelled");
    }
    if (!responsesEnded()) {
      kill();
      throw new StepException("the Helm child process was stopped: the step's deadline came");
    }
    throw died(null);
  }

  private boolean responsesEnded() {
    synchronized (monitor) {
      return responsesEnded;
    }
  }

  /** The error for a worker that died (or answered out of turn): its exit code and the end of its stderr. */
  private StepException died(WorkerFrames.Response response) {
    kill();
    String why;
    if (response != null && response.kind() == WorkerFrames.WORKER_ERROR) {
      why = "the Helm child process failed: " + response.text();
    } else {
      why = "the Helm child process failed (exit code " + (process.isAlive() ? "unknown" : process.exitValue()) + ")";
    }
    String tail;
    synchronized (stderrTail) {
      tail = String.join("\n", stderrTail).strip();   // lines are kept as they were shown: masked
    }
    return new StepException(why + (tail.isEmpty() ? "" : ": " + tail));
  }

  /** Kills the worker at once (SIGKILL: Go's signal handling swallows SIGTERM) and waits for it to be gone. */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    awaitExit(10);
  }

  /** Ends an idle worker: closing its stdin makes it exit; killed if it does not within a few seconds. */
  void stop() {
    try {
      requests.close();
    } catch (IOException e) {
      // it is gone already
    }
    if (!awaitExit(5)) {
      kill();
    }
  }

  private boolean awaitExit(int seconds) {
    try {
      process.onExit().get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("the Helm worker {} did not exit within {}s", process.pid(), seconds);
      return false;
    }
  }

  private void wake() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  private void readResponses() {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16))) {
      for (WorkerFrames.Response r = WorkerFrames.readResponse(in); r != null; r = WorkerFrames.readResponse(in)) {
        synchronized (monitor) {
          responses.add(r);
          monitor.notifyAll();
        }
      }
    } catch (IOException e) {
      // the worker died mid-frame: the same as the end of its responses
    }
    synchronized (monitor) {
      responsesEnded = true;
      monitor.notifyAll();
    }
  }

  /** Forwards the worker's stderr (Helm's and the JVM's messages) to the log of the call it is serving. */
  private void pumpStderr() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
        StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        UnaryOperator<String> mask = filter;
        StepContext context = caller;
        String shown = mask == null ? line : mask.apply(line);
        if (shown == null) {
          continue;
        }
        synchronized (stderrTail) {
          stderrTail.add(shown);
          if (stderrTail.size() > TAIL_LINES) {
            stderrTail.poll();
          }
        }
        if (context != null && mask != null) {
          context.log().line(LogStream.STDERR, shown);
        } else {
          LOG.debug("Helm worker {}: {}", process.pid(), line);
        }
      }
    } catch (IOException e) {
      // the worker is gone
    }
  }

  private void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, "promokit-helm-worker-" + process.pid() + "-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** The worker was gone before it took the request: nothing of the call has run. */
  static final class Gone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Gone() {
      super("the Helm worker was gone before it took the request", null, false, false);
    }
  }

  /** For messages and tests: the worker's pid and folder. */
  @Override
  public String toString() {
    return "Helm worker " + process.pid() + " in " + folder;
  }
}
