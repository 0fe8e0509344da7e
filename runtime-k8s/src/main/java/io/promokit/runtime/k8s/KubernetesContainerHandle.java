package io.promokit.runtime.k8s;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.promokit.event.LogStream;
import io.promokit.spi.CapturedFile;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.LogSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt's Pod (and Secret): created by {@link #start}, watched through an informer, its log
 * followed once the step container runs, deleted by {@link #close()}.
 */
final class KubernetesContainerHandle implements ContainerHandle {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesContainerHandle.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final RuntimeContext ctx;
  private final KubernetesClient client;
  private final String namespace;
  private final ContainerRequest request;
  private final SerializedLogSink sink;
  private final StepWrapper wrapper;
  private final PodLogDecoder decoder;
  private final String podName;
  private final AttemptObjects attemptObjects;

  /** The exit, once the step container ended and its log was read; or why the attempt failed. */
  private final CompletableFuture<ContainerExit> result = new CompletableFuture<>();
  /** Completes when the watch saw the step container end (or the attempt fail, or the Pod go). */
  private final CompletableFuture<Void> containerEnded = new CompletableFuture<>();
  /** Completes when the Pod is gone. */
  private final CompletableFuture<Void> gone = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile SharedIndexInformer<Pod> informer;

  // guarded by this
  private ContainerExit exit;
  private String uid;
  private PodState lastState;
  private String lastPullDetail;
  private PodLogFollower follower;
  private ScheduledFuture<?> pullTimer;
  private ScheduledFuture<?> schedulingTimer;

  private KubernetesContainerHandle(RuntimeContext ctx, ContainerRequest request, LogSink logs, StepWrapper wrapper,
      boolean hasSecret) {
    this.ctx = ctx;
    this.client = ctx.client();
    this.namespace = ctx.namespace();
    this.request = request;
    this.sink = new SerializedLogSink(logs);
    this.wrapper = wrapper;
    this.decoder = new PodLogDecoder(wrapper, sink);
    this.podName = request.name();
    this.attemptObjects = new AttemptObjects(ctx, wrapper.id(), podName,
        hasSecret ? PodLayout.secretName(podName) : null);
  }

  /** Creates the attempt's Secret and Pod and starts watching; on failure leaves nothing behind. */
  static KubernetesContainerHandle start(RuntimeContext ctx, ContainerRequest request, LogSink logs) {
    Optional<String> subPath = subPath(ctx.settings(), request);
    StepWrapper wrapper = new StepWrapper(randomId(), ctx.settings().outputCaptureLimit());
    PodFactory.PodObjects objects = new PodFactory(ctx.settings(), ctx.namespace()).build(request, wrapper, subPath);
    KubernetesContainerHandle handle = new KubernetesContainerHandle(ctx, request, logs, wrapper,
        objects.secret() != null);
    try {
      handle.create(objects);
      return handle;
    } catch (RuntimeException e) {
      handle.close();
      if (e instanceof ContainerRuntimeException) {
        throw e;
      }
      throw ContainerRuntimeException.retryable("could not start Pod " + handle.podName + " in namespace "
          + ctx.namespace() + ": " + e, e);
    }
  }

  /**
   * The workdir's path inside the claim: relative to where the host mounts it.
   *
   * @throws ContainerRuntimeException (terminal) when the workdir lies outside that mount
   */
  static Optional<String> subPath(KubernetesRuntimeSettings settings, ContainerRequest request) {
    if (settings.workdirHostRoot().isEmpty()) {
      return Optional.empty();
    }
    Path root = real(settings.workdirHostRoot().get());
    Path workdir = real(request.workdir());
    if (!workdir.startsWith(root)) {
      throw ContainerRuntimeException.terminal("the workdir " + request.workdir() + " is not under " + root
          + ", where the host mounts the workdir claim \"" + settings.workdirClaim().orElseThrow()
          + "\": the step Pod could not see it");
    }
    String relative = root.relativize(workdir).toString().replace('\\', '/');
    return relative.isEmpty() ? Optional.empty() : Optional.of(relative);
  }

  private static Path real(Path p) {
    Path normal = p.toAbsolutePath().normalize();
    try {
      return Files.exists(normal) ? normal.toRealPath() : normal;
    } catch (IOException e) {
      return normal;
    }
  }

  private static String randomId() {
    char[] id = new char[16];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_CHARS[RANDOM.nextInt(ID_CHARS.length)];
    }
    return new String(id);
  }

  private void create(PodFactory.PodObjects objects) {
    ctx.events().subscribe(podName, this::onEvent);
    Pod created = attemptObjects.create(objects);
    synchronized (this) {
      uid = created.getMetadata().getUid();
    }
    ResourceEventHandler<Pod> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        observe(p);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        observe(p);
      }

      @Override
      public void onDelete(Pod p, boolean finalStateUnknown) {
        podGone();
      }
    };
    SharedIndexInformer<Pod> started = ctx.api().call("watch Pod " + podName + " in namespace " + namespace,
        () -> client.pods().inNamespace(namespace).withName(podName).inform(handler, 0));
    informer = started;
    if (started.getStore().list().isEmpty()) {
      podGone(); // deleted between its creation and the watch's first list
    }
    started.stopped().whenComplete((v, t) -> {
      if (t != null && !closed.get()) {
        fail(ContainerRuntimeException.retryable("lost the watch on Pod " + podName + " in namespace " + namespace
            + ": " + t.getMessage(), t));
      }
    });
  }

  // ---- what the watches report ----

  private synchronized void observe(Pod pod) {
    if (result.isDone() && exit == null) {
      return;
    }
    if (uid != null && !uid.equals(pod.getMetadata().getUid())) {
      return; // another Pod of the same name: ours is gone (onDelete says so)
    }
    if (pod.getMetadata().getDeletionTimestamp() != null && !stopping && exit == null) {
      fail(ContainerRuntimeException.retryable("the Pod " + podName + " disappeared: it is being deleted, not by promokit,"
          + " before the step ended"));
      return;
    }
    PodState state = PodState.of(pod);
    lastState = state;
    if (state instanceof PodState.Terminated t) {
      exit = t.exit();
      cancelTimers();
      containerEnded.complete(null);
      ensureFollower();
    } else if (state instanceof PodState.Running) {
      cancelTimers();
      ensureFollower();
    } else if (state instanceof PodState.Waiting) {
      cancelTimers();
    } else if (state instanceof PodState.Unschedulable u) {
      info("Pod " + podName + " cannot be scheduled yet: " + u.message());
      schedulingTimer = startTimer(schedulingTimer, ctx.settings().schedulingGracePeriod());
    } else if (state instanceof PodState.PullTrouble p) {
      onPullTrouble(p);
    } else if (state instanceof PodState.ContainerError c) {
      fail(ContainerRuntimeException.terminal(containerError(c)));
    } else if (state instanceof PodState.InitFailed i) {
      fail(ContainerRuntimeException.terminal("the helper init container of Pod " + podName + " (image \""
          + ctx.settings().helperImage() + "\") failed with exit code " + i.exitCode()
          + detail(i.reason(), i.message())));
    } else if (state instanceof PodState.PodFailed f) {
      fail(ContainerRuntimeException.retryable("Pod " + podName + " failed before its step ended"
          + detail(f.reason(), f.message())));
    }
  }

  private void onPullTrouble(PodState.PullTrouble p) {
    if (!ImagePullErrors.isBackOffNotice(p.message())) {
      lastPullDetail = p.message();
    }
    String cause = lastPullDetail != null ? lastPullDetail : p.message();
    boolean lasting = p.reason().equals("ErrImageNeverPull") || ImagePullErrors.isLasting(cause);
    if (lasting) {
      fail(ContainerRuntimeException.terminal(imageName(p) + " cannot be pulled (" + p.reason() + "): " + cause));
      return;
    }
    info("Pod " + podName + ": " + imageName(p) + " cannot be pulled yet (" + p.reason() + "): " + cause);
    pullTimer = startTimer(pullTimer, ctx.settings().imagePullGracePeriod());
  }

  private String imageName(PodState.PullTrouble p) {
    if (p.helper()) {
      return "the helper image \"" + ctx.settings().helperImage() + "\"";
    }
    return "image \"" + request.image() + "\"";
  }

  private String containerError(PodState.ContainerError c) {
    if (c.reason().equals("InvalidImageName")) {
      String image = c.helper() ? ctx.settings().helperImage() : request.image();
      return "image \"" + image + "\" is not a valid image reference" + detail(c.reason(), c.message());
    }
    String container = c.helper() ? "the helper init container" : "the step container";
    return container + " of Pod " + podName + " cannot be created" + detail(c.reason(), c.message());
  }

  private static String detail(String reason, String message) {
    String r = reason == null || reason.isBlank() ? "" : " (" + reason + ")";
    String m = message == null || message.isBlank() ? "" : ": " + message.strip();
    return r + m;
  }

  private synchronized void onEvent(Event event) {
    String about = event.getInvolvedObject().getUid();
    if (uid != null && about != null && !uid.equals(about)) {
      return;
    }
    if (!"Warning".equals(event.getType()) || result.isDone()) {
      return;
    }
    String message = event.getMessage() == null ? "" : event.getMessage().strip();
    if ("Failed".equals(event.getReason()) && message.startsWith("Failed to pull image")) {
      lastPullDetail = ImagePullErrors.causeOf(message);
      if (lastState instanceof PodState.PullTrouble p) {
        onPullTrouble(p);
      }
      return;
    }
    if ("FailedScheduling".equals(event.getReason())) {
      return; // the PodScheduled condition says the same
    }
    info("Pod " + podName + ": " + event.getReason() + ": " + message);
  }

  private synchronized void podGone() {
    gone.complete(null);
    containerEnded.complete(null);
    if (exit != null || result.isDone()) {
      return;
    }
    if (stopping) {
      exit = new ContainerExit(137, false, "Killed", Map.of());
      if (follower == null) {
        result.complete(exit);
      }
      return;
    }
    fail(ContainerRuntimeException.retryable("the Pod " + podName + " disappeared: it was deleted, not by promokit, "
        + "before the step ended"));
  }

  private void ensureFollower() {
    if (follower != null || closed.get()) {
      return;
    }
    PodLogFollower f = new PodLogFollower(client, namespace, podName, decoder, containerEnded,
        ctx.api().attempts(), ctx.settings().apiBackoff());
    follower = f;
    f.done().whenComplete((problem, t) -> onLogDone(problem));
    ctx.logThreads().execute(f);
  }

  private synchronized void onLogDone(String problem) {
    if (problem != null && !closed.get()) {
      info("Pod " + podName + ": " + problem);
    }
    if (exit != null) {
      result.complete(exit);
    }
  }

  private void fail(ContainerRuntimeException e) {
    synchronized (this) {
      cancelTimers();
    }
    if (result.completeExceptionally(e)) {
      LOG.debug("Pod {} failed: {}", podName, e.getMessage());
    }
    containerEnded.complete(null);
  }

  private ScheduledFuture<?> startTimer(ScheduledFuture<?> running, Duration grace) {
    if (running != null) {
      return running;
    }
    return ctx.scheduler().schedule(this::graceOver, grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void graceOver() {
    if (result.isDone()) {
      return;
    }
    if (lastState instanceof PodState.PullTrouble p && pullTimer != null) {
      String cause = lastPullDetail != null ? lastPullDetail : p.message();
      fail(ContainerRuntimeException.retryable(imageName(p) + " could not be pulled for "
          + seconds(ctx.settings().imagePullGracePeriod()) + " (" + p.reason() + "): " + cause));
    } else if (lastState instanceof PodState.Unschedulable u && schedulingTimer != null) {
      fail(ContainerRuntimeException.retryable("Pod " + podName + " could not be scheduled for "
          + seconds(ctx.settings().schedulingGracePeriod()) + ": " + u.message()));
    }
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private void cancelTimers() {
    if (pullTimer != null) {
      pullTimer.cancel(false);
      pullTimer = null;
    }
    if (schedulingTimer != null) {
      schedulingTimer.cancel(false);
      schedulingTimer = null;
    }
  }

  private void info(String text) {
    sink.line(LogStream.INFO, text);
  }

  // ---- ContainerHandle ----

  @Override
  public String id() {
    return podName;
  }

  @Override
  public Optional<ContainerExit> await(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(result.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ContainerRuntimeException cre) {
        throw cre;
      }
      throw ContainerRuntimeException.retryable("Pod " + podName + " failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void stop(Duration gracePeriod) {
    stopping = true;
    if (gone.isDone() || closed.get() || !attemptObjects.podCreated()) {
      return;
    }
    long seconds = (gracePeriod.toMillis() + 999) / 1000;
    if (!attemptObjects.deletePod(seconds)) {
      return;
    }
    Duration wait = Duration.ofSeconds(seconds).plus(ctx.settings().deletionTimeout());
    try {
      gone.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("Pod {} in namespace {} is still there {} after it was deleted", podName, namespace, wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.debug("waiting for Pod {} to go failed", podName, e);
    }
  }

  @Override
  public CapturedFile readOutputFile(long maxBytes) throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative, but was " + maxBytes);
    }
    PodLogFollower f;
    synchronized (this) {
      f = follower;
    }
    if (!result.isDone() || result.isCompletedExceptionally() || f == null || !f.done().isDone()) {
      throw new IOException("the output of Pod " + podName + " is unknown: its step has not exited");
    }
    return decoder.output(maxBytes, podName);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopping = true;
    PodLogFollower f;
    synchronized (this) {
      cancelTimers();
      f = follower;
    }
    if (f != null) {
      f.close();
    }
    SharedIndexInformer<Pod> i = informer;
    if (i != null) {
      i.stop();
    }
    ctx.events().unsubscribe(podName);
    attemptObjects.deleteAll(gone.isDone());
    sink.close();
    result.completeExceptionally(ContainerRuntimeException.retryable("the handle of Pod " + podName + " was closed"));
    containerEnded.complete(null);
  }

  @Override
  public String toString() {
    return "KubernetesContainerHandle[" + namespace + "/" + podName + "]";
  }
}
