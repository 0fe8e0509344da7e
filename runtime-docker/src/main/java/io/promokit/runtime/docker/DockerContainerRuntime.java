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
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.LogSink;
import io.promokit.spi.PullPolicy;
import io.promokit.spi.RegistryCredential;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 * line as it comes, with bounded memory, and never stored on the daemon's disk. A daemon that goes away
 * while a container runs makes {@code await} throw a retryable exception. {@code stop} sends SIGTERM,
 * then SIGKILL after the grace period; {@code close} stops what still runs, removes the container and
 * deletes the attempt folder. {@link #reap(String)} does the same for every container labelled with an
 * engine id.
 *
 * <p>Thread-safe: one runtime serves many promotions. {@link #close()} releases the connections (and the
 * client, when the runtime made it); close the handles first.
 */
public final class DockerContainerRuntime implements ContainerRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(DockerContainerRuntime.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final DockerClient client;
  private final boolean ownsClient;
  private final Daemon daemon;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DockerContainerRuntime(DockerClient client, boolean ownsClient, String description, Path configDirectory,
      String helperPath, Path scratch) {
    this.client = client;
    this.ownsClient = ownsClient;
    SharedFiles sharedFiles = new SharedFiles(SharedFiles.currentUid());
    ExecutorService threads = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "promokit-docker-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.daemon = new Daemon(client, description,
        new ImagePuller(client, new RegistryAuth(configDirectory, new CredentialHelpers(helperPath)), description),
        sharedFiles, new OwnershipHandBack(client, sharedFiles), scratch, threads);
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
      throw new ContainerRuntimeException("invalid image name \"" + request.image() + "\": " + e.getMessage(), false);
    }
    int sharedGroup = shareWorkdir(request);
    long t = System.nanoTime();
    boolean present = daemon.puller().isPresent(image);
    Duration checkTime = Duration.ofNanos(System.nanoTime() - t);
    if (!present && request.pullPolicy() == PullPolicy.NEVER) {
      throw new ContainerRuntimeException("image \"" + image.text() + "\" is not present on the Docker daemon at "
          + daemon.description() + " and the pull policy is Never", false);
    }
    byte[] suffix = new byte[3];
    RANDOM.nextBytes(suffix);
    String name = request.name() + "-" + HexFormat.of().formatHex(suffix);
    String engine = request.labels().getOrDefault(ContainerLabels.ENGINE, "none");
    AttemptDirectory attempt;
    try {
      attempt = AttemptDirectory.create(daemon.scratch(), engine, name, sharedGroup, request.files());
    } catch (IOException e) {
      throw new ContainerRuntimeException("cannot make the folder for KARGO_OUTPUT and the files of container " + name
          + " under " + daemon.scratch() + ": " + e.getMessage(), true, e);
    }
    boolean pullFirst = request.pullPolicy() == PullPolicy.ALWAYS || !present;
    DockerContainer container = new DockerContainer(daemon, request, image, name, attempt,
        new ContainerSettings(request, image, attempt, sharedGroup), logs, pullFirst, checkTime);
    try {
      container.follow();
    } catch (RejectedExecutionException e) {
      attempt.delete();
      throw new IllegalStateException("this DockerContainerRuntime is closed", e);
    }
    return container;
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
      throw new ContainerRuntimeException("invalid image name \"" + image + "\": " + e.getMessage(), false);
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
      throw new ContainerRuntimeException("pulling image \"" + image + "\" did not finish within "
          + timeout.toSeconds() + "s; the pull was cancelled", true);
    }
    return true;
  }

  private int shareWorkdir(ContainerRequest request) {
    Path workdir = request.workdir();
    if (!Files.isDirectory(workdir)) {
      throw new ContainerRuntimeException("the workdir " + workdir + " of container step \"" + request.name()
          + "\" is not a folder", false);
    }
    try {
      int group = SharedFiles.groupOf(workdir);
      daemon.sharedFiles().share(workdir, group);
      return group;
    } catch (IOException e) {
      throw new ContainerRuntimeException("cannot share the workdir " + workdir + " with container step \""
          + request.name() + "\": " + e.getMessage(), false, e);
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
    List<Container> leftovers;
    try {
      leftovers = client.listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(ContainerLabels.ENGINE, engineId)).exec();
    } catch (RuntimeException e) {
      throw new ContainerRuntimeException("cannot list the containers of engine " + engineId + " on the Docker daemon at "
          + daemon.description() + ": " + DaemonErrors.message(e), true, e);
    }
    int removed = 0;
    for (Container leftover : leftovers) {
      if (new Leftover(daemon, leftover.getId()).remove()) {
        removed++;
      }
    }
    AttemptDirectory.deleteTree(AttemptDirectory.engineDirectory(daemon.scratch(), engineId));
    if (removed > 0) {
      LOG.info("reaped {} container(s) of engine {}", removed, engineId);
    }
    return removed;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    daemon.threads().shutdown();
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
        info = daemon.client().inspectContainerCmd(id).exec();
      } catch (RuntimeException e) {
        if (DaemonErrors.isNotFound(e)) {
          return false;
        }
        throw new ContainerRuntimeException("cannot inspect leftover container " + id + ": "
            + DaemonErrors.message(e), true, e);
      }
      Path workdir = mountSource(info, ContainerRequest.WORKSPACE);
      Path output = mountSource(info, AttemptDirectory.OUTPUT_MOUNT);
      try {
        daemon.client().stopContainerCmd(id).withTimeout(0).exec();
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
        daemon.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
      } catch (RuntimeException e) {
        if (DaemonErrors.isNotFound(e)) {
          return false;
        }
        throw new ContainerRuntimeException("cannot remove leftover container " + id + ": "
            + DaemonErrors.message(e), true, e);
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
      Path config = dockerConfigDirectory != null ? dockerConfigDirectory : defaultConfigDirectory();
      Path scratch = scratchDirectory != null ? scratchDirectory
          : Path.of(System.getProperty("java.io.tmpdir"), "promokit-docker-" + SharedFiles.currentUid());
      if (dockerClient != null) {
        return new DockerContainerRuntime(dockerClient, false, "(the given client's daemon)", config,
            credentialHelperPath, scratch);
      }
      DockerClientConfig clientConfig = clientConfig(dockerHost, tls);
      DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
          .dockerHost(clientConfig.getDockerHost())
          .sslConfig(clientConfig.getSSLConfig())
          .connectionTimeout(CONNECT_TIMEOUT)
          .build();
      return new DockerContainerRuntime(DockerClientImpl.getInstance(clientConfig, http), true,
          clientConfig.getDockerHost().toString(), config, credentialHelperPath, scratch);
    }

    private static Path defaultConfigDirectory() {
      String fromEnv = System.getenv("DOCKER_CONFIG");
      if (fromEnv != null && !fromEnv.isBlank()) {
        return Path.of(fromEnv);
      }
      return Path.of(System.getProperty("user.home"), ".docker");
    }
  }
}
