package io.promokit.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.WaitContainerCondition;
import io.promokit.spi.CapturedFile;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.LogSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt's container, followed by one thread from pull to exit: pull (when needed), create, attach
 * and register the wait for its exit (both before the start, so no output and no exit is missed), start,
 * wait, drain the output, inspect a failed exit (for the OOM flag), hand files back. {@link #await} waits for that thread's result; {@link #stop} signals the container (or
 * cancels a pull, or keeps a created container from starting); {@link #close} stops what still runs,
 * removes the container and deletes the attempt folder.
 */
final class DockerContainer implements ContainerHandle {

  private static final Logger LOG = LoggerFactory.getLogger(DockerContainer.class);
  /** How long the last output may take to arrive once the container has exited. */
  private static final Duration DRAIN_PATIENCE = Duration.ofMinutes(5);
  /** How long {@link #stop} waits for the exit after a delivered SIGKILL. */
  private static final Duration KILL_PATIENCE = Duration.ofSeconds(30);
  /** How often a wait that ends without an exit code is tried again while the container still runs. */
  private static final int WAIT_TRIES = 3;
  /** Five more looks, 200 ms apart, for an OOM kill the daemon records after the exit. */
  private static final int OOM_RECHECKS = 5;
  private static final long OOM_RECHECK_MILLIS = 200;

  private final Daemon daemon;
  private final ContainerRequest request;
  private final ImageReference image;
  private final String name;
  private final AttemptDirectory attempt;
  private final ContainerSettings settings;
  private final LogSink logs;
  private final boolean pullFirst;
  private final Duration checkTime;

  private final CompletableFuture<ContainerExit> exit = new CompletableFuture<>();
  private final CompletableFuture<Void> followed = new CompletableFuture<>();
  private final Map<String, Duration> phases = new LinkedHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean handedBack = new AtomicBoolean();
  private final Object lock = new Object();
  /** The container's id once created. Guarded by {@link #lock}. */
  private String containerId;
  /** Whether the start was sent. Guarded by {@link #lock}. */
  private boolean started;
  /** Whether stop or close was asked for. Guarded by {@link #lock}. */
  private boolean stopRequested;
  /** Whether stop had to send SIGKILL. Guarded by {@link #lock}. */
  private boolean killed;
  /** Whether the create was sent (the container may exist even when its answer never came). Guarded by {@link #lock}. */
  private boolean createSent;
  private volatile StreamCallback<?> pullInProgress;

  DockerContainer(Daemon daemon, ContainerRequest request, ImageReference image, String name,
      AttemptDirectory attempt, ContainerSettings settings, LogSink logs, boolean pullFirst, Duration checkTime) {
    this.daemon = daemon;
    this.request = request;
    this.image = image;
    this.name = name;
    this.attempt = attempt;
    this.settings = settings;
    this.logs = logs;
    this.pullFirst = pullFirst;
    this.checkTime = checkTime;
  }

  /** Follows the container on one of the runtime's threads. */
  void follow() {
    daemon.threads().execute(this::run);
  }

  @Override
  public String id() {
    return name;
  }

  @Override
  public Optional<ContainerExit> await(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(exit.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ContainerRuntimeException failure) {
        throw failure;
      }
      throw ContainerRuntimeException.retryable("container " + name + " failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void stop(Duration gracePeriod) {
    String id;
    synchronized (lock) {
      stopRequested = true;
      id = started ? containerId : null;
    }
    StreamCallback<?> pull = pullInProgress;
    if (pull != null) {
      pull.close();
    }
    if (exit.isDone()) {
      return;
    }
    if (id == null) {
      // Not started yet: the following thread sees the request and ends without starting it.
      awaitQuietly(exit, KILL_PATIENCE);
      return;
    }
    // A zero grace period means no chance to clean up: SIGKILL at once.
    if (gracePeriod.isZero() || gracePeriod.isNegative() || !signalAndAwait(id, gracePeriod)) {
      synchronized (lock) {
        killed = true;
      }
      if (!signal(id, "SIGKILL")) {
        // The daemon does not answer: close() leaves the container to the pending removals, which kill it
        // as soon as the daemon answers again.
        return;
      }
      if (!awaitQuietly(exit, KILL_PATIENCE)) {
        LOG.warn("container {} did not end within {} of SIGKILL", name, KILL_PATIENCE);
      }
    }
  }

  /** Sends SIGTERM; whether the container then ended within the grace period. */
  private boolean signalAndAwait(String id, Duration gracePeriod) {
    return signal(id, "SIGTERM") && awaitQuietly(exit, gracePeriod);
  }

  @Override
  public CapturedFile readOutputFile(long maxBytes) throws IOException {
    return attempt.readOutput(maxBytes);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (!followed.isDone()) {
        stop(Duration.ZERO);
        // The following thread ends at its next heartbeat at the latest once a stop is asked for.
        awaitQuietly(followed, daemon.heartbeat().plus(daemon.calls().timeout()).multipliedBy(2));
      }
      String id;
      boolean mayExist;
      synchronized (lock) {
        id = containerId;
        mayExist = createSent;
      }
      if (id != null) {
        handBackQuietly(id);
      }
      if (mayExist) {
        remove(id != null ? id : name);
      }
    } finally {
      // Whatever happens to the container, the secrets and outputs on the host go now.
      attempt.delete();
    }
  }

  // ---- the following thread -------------------------------------------------------------------------

  private void run() {
    try {
      exit.complete(launchAndWait());
    } catch (ContainerRuntimeException e) {
      exit.completeExceptionally(e);
    } catch (InterruptedException e) {
      exit.completeExceptionally(ContainerRuntimeException.retryable(
          "the thread following container " + name + " was interrupted", e));
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      exit.completeExceptionally(ContainerRuntimeException.retryable(
          "container " + name + " failed unexpectedly: " + DaemonErrors.message(e), e));
    } finally {
      followed.complete(null);
    }
  }

  private ContainerExit launchAndWait() throws InterruptedException {
    long t = System.nanoTime();
    if (pullFirst) {
      daemon.puller().pull(image, request.pullCredentials(), stream -> pullInProgress = stream);
    }
    phases.put("pull", checkTime.plus(since(t)));
    if (stopRequested()) {
      return notStarted();
    }

    t = System.nanoTime();
    String id = create();
    phases.put("create", since(t));
    synchronized (lock) {
      containerId = id;
      if (stopRequested) {
        return notStarted();
      }
    }

    t = System.nanoTime();
    // Attach, and register the wait for the next exit, before the start: no line and no exit is missed.
    // Both requests go out at once; each is answered as soon as the daemon has set it up.
    AttachedOutput output = new AttachedOutput(logs);
    WaitForExit firstWait = new WaitForExit();
    daemon.client().attachContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
        .withLogs(false).exec(output);
    daemon.client().waitContainerCmd(id).withCondition(WaitContainerCondition.NEXT_EXIT).exec(firstWait);
    awaitSetUp(output, "attach to the output of", output, firstWait);
    awaitSetUp(firstWait, "wait for", output, firstWait);
    synchronized (lock) {
      // Under the lock, so that stop() either keeps the container from starting or signals a started one.
      if (stopRequested) {
        output.close();
        firstWait.close();
        return notStarted();
      }
      startContainer(id, output, firstWait);
      started = true;
    }
    phases.put("start", since(t));

    t = System.nanoTime();
    int exitCode = waitForExit(id, firstWait);
    phases.put("run", since(t));

    drain(output);
    // A clean exit needs no inspection: whatever ran out of memory on the way, the command succeeded.
    boolean oomKilled = exitCode != 0 && oomKilled(id, exitCode);
    handBackQuietly(id);
    Optional<String> execFailure = output.execFailure();
    if (execFailure.isPresent() && (exitCode == 126 || exitCode == 127)) {
      // Docker's init could not run the command: no retry will change that.
      throw ContainerRuntimeException.terminal("cannot start container " + name + ": the command \""
          + request.command().get(0) + "\" could not be run in image \"" + image.text() + "\" (the runtime runs the "
          + "command as it is, without a shell): " + execFailure.get());
    }
    return new ContainerExit(exitCode, oomKilled, reason(exitCode, oomKilled), phases);
  }

  private String create() {
    synchronized (lock) {
      createSent = true;
    }
    try {
      CreateContainerResponse created = daemon.calls().call("create container " + name,
          () -> settings.createCommand(daemon.client(), name).exec());
      return created.getId();
    } catch (ContainerRuntimeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure("cannot create container " + name + " from image \"" + image.text() + "\"", e, false);
    }
  }

  /** Waits until the daemon answered a streaming request; closes both streams when it failed. */
  private void awaitSetUp(StreamCallback<?> request, String what, AttachedOutput output, WaitForExit wait)
      throws InterruptedException {
    try {
      request.awaitStarted(daemon.calls().timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      output.close();
      wait.close();
      throw e;
    } catch (TimeoutException e) {
      output.close();
      wait.close();
      throw ContainerRuntimeException.retryable("the Docker daemon at " + daemon.description() + " did not answer the request to "
          + what + " container " + name + " within " + DaemonCalls.seconds(daemon.calls().timeout()), e);
    } catch (Exception e) {
      output.close();
      wait.close();
      throw failure("cannot " + what + " container " + name, e, false);
    }
  }

  private void startContainer(String id, AttachedOutput output, WaitForExit wait) {
    try {
      daemon.calls().run("start container " + name, () -> daemon.client().startContainerCmd(id).exec());
    } catch (ContainerRuntimeException e) {
      output.close();
      wait.close();
      throw e;
    } catch (RuntimeException e) {
      output.close();
      wait.close();
      String answer = DaemonErrors.message(e);
      boolean commandMissing = DaemonErrors.daemonAnswered(e)
          && (answer.contains("executable file not found") || answer.contains("no such file or directory"));
      if (commandMissing) {
        throw ContainerRuntimeException.terminal("cannot start container " + name + ": the command \""
            + request.command().get(0) + "\" could not be run in image \"" + image.text() + "\" (the runtime runs the "
            + "command as it is, without a shell): " + answer, e);
      }
      throw failure("cannot start container " + name, e, false);
    }
  }

  /**
   * The exit code, from the daemon's wait (first the one registered before the start). While it waits, the
   * daemon is pinged every heartbeat: one that does not answer for the restart window (frozen, hung) ends
   * the wait with a retryable error. When the wait ends without an exit code, the daemon is asked whether
   * the container still runs (waiting up to the restart window for a daemon that went away), and waited
   * for again if so. A container found ended after the daemon was lost is reported as a retryable error,
   * not as its exit code: the daemon's restart may have ended it.
   */
  private int waitForExit(String id, WaitForExit firstWait) throws InterruptedException {
    WaitForExit wait = firstWait;
    boolean lostDaemon = false;
    long silentSince = 0;
    for (int tries = 1; ; ) {
      Exception failure = null;
      boolean ended;
      try {
        ended = wait.awaitFinished(daemon.heartbeat().toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        wait.close();
        throw e;
      } catch (Exception e) {
        ended = true;
        failure = e;
      }
      if (!ended) {
        long now = System.nanoTime();
        if (daemon.calls().answers()) {
          silentSince = 0;
          continue;
        }
        silentSince = silentSince == 0 ? now : silentSince;
        if (stopRequested() || now - silentSince >= daemon.calls().restartWindow().toNanos()) {
          wait.close();
          throw ContainerRuntimeException.retryable("the Docker daemon at " + daemon.description() + " has not answered for "
              + DaemonCalls.seconds(Duration.ofNanos(now - silentSince).plus(daemon.calls().timeout()))
              + " while container " + name + " was running (frozen or hung?); the container is removed as soon as "
              + "it answers again");
        }
        continue;
      }
      if (wait.statusCode() != null && !lostDaemon) {
        return wait.statusCode();
      }
      InspectContainerResponse state;
      try {
        state = daemon.calls().call("inspect container " + name, () -> daemon.client().inspectContainerCmd(id).exec());
      } catch (RuntimeException e) {
        if (DaemonErrors.isNotFound(e)) {
          throw ContainerRuntimeException.retryable("container " + name + " was removed while its command ran", e);
        }
        Exception cause = failure != null ? failure : e;
        String lost = "lost the Docker daemon at " + daemon.description() + " while container " + name
            + " was running: " + DaemonErrors.message(cause);
        if (stopRequested()) {
          throw ContainerRuntimeException.retryable(lost, cause);
        }
        daemon.calls().awaitDaemon(lost);
        lostDaemon = true;
        continue; // It answers again: ask once more.
      }
      boolean running = Boolean.TRUE.equals(state.getState().getRunning());
      if (!running) {
        Long code = state.getState().getExitCodeLong();
        int exitCode = code == null ? -1 : code.intValue();
        if (lostDaemon) {
          throw ContainerRuntimeException.retryable("lost the Docker daemon at " + daemon.description() + " while container "
              + name + " was running; when it answered again, the container had ended (exit code " + exitCode
              + "): the daemon's restart may have ended it, so the step is tried again");
        }
        return exitCode;
      }
      if (tries == WAIT_TRIES) {
        throw ContainerRuntimeException.retryable("the Docker daemon at " + daemon.description()
            + " ended the wait for container " + name + " " + WAIT_TRIES + " times without an exit code"
            + (failure == null ? "" : ": " + DaemonErrors.message(failure)), failure);
      }
      tries++;
      lostDaemon = false; // It runs on (a live-restored daemon): follow it again.
      wait = new WaitForExit();
      try {
        WaitForExit next = wait;
        daemon.calls().run("wait for container " + name, () -> daemon.client().waitContainerCmd(id).exec(next));
      } catch (RuntimeException e) {
        wait.close();
        throw failure("cannot wait for container " + name, e, false);
      }
    }
  }

  private void drain(AttachedOutput output) throws InterruptedException {
    try {
      if (!output.awaitFinished(DRAIN_PATIENCE.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.warn("the output of container {} did not end within {} of its exit; later lines are lost", name,
            DRAIN_PATIENCE);
        output.close();
      }
    } catch (InterruptedException e) {
      output.close();
      throw e;
    } catch (Exception e) {
      LOG.warn("the output stream of container {} failed: {}", name, DaemonErrors.message(e));
    }
  }

  /**
   * Whether the kernel's OOM killer ended the container. The daemon hears of the OOM kill in an event of its
   * own, which can come after the exit: a SIGKILL exit (137) under a memory limit, not sent by promokit, is
   * asked about again for up to a second before it is taken for another kill.
   */
  private boolean oomKilled(String id, int exitCode) throws InterruptedException {
    Boolean flag = readOomKilled(id);
    boolean mayLag = exitCode == 137 && request.resources().memoryLimitBytes().isPresent() && !killedByPromokit();
    for (int i = 0; Boolean.FALSE.equals(flag) && mayLag && i < OOM_RECHECKS; i++) {
      Thread.sleep(OOM_RECHECK_MILLIS);
      flag = readOomKilled(id);
    }
    return Boolean.TRUE.equals(flag);
  }

  private boolean killedByPromokit() {
    synchronized (lock) {
      return killed;
    }
  }

  /** The daemon's OOM flag, or null when the container is gone. */
  private Boolean readOomKilled(String id) {
    try {
      InspectContainerResponse info = daemon.calls().call("inspect container " + name,
          () -> daemon.client().inspectContainerCmd(id).exec());
      return Boolean.TRUE.equals(info.getState().getOOMKilled());
    } catch (ContainerRuntimeException e) {
      throw e;
    } catch (RuntimeException e) {
      if (DaemonErrors.isNotFound(e)) {
        return null;
      }
      throw failure("cannot inspect container " + name + " after its exit", e, false);
    }
  }

  private String reason(int exitCode, boolean oomKilled) {
    if (oomKilled) {
      return "OOMKilled: " + request.resources().memoryLimitBytes()
          .map(bytes -> "exceeded its memory limit of " + request.resources().limits().get("memory") + " (" + bytes
              + " bytes)")
          .orElse("ran out of memory (no memory limit was set)");
    }
    synchronized (lock) {
      if (killed && exitCode == 137) {
        return "Killed";
      }
    }
    return exitCode == 0 ? "Completed" : "Error";
  }

  private ContainerExit notStarted() {
    return new ContainerExit(137, false, "Killed", phases);
  }

  private boolean stopRequested() {
    synchronized (lock) {
      return stopRequested;
    }
  }

  // ---- clean-up ---------------------------------------------------------------------------------------

  private void handBackQuietly(String id) {
    if (!daemon.sharedFiles().needsHandBack() || !handedBack.compareAndSet(false, true)) {
      return;
    }
    try {
      List<Path> entries = daemon.handBack().handBack(id, List.of(
          new OwnershipHandBack.Mount(request.workdir(), ContainerRequest.WORKSPACE),
          new OwnershipHandBack.Mount(attempt.outputDirectory(), AttemptDirectory.OUTPUT_MOUNT)),
          settings.sharedGroup());
      if (!entries.isEmpty()) {
        LOG.debug("handed {} entries of container {} back to uid {}", entries.size(), name,
            daemon.sharedFiles().hostUid());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("files container {} made may stay unwritable for this host user: {}", name, e.getMessage());
    }
  }

  private void remove(String id) {
    try {
      daemon.calls().run("remove container " + name,
          () -> daemon.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
    } catch (RuntimeException e) {
      if (DaemonErrors.isNotFound(e)) {
        return;
      }
      if (DaemonErrors.daemonAnswered(e)) {
        LOG.warn("could not remove container {} ({}); DockerContainerRuntime.reap removes it later: {}", name, id,
            DaemonErrors.message(e));
        return;
      }
      // The daemon does not answer (killed, restarting, frozen): remove it once it does.
      LOG.warn("could not remove container {}: {}; it is removed as soon as the daemon answers again", name,
          e.getMessage());
      daemon.removals().add(name);
    }
  }

  /** Sends a signal; false when the daemon did not answer (the container may still run). */
  private boolean signal(String id, String signal) {
    try {
      daemon.calls().run("send " + signal + " to container " + name,
          () -> daemon.client().killContainerCmd(id).withSignal(signal).exec());
      return true;
    } catch (RuntimeException e) {
      if (DaemonErrors.isNotFound(e) || e instanceof ConflictException) {
        return true; // Already stopped or gone.
      }
      LOG.warn("could not send {} to container {}: {}", signal, name, e instanceof ContainerRuntimeException
          ? e.getMessage() : DaemonErrors.message(e));
      return DaemonErrors.daemonAnswered(e);
    }
  }

  private ContainerRuntimeException failure(String what, Throwable e, boolean terminal) {
    if (!DaemonErrors.daemonAnswered(e)) {
      return ContainerRuntimeException.retryable(what + ": cannot reach the Docker daemon at " + daemon.description() + ": "
          + DaemonErrors.message(e), e);
    }
    int status = ((DockerException) e).getHttpStatus();
    // 400 is the daemon refusing the request itself (an invalid setting); that will not change on a retry.
    boolean refused = terminal || status == 400;
    String message = what + ": " + DaemonErrors.message(e);
    return refused ? ContainerRuntimeException.terminal(message, e) : ContainerRuntimeException.retryable(message, e);
  }

  private static boolean awaitQuietly(CompletableFuture<?> future, Duration timeout) {
    try {
      future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return future.isDone();
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  @Override
  public String toString() {
    return "DockerContainer[" + name + ", image=" + image.text() + "]";
  }
}
