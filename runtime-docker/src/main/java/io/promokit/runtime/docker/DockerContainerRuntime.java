package io.promokit.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerPolicy;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.DockerConfigCredentials;
import io.promokit.spi.Hardening;
import io.promokit.spi.LogSink;
import io.promokit.spi.ManagedContainer;
import io.promokit.spi.PullPolicy;
import io.promokit.spi.RegistryCredential;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs container steps in Docker: one container per attempt, through the Docker Engine API (docker-java
 * with its zero-dependency transport), on the daemon of {@code DOCKER_HOST} or the local socket.
 *
 * <h2>What a container gets</h2>
 *
 * <ul>
 *   <li>The request's command as its argv, replacing the image's entrypoint; no shell is added, so images
 *       without one (distroless) work. It runs under Docker's init ({@code --init}), which forwards
 *       signals and reaps orphaned children.
 *   <li>The promotion's workdir bind-mounted at {@code /workspace}, its working directory.
 *   <li>{@code KARGO_OUTPUT}: an empty file in a per-attempt host folder mounted at
 *       {@code /promokit/out}; {@code PROMOKIT_FILES}: the request's files, read-only, at
 *       {@code /promokit/files}, and {@code $(PROMOKIT_FILES)} in env values replaced by that path. The
 *       per-attempt folder lives under {@link #scratchDirectory()} and is deleted on close.
 *   <li>The request's uid (65532 unless {@code runAsUser} says otherwise), numeric, with the workdir's
 *       group (see below).
 *   <li>Memory and CPU limits from {@code resources} (memory without swap, so exceeding it is an OOM
 *       kill, reported as {@code oomKilled} with the limit in the reason); memory and CPU requests as
 *       the reservation and CPU shares.
 *   <li>The request's labels, which always name the engine, promotion, step and attempt.
 *   <li>Hardening, as the {@link ContainerPolicy} says ({@link Builder#policy}): every capability dropped,
 *       {@code no-new-privileges}, uid and primary group never 0 (refused unless the host allows the
 *       definition root), a read-only root filesystem with a bounded tmpfs at {@code /tmp}, a process
 *       limit, memory and CPU limits (the definition's, else the policy's), a private IPC namespace, and
 *       the host's network ({@link Builder#network}) or none ({@code network: none}).
 *   <li>Secret env values (those the request marks) through files that a static launcher from the helper
 *       image reads and deletes as the container starts, never in the container's configuration.
 * </ul>
 *
 * <h2>Sharing files with in-process steps</h2>
 *
 * Steps running in the host JVM and containers running as another uid read and write the same workdir,
 * including files the host made with mode 0600, in the manner of Kubernetes' {@code fsGroup}: the
 * workdir's group is the <em>shared group</em>. Before each container starts, every entry of the
 * workdir gets that group and group permissions equal to its owner's (0600 becomes 0660), and the
 * container runs with the shared group as its primary group (or, when the request names a group, as an
 * additional one). A root host needs nothing more, as it may read and write anything. A host running as
 * another user may not read or change what the container made (owned by the container's uid, often 0644
 * or 0600): after the container exits, the runtime has the daemon give every such entry back to the host
 * user, reading it from the stopped container and extracting it again with the host's uid and the shared
 * group (Docker's archive API). {@code docs/runtime-docker.md} has the details. The daemon must see the
 * workdir and the scratch folder at the same paths as this process (a local daemon).
 *
 * <h2>Lifecycle</h2>
 *
 * {@link #start} checks the image name, that the daemon answers and whether the image is present (a
 * missing image with pull policy {@code Never} fails there), then returns; a thread pulls the image
 * (policy {@code IfNotPresent} by default, {@code Always}, {@code Never}), creates the container,
 * attaches to its output, starts it and waits for it. Pull credentials come from the request (the host's
 * pull secrets), then from the Docker client configuration ({@code $DOCKER_CONFIG/config.json} or
 * {@code ~/.docker/config.json}: credential helpers, {@code credsStore}, {@code auths}). A missing image,
 * an invalid name or refused credentials are terminal {@link ContainerRuntimeException}s naming the image
 * and the registry's answer; an unreachable registry or daemon is retryable. Output is streamed line by
 * line as it comes, with bounded memory, and never stored on the daemon's disk. {@code stop} sends SIGTERM,
 * then SIGKILL after the grace period; {@code close} stops what still runs, removes the container and
 * deletes the attempt folder. {@link #reap(String)} does the same for every container labelled with an
 * engine id, {@link #reap(ContainerSelector)} for those a selector matches (by engine, by age, all).
 *
 * <h2>Daemon faults</h2>
 *
 * Every request to the daemon is bounded ({@link Builder#apiTimeout}), a running container's daemon is
 * pinged, and a pull is cancelled when it stalls or takes too long, whether or not the step has a timeout.
 * A daemon that answered before and stops answering is waited for up to the restart window
 * ({@link Builder#restartWindow}) before a start or a wait gives up (retryable). A container the runtime
 * could not stop or remove because the daemon did not answer is removed (killed if it still runs) as soon
 * as the daemon answers again.
 *
 * <p>Thread-safe: one runtime serves many promotions. {@link #close()} releases the connections (and the
 * client, when the runtime made it); close the handles first.
 */
public final class DockerContainerRuntime implements ContainerRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(DockerContainerRuntime.class);
  /** The network step containers join unless their definition says {@code network: none}. */
  public static final String DEFAULT_NETWORK = "bridge";
  /** The default helper image: the official BusyBox image, whose {@code /bin/busybox} is static (as on Kubernetes). */
  public static final String DEFAULT_HELPER_IMAGE = "busybox:1.36.1-musl";
  /** Where the default helper image keeps its static BusyBox binary. */
  public static final String DEFAULT_HELPER_BINARY = "/bin/busybox";
  /** How long one request to the daemon may go unanswered. */
  public static final Duration DEFAULT_API_TIMEOUT = Duration.ofSeconds(30);
  /** How long a daemon that answered before and stopped answering is waited for (a restart). */
  public static final Duration DEFAULT_RESTART_WINDOW = Duration.ofSeconds(60);
  /** How long a pull may go without progress before it is cancelled. */
  public static final Duration DEFAULT_PULL_STALL_TIMEOUT = Duration.ofMinutes(2);
  /** How long a pull may take in all. */
  public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(30);
  /** How often the daemon is pinged while a container runs. */
  static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final DockerClient client;
  private final boolean ownsClient;
  private final Daemon daemon;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DockerContainerRuntime(DockerClient client, boolean ownsClient, String description, Builder b, Path config,
      Path scratch) {
    this.client = client;
    this.ownsClient = ownsClient;
    SharedFiles sharedFiles = new SharedFiles(SharedFiles.currentUid());
    ExecutorService threads = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "promokit-docker-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "promokit-docker-timer-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    DaemonCalls calls = new DaemonCalls(description, b.apiTimeout, b.restartWindow, timer, () -> client.pingCmd().exec());
    ImagePuller puller = new ImagePuller(client, new RegistryAuth(config, b.credentialHelperPath),
        description, calls, b.pullStallTimeout, b.pullTimeout);
    this.daemon = new Daemon(client, description, calls, new PendingRemovals(client, calls, threads), puller,
        sharedFiles, new OwnershipHandBack(client, sharedFiles, calls), scratch, threads,
        new HelperBinary(client, calls, puller, ImageReference.parse(b.helperImage), b.helperBinary, scratch),
        b.policy, b.network, b.heartbeat);
  }

  /**
   * A runtime for the daemon the environment names, as the docker CLI finds it: {@code DOCKER_HOST}
   * (with {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}), else the local socket
   * {@code unix:///var/run/docker.sock}. Connecting happens on first use.
   */
  public static DockerContainerRuntime create() {
    return builder().build();
  }

  /**
   * A runtime using the given client. The client stays the caller's: {@link #close()} does not close it.
   */
  public static DockerContainerRuntime create(DockerClient client) {
    return builder().dockerClient(client).build();
  }

  /** A builder for other settings: another daemon, Docker config directory or scratch directory. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A runtime for the environment's daemon (as {@link #create()}) when that daemon answers a ping within
   * a few seconds; empty otherwise. For choosing a runtime ({@code --runtime auto}).
   */
  public static Optional<DockerContainerRuntime> tryCreate() {
    return isAvailable() ? Optional.of(create()) : Optional.empty();
  }

  /** Whether the environment's daemon (as {@link #create()} finds it) answers a ping within a few seconds. */
  public static boolean isAvailable() {
    DockerClientConfig config;
    try {
      config = clientConfig(null, null);
    } catch (IllegalArgumentException | IllegalStateException e) {
      LOG.warn("the Docker daemon's settings are not usable: {}", e.getMessage());
      return false;
    }
    DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .connectionTimeout(PROBE_TIMEOUT)
        .responseTimeout(PROBE_TIMEOUT)
        .build();
    try (DockerClient probe = DockerClientImpl.getInstance(config, http)) {
      probe.pingCmd().exec();
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.debug("no Docker daemon answers at {}: {}", config.getDockerHost(), e.toString());
      return false;
    }
  }

  /** {@code docker}. */
  @Override
  public String name() {
    return "docker";
  }

  /** The daemon this runtime talks to, as messages name it ({@code unix:///var/run/docker.sock}). */
  public String daemon() {
    return daemon.description();
  }

  /** Where the per-attempt folders ({@code KARGO_OUTPUT}, files) are made. */
  public Path scratchDirectory() {
    return daemon.scratch();
  }

  /** The hardening policy every container gets. */
  public ContainerPolicy policy() {
    return daemon.policy();
  }

  /** The network containers join unless their definition says {@code network: none}. */
  public String network() {
    return daemon.network();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Refuses (terminal) what the {@link ContainerPolicy} refuses: root unless allowed. A daemon that
   * answered this runtime before and does not answer now is waited for up to the restart window.
   */
  @Override
  public ContainerHandle start(ContainerRequest request, LogSink logs) {
    Objects.requireNonNull(request, "request must not be null");
    Objects.requireNonNull(logs, "logs must not be null");
    if (closed.get()) {
      throw new IllegalStateException("this DockerContainerRuntime is closed");
    }
    ImageReference image;
    try {
      image = ImageReference.parse(request.image());
    } catch (IllegalArgumentException e) {
      throw ContainerRuntimeException.terminal("invalid image name \"" + request.image() + "\": " + e.getMessage());
    }
    Hardening hardening = daemon.policy().harden(request, name());
    int sharedGroup = shareWorkdir(request, hardening);
    long t = System.nanoTime();
    boolean present = isPresentWaitingForRestart(image);
    Path helper = request.secretEnvNames().isEmpty() ? null : helperBinary();
    Duration checkTime = Duration.ofNanos(System.nanoTime() - t);
    if (!present && request.pullPolicy() == PullPolicy.NEVER) {
      throw ContainerRuntimeException.terminal("image \"" + image.text() + "\" is not present on the Docker daemon at "
          + daemon.description() + " and the pull policy is Never");
    }
    byte[] suffix = new byte[3];
    RANDOM.nextBytes(suffix);
    String name = request.name() + "-" + HexFormat.of().formatHex(suffix);
    String engine = request.labels().getOrDefault(ContainerLabels.ENGINE, "none");
    List<String> secretValues = request.secretEnvNames().stream()
        .map(n -> ContainerSettings.expand(request.env().get(n))).toList();
    AttemptDirectory attempt;
    try {
      attempt = AttemptDirectory.create(daemon.scratch(), engine, name, sharedGroup, request.files(), secretValues);
    } catch (IOException e) {
      throw ContainerRuntimeException.retryable("cannot make the folder for KARGO_OUTPUT and the files of container " + name
          + " under " + daemon.scratch() + ": " + e.getMessage(), e);
    }
    boolean pullFirst = request.pullPolicy() == PullPolicy.ALWAYS || !present;
    DockerContainer container = new DockerContainer(daemon, request, image, name, attempt,
        new ContainerSettings(request, image, attempt, sharedGroup, hardening, daemon.network(), helper), logs,
        pullFirst, checkTime);
    try {
      container.follow();
    } catch (RejectedExecutionException e) {
      attempt.delete();
      throw new IllegalStateException("this DockerContainerRuntime is closed", e);
    }
    return container;
  }

  /** Whether the image is present; a daemon that answered before and went away is waited for first. */
  private boolean isPresentWaitingForRestart(ImageReference image) {
    try {
      return daemon.puller().isPresent(image);
    } catch (ContainerRuntimeException e) {
      if (!e.isRetryable() || !daemon.calls().answeredOnce()) {
        throw e;
      }
      try {
        daemon.calls().awaitDaemon(e.getMessage());
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw ContainerRuntimeException.retryable(e.getMessage() + "; interrupted while waiting for the daemon", e);
      }
      return daemon.puller().isPresent(image);
    }
  }

  private Path helperBinary() {
    try {
      return daemon.helper().path();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ContainerRuntimeException.retryable("interrupted while getting the launcher from the helper image \""
          + daemon.helper().image().text() + "\"", e);
    } catch (ContainerRuntimeException e) {
      String message = "the step has secret env values, which reach it through a launcher from the "
          + "helper image \"" + daemon.helper().image().text() + "\" (DockerContainerRuntime.Builder.helperImage): "
          + e.getMessage();
      throw e.isRetryable() ? ContainerRuntimeException.retryable(message, e)
          : ContainerRuntimeException.terminal(message, e);
    }
  }

  /**
   * Makes sure the daemon has the image, pulling it when missing, as a step with pull policy
   * {@code IfNotPresent} would, and with the same errors: terminal when the registry refuses (the name is
   * invalid, the image is missing, access is denied), retryable when the registry or the daemon cannot be
   * reached. For hosts that check, before a promotion starts, that every image it needs can be had (the
   * CLI's {@code --runtime auto} does).
   *
   * @param image the image reference, as a step definition gives it
   * @param credentials registry credentials to try (empty: the Docker config's, if any)
   * @param timeout how long a pull may take; a pull still running then is cancelled (retryable error)
   * @return whether it had to pull
   * @throws ContainerRuntimeException as above
   * @throws InterruptedException when interrupted while pulling (the pull is cancelled)
   */
  public boolean pullIfMissing(String image, List<RegistryCredential> credentials, Duration timeout)
      throws InterruptedException {
    Objects.requireNonNull(image, "image must not be null");
    Objects.requireNonNull(credentials, "credentials must not be null");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
    }
    ImageReference reference;
    try {
      reference = ImageReference.parse(image);
    } catch (IllegalArgumentException e) {
      throw ContainerRuntimeException.terminal("invalid image name \"" + image + "\": " + e.getMessage());
    }
    if (daemon.puller().isPresent(reference)) {
      return false;
    }
    AtomicReference<StreamCallback<?>> pulling = new AtomicReference<>();
    AtomicBoolean timedOut = new AtomicBoolean();
    CompletableFuture<Void> deadline = CompletableFuture.runAsync(() -> {
      StreamCallback<?> stream = pulling.get();
      if (stream != null) {
        timedOut.set(true);
        stream.close();
      }
    }, CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS));
    try {
      daemon.puller().pull(reference, credentials, stream -> {
        pulling.set(stream);
        if (stream == null) {
          deadline.cancel(false);
        }
      });
    } finally {
      deadline.cancel(false);
    }
    // The deadline may have closed a pull that had just finished: the daemon has the last word.
    if (timedOut.get() && !daemon.puller().isPresent(reference)) {
      throw ContainerRuntimeException.retryable("pulling image \"" + image + "\" did not finish within "
          + timeout.toSeconds() + "s; the pull was cancelled");
    }
    return true;
  }

  /**
   * Shares the workdir through its group and returns that group. A workdir whose group is 0 (a root host's
   * folder) is given the request's group, else its uid, as its group first: containers never run with
   * group 0 unless the host allows the definition root.
   */
  private int shareWorkdir(ContainerRequest request, Hardening hardening) {
    Path workdir = request.workdir();
    if (!Files.isDirectory(workdir)) {
      throw ContainerRuntimeException.terminal("the workdir " + workdir + " of container step \"" + request.name()
          + "\" is not a folder");
    }
    try {
      int group = SharedFiles.groupOf(workdir);
      if (group == 0 && !hardening.rootAllowed()) {
        group = request.group() != null ? request.group() : request.user();
      }
      daemon.sharedFiles().share(workdir, group);
      return group;
    } catch (IOException e) {
      throw ContainerRuntimeException.terminal("cannot share the workdir " + workdir + " with container step \""
          + request.name() + "\": " + e.getMessage(), e);
    }
  }

  /**
   * Removes every container labelled with the engine id (killing it first, and handing its files back as
   * a normal end would), deletes their attempt folders, and the engine's folder under
   * {@link #scratchDirectory()}.
   *
   * @return how many containers were removed
   * @throws ContainerRuntimeException (retryable) when the daemon cannot be reached
   */
  @Override
  public int reap(String engineId) {
    Objects.requireNonNull(engineId, "engineId must not be null");
    return reap(ContainerSelector.engine(engineId));
  }

  /**
   * The containers labelled {@code app.kubernetes.io/managed-by=promokit} on the daemon that the selector
   * matches (running or not), by container name, with their labels and creation time.
   *
   * @throws ContainerRuntimeException (retryable) when the daemon cannot be reached
   */
  @Override
  public List<ManagedContainer> list(ContainerSelector selector) {
    Objects.requireNonNull(selector, "selector must not be null");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE);
    selector.engineId().ifPresent(engine -> labels.put(ContainerLabels.ENGINE, engine));
    List<Container> found;
    try {
      found = daemon.calls().call("list the " + selector, () -> client.listContainersCmd()
          .withShowAll(true).withLabelFilter(labels).exec());
    } catch (RuntimeException e) {
      throw ContainerRuntimeException.retryable("cannot list the " + selector + " on the Docker daemon at "
          + daemon.description() + ": " + (e instanceof ContainerRuntimeException ? e.getMessage()
              : DaemonErrors.message(e)), e);
    }
    return found.stream()
        .map(c -> new ManagedContainer(containerName(c), c.getLabels(),
            Instant.ofEpochSecond(c.getCreated() == null ? 0 : c.getCreated()), "running".equals(c.getState())))
        .filter(selector::matches)
        .toList();
  }

  /**
   * Removes what {@link #list(ContainerSelector)} finds (killing it first, handing its files back as a
   * normal end would) and the attempt folders of those containers; for a selector of one engine without an
   * age, also the engine's folder under {@link #scratchDirectory()}.
   *
   * @return how many containers were removed
   * @throws ContainerRuntimeException (retryable) when the daemon cannot be reached
   */
  @Override
  public int reap(ContainerSelector selector) {
    int removed = 0;
    for (ManagedContainer leftover : list(selector)) {
      if (new Leftover(daemon, leftover.id()).remove()) {
        removed++;
      }
    }
    if (selector.engineId().isPresent() && selector.createdBeforeMoment().isEmpty()) {
      AttemptDirectory.deleteTree(AttemptDirectory.engineDirectory(daemon.scratch(), selector.engineId().get()));
    }
    if (removed > 0) {
      LOG.info("reaped {} {}", removed, selector);
    }
    return removed;
  }

  private static String containerName(Container container) {
    String[] names = container.getNames();
    return names == null || names.length == 0 ? container.getId() : names[0].replaceFirst("^/", "");
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    daemon.removals().close();
    daemon.threads().shutdown();
    timer.shutdownNow();
    if (ownsClient) {
      try {
        client.close();
      } catch (IOException e) {
        LOG.debug("closing the Docker client failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "DockerContainerRuntime[" + daemon.description() + "]";
  }

  /** A container of a dead engine, found by its label. */
  private record Leftover(Daemon daemon, String id) {

    /** Kills, hands back, removes; false when it was gone already. */
    boolean remove() {
      InspectContainerResponse info;
      try {
        info = daemon.calls().call("inspect container " + id, () -> daemon.client().inspectContainerCmd(id).exec());
      } catch (RuntimeException e) {
        if (DaemonErrors.isNotFound(e)) {
          return false;
        }
        throw ContainerRuntimeException.retryable("cannot inspect leftover container " + id + ": "
            + DaemonErrors.message(e), e);
      }
      Path workdir = mountSource(info, ContainerRequest.WORKSPACE);
      Path output = mountSource(info, AttemptDirectory.OUTPUT_MOUNT);
      try {
        daemon.calls().run("kill container " + id, () -> daemon.client().stopContainerCmd(id).withTimeout(0).exec());
      } catch (RuntimeException e) {
        // Not running (or gone): removing is all that is left to do.
      }
      if (daemon.sharedFiles().needsHandBack() && workdir != null && output != null) {
        try {
          int group = SharedFiles.groupOf(workdir);
          daemon.handBack().handBack(id, List.of(
              new OwnershipHandBack.Mount(workdir, ContainerRequest.WORKSPACE),
              new OwnershipHandBack.Mount(output, AttemptDirectory.OUTPUT_MOUNT)), group);
        } catch (IOException | RuntimeException e) {
          LOG.warn("files of leftover container {} may stay unwritable for this host user: {}", id, e.getMessage());
        }
      }
      try {
        daemon.calls().run("remove container " + id,
            () -> daemon.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
      } catch (RuntimeException e) {
        if (DaemonErrors.isNotFound(e)) {
          return false;
        }
        throw ContainerRuntimeException.retryable("cannot remove leftover container " + id + ": "
            + DaemonErrors.message(e), e);
      }
      if (output != null && isAttemptFolder(output.getParent(), info.getName())) {
        AttemptDirectory.existing(output.getParent()).delete();
      }
      return true;
    }

    private static Path mountSource(InspectContainerResponse info, String destination) {
      if (info.getMounts() == null) {
        return null;
      }
      return info.getMounts().stream()
          .filter(m -> m.getDestination() != null && destination.equals(m.getDestination().getPath()))
          .map(m -> m.getSource() == null ? null : Path.of(m.getSource()))
          .filter(Objects::nonNull)
          .findFirst().orElse(null);
    }

    /** Only a folder this runtime made: named for the container, holding {@code out} and {@code files}. */
    private static boolean isAttemptFolder(Path folder, String containerName) {
      return folder != null && containerName != null
          && folder.getFileName().toString().equals(containerName.replaceFirst("^/", ""))
          && Files.isDirectory(folder.resolve("out")) && Files.isDirectory(folder.resolve("files"));
    }
  }

  /**
   * docker-java's settings from the environment (DOCKER_HOST, ~/.docker/config.json, contexts), with TLS always
   * through {@link DockerTls}: docker-java's own TLS set-up needs BouncyCastle, which promokit does not ship.
   */
  private static DockerClientConfig clientConfig(URI dockerHost, DockerTls tls) {
    DefaultDockerClientConfig.Builder settings = DefaultDockerClientConfig.createDefaultConfigBuilder();
    if (dockerHost != null) {
      settings.withDockerHost(dockerHost.toString());
    }
    DockerTls effective = tls != null ? tls : tlsFromEnvironment(System.getenv());
    if (effective != null) {
      settings.withCustomSslConfig(effective);
    }
    try {
      return settings.build();
    } catch (NoClassDefFoundError e) {
      if (String.valueOf(e.getMessage()).contains("bouncycastle")) {
        throw new IllegalStateException("Docker TLS set up by a docker context or ~/.docker-java.properties is not "
            + "supported: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, or use DockerContainerRuntime.builder().tls("
            + "folder)", e);
      }
      throw e;
    }
  }

  /** TLS as the docker CLI decides it: DOCKER_TLS_VERIFY set, with DOCKER_CERT_PATH (default ~/.docker). */
  static DockerTls tlsFromEnvironment(Map<String, String> environment) {
    String verify = environment.get("DOCKER_TLS_VERIFY");
    if (verify == null || verify.isBlank() || verify.equals("0") || verify.equalsIgnoreCase("false")) {
      return null;
    }
    String path = environment.get("DOCKER_CERT_PATH");
    return DockerTls.of(path != null && !path.isBlank() ? Path.of(path)
        : Path.of(System.getProperty("user.home"), ".docker"));
  }

  /**
   * Builds a {@link DockerContainerRuntime}. Without {@link #dockerHost} or {@link #dockerClient}, the
   * daemon is the environment's, as for {@link DockerContainerRuntime#create()}.
   */
  public static final class Builder {
    private URI dockerHost;
    private DockerClient dockerClient;
    private Path dockerConfigDirectory;
    private Path scratchDirectory;
    private String credentialHelperPath = System.getenv("PATH");
    private DockerTls tls;
    private ContainerPolicy policy = ContainerPolicy.defaults();
    private String network = DEFAULT_NETWORK;
    private String helperImage = DEFAULT_HELPER_IMAGE;
    private String helperBinary = DEFAULT_HELPER_BINARY;
    private Duration apiTimeout = DEFAULT_API_TIMEOUT;
    private Duration restartWindow = DEFAULT_RESTART_WINDOW;
    private Duration pullStallTimeout = DEFAULT_PULL_STALL_TIMEOUT;
    private Duration pullTimeout = DEFAULT_PULL_TIMEOUT;
    private Duration heartbeat = DEFAULT_HEARTBEAT;

    private Builder() {}

    /**
     * Mutual TLS with the daemon, with the client certificate, its key and the CA in {@code directory}
     * ({@code cert.pem}, {@code key.pem}, {@code ca.pem}: a {@code DOCKER_CERT_PATH} folder). Without it, TLS is
     * used when {@code DOCKER_TLS_VERIFY} is set (and not {@code 0} or {@code false}), with the files in
     * {@code DOCKER_CERT_PATH}, else {@code ~/.docker}. Keys may be PKCS#8, PKCS#1 (RSA) or SEC1 (EC), unencrypted.
     *
     * @throws IllegalArgumentException naming the files missing from {@code directory}
     */
    public Builder tls(Path directory) {
      this.tls = DockerTls.of(Objects.requireNonNull(directory, "tls directory must not be null"));
      return this;
    }

    /**
     * How hardened containers are, and what the host allows particular definitions (default:
     * {@link ContainerPolicy#defaults()}: no capabilities, no root, read-only root filesystem, 1 GiB, one
     * core, 512 processes, 128 MiB {@code /tmp}).
     */
    public Builder policy(ContainerPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy must not be null");
      return this;
    }

    /**
     * The Docker network step containers join (default {@value #DEFAULT_NETWORK}, the daemon's default
     * bridge); a definition with {@code network: none} gets none whatever this says. {@code none} here cuts
     * every step off.
     */
    public Builder network(String network) {
      Objects.requireNonNull(network, "network must not be null");
      if (network.isBlank() || network.equals("host") || network.startsWith("container:")) {
        throw new IllegalArgumentException("network must name a Docker network (bridge, none or one of yours); "
            + "\"host\" and \"container:...\" would share another's network namespace, but was \"" + network + "\"");
      }
      this.network = network;
      return this;
    }

    /**
     * The image holding the static BusyBox that launches containers with secret env values (default
     * {@value #DEFAULT_HELPER_IMAGE}, the Kubernetes runtime's default too); pulled when missing.
     */
    public Builder helperImage(String image) {
      Objects.requireNonNull(image, "helperImage must not be null");
      try {
        ImageReference.parse(image);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("helperImage: invalid image name \"" + image + "\": " + e.getMessage(), e);
      }
      this.helperImage = image;
      return this;
    }

    /** Where the helper image keeps its static BusyBox (default {@value #DEFAULT_HELPER_BINARY}). */
    public Builder helperBinary(String path) {
      Objects.requireNonNull(path, "helperBinary must not be null");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("helperBinary must be an absolute path, but was \"" + path + "\"");
      }
      this.helperBinary = path;
      return this;
    }

    /**
     * How long one request to the daemon may go unanswered before it fails retryably (default 30 s); a
     * frozen daemon never holds a step longer.
     */
    public Builder apiTimeout(Duration timeout) {
      this.apiTimeout = positive("apiTimeout", timeout);
      return this;
    }

    /**
     * How long a daemon that answered before and stopped answering is waited for before a start, a
     * running container's wait or a removal gives up (default 60 s: long enough for a daemon restart).
     */
    public Builder restartWindow(Duration window) {
      this.restartWindow = positive("restartWindow", window);
      return this;
    }

    /** How long a pull may go without any progress before it is cancelled (default 2 min). */
    public Builder pullStallTimeout(Duration timeout) {
      this.pullStallTimeout = positive("pullStallTimeout", timeout);
      return this;
    }

    /** How long a pull may take in all (default 30 min). */
    public Builder pullTimeout(Duration timeout) {
      this.pullTimeout = positive("pullTimeout", timeout);
      return this;
    }

    /** How often the daemon is pinged while a container runs (default 10 s). For tests. */
    Builder heartbeat(Duration interval) {
      this.heartbeat = positive("heartbeat", interval);
      return this;
    }

    private static Duration positive(String what, Duration value) {
      Objects.requireNonNull(value, what + " must not be null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, but was " + value);
      }
      return value;
    }

    /** The daemon's address: {@code unix:///path/to/docker.sock} or {@code tcp://host:port}. */
    public Builder dockerHost(URI dockerHost) {
      Objects.requireNonNull(dockerHost, "dockerHost must not be null");
      String scheme = dockerHost.getScheme();
      if (!"unix".equals(scheme) && !"tcp".equals(scheme) && !"npipe".equals(scheme)) {
        throw new IllegalArgumentException(
            "dockerHost must be a unix://, tcp:// or npipe:// address, but was " + dockerHost);
      }
      if (dockerClient != null) {
        throw new IllegalStateException("set either dockerHost or dockerClient, not both");
      }
      this.dockerHost = dockerHost;
      return this;
    }

    /** A client to use; it stays the caller's (the runtime does not close it). */
    public Builder dockerClient(DockerClient dockerClient) {
      Objects.requireNonNull(dockerClient, "dockerClient must not be null");
      if (dockerHost != null) {
        throw new IllegalStateException("set either dockerHost or dockerClient, not both");
      }
      this.dockerClient = dockerClient;
      return this;
    }

    /**
     * The Docker client configuration directory whose {@code config.json} holds registry credentials;
     * by default {@code $DOCKER_CONFIG}, else {@code ~/.docker}.
     */
    public Builder dockerConfigDirectory(Path directory) {
      this.dockerConfigDirectory = Objects.requireNonNull(directory, "dockerConfigDirectory must not be null");
      return this;
    }

    /**
     * Where per-attempt folders are made; by default {@code <java.io.tmpdir>/promokit-docker-<uid>}. The
     * daemon must see it at the same path. A restarted host must use the same directory for
     * {@link DockerContainerRuntime#reap(String)} to find folders whose containers are gone.
     */
    public Builder scratchDirectory(Path directory) {
      Objects.requireNonNull(directory, "scratchDirectory must not be null");
      if (!directory.isAbsolute()) {
        throw new IllegalArgumentException("scratchDirectory must be absolute, but was " + directory);
      }
      this.scratchDirectory = directory;
      return this;
    }

    /** Where credential helpers are looked for, in PATH syntax (default: this process's PATH). For tests. */
    Builder credentialHelperPath(String path) {
      this.credentialHelperPath = Objects.requireNonNull(path, "credentialHelperPath must not be null");
      return this;
    }

    public DockerContainerRuntime build() {
      Path config = dockerConfigDirectory != null ? dockerConfigDirectory
          : DockerConfigCredentials.defaultConfigDirectory();
      Path scratch = scratchDirectory != null ? scratchDirectory
          : Path.of(System.getProperty("java.io.tmpdir"), "promokit-docker-" + SharedFiles.currentUid());
      if (dockerClient != null) {
        return new DockerContainerRuntime(dockerClient, false, "(the given client's daemon)", this, config, scratch);
      }
      DockerClientConfig clientConfig = clientConfig(dockerHost, tls);
      DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
          .dockerHost(clientConfig.getDockerHost())
          .sslConfig(clientConfig.getSSLConfig())
          .connectionTimeout(CONNECT_TIMEOUT)
          .build();
      return new DockerContainerRuntime(DockerClientImpl.getInstance(clientConfig, http), true,
          clientConfig.getDockerHost().toString(), this, config, scratch);
    }
  }
}
