package io.promokit.runtime;

import io.promokit.internal.process.CleanEnvironment;
import io.promokit.internal.process.MarkedProcesses;
import io.promokit.spi.ContainerFile;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.LogSink;
import io.promokit.spi.ManagedContainer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs container steps as plain processes on the host, for development and tests: no Docker needed, and
 * no isolation. The image, the user and the resources of a request are ignored (a warning says so once
 * per runtime); everything else follows the container rules:
 *
 * <ul>
 *   <li>The command (argv, no shell added) runs in the request's workdir on the host. It is the working
 *       directory, but at its host path: there is no {@code /workspace}, so commands should use relative
 *       paths.
 *   <li>Environment: a clean one. Only {@value #PASSED_THROUGH_DESCRIPTION} pass through from the host
 *       (PATH defaults to the usual system directories when the host has none); then the request's env
 *       (with {@code $(PROMOKIT_FILES)} replaced); then {@code KARGO_OUTPUT}, {@code PROMOKIT_FILES},
 *       and the marks {@code PROMOKIT_ENGINE} and {@code PROMOKIT_CONTAINER_ID} that let the runtime
 *       find every process the command started.
 *   <li>{@code KARGO_OUTPUT} is an empty file in a per-attempt scratch directory under the runtime's
 *       state directory (outside the workdir); {@code PROMOKIT_FILES} is a directory there holding the
 *       request's files. Closing the handle deletes the scratch directory.
 *   <li>Stop: SIGTERM to the process and every process it started (its descendants, and any process
 *       carrying its mark, which also finds daemonized children), then SIGKILL to whatever is left once
 *       the grace period has passed. When the command exits by itself, what it left running is killed,
 *       as the end of a container's main process ends the container.
 *   <li>{@link #reap(String)} kills the processes marked with the engine id and deletes its scratch
 *       directories, so a restarted host cleans up after a crashed one on the same machine;
 *       {@link #list(ContainerSelector)} and {@link #reap(ContainerSelector)} do the same by engine, by age or
 *       for all.
 * </ul>
 *
 * <p>Process marks are read from {@code /proc}; on systems without it, only descendants are stopped and
 * {@code reap} only deletes scratch directories. Thread-safe.
 */
public final class LocalProcessRuntime implements ContainerRuntime {

  /** The host variables a command sees (when the host has them). */
  public static final List<String> PASSED_THROUGH = CleanEnvironment.PASSED_THROUGH;

  static final String PASSED_THROUGH_DESCRIPTION = CleanEnvironment.PASSED_THROUGH_DESCRIPTION;

  private static final Logger LOG = LoggerFactory.getLogger(LocalProcessRuntime.class);
  /** How long a reap waits for the processes it killed to be gone. */
  private static final Duration REAP_WAIT = Duration.ofSeconds(10);
  private static final String FILES_PLACEHOLDER = "$(PROMOKIT_FILES)";

  private final Path stateDir;
  private final Map<String, String> hostEnv;
  private final AtomicBoolean warned = new AtomicBoolean();

  private LocalProcessRuntime(Path stateDir, Map<String, String> hostEnv) {
    this.stateDir = stateDir;
    this.hostEnv = Map.copyOf(hostEnv);
  }

  /** A runtime keeping its scratch files under {@code <java.io.tmpdir>/promokit-local}. */
  public static LocalProcessRuntime create() {
    return create(Path.of(System.getProperty("java.io.tmpdir"), "promokit-local"));
  }

  /**
   * A runtime keeping its scratch files under the given directory (created when needed). A restarted host
   * must use the same directory for {@link #reap(String)} to find what a crashed one left.
   */
  public static LocalProcessRuntime create(Path stateDir) {
    Objects.requireNonNull(stateDir, "stateDir must not be null");
    return new LocalProcessRuntime(stateDir.toAbsolutePath(), System.getenv());
  }

  @Override
  public String name() {
    return "local";
  }

  /** The directory holding the scratch directories of running and unclosed commands. */
  public Path stateDir() {
    return stateDir;
  }

  @Override
  public ContainerHandle start(ContainerRequest request, LogSink logs) {
    Objects.requireNonNull(request, "request must not be null");
    Objects.requireNonNull(logs, "logs must not be null");
    if (warned.compareAndSet(false, true)) {
      LOG.warn("the local-process runtime runs step commands directly on this host: it ignores the image (\"{}\"), "
          + "the user and resource limits, and gives no isolation; use it for development only", request.image());
    }
    String engine = Scratch.safe(request.labels().getOrDefault(ContainerLabels.ENGINE, "none"));
    Scratch scratch;
    try {
      scratch = Scratch.create(stateDir, engine, request.name());
    } catch (IOException e) {
      throw ContainerRuntimeException.retryable("cannot create the scratch directory for \"" + request.name() + "\" under "
          + stateDir + ": " + e.getMessage(), e);
    }
    try {
      writeFiles(request.files(), scratch.filesDir());
      ProcessBuilder builder = new ProcessBuilder(request.command())
          .directory(request.workdir().toFile())
          .redirectInput(new File("/dev/null"));
      Map<String, String> env = builder.environment();
      env.clear();
      env.putAll(environment(request, scratch, engine));
      long before = System.nanoTime();
      Process process = builder.start();
      return new LocalProcess(process, scratch, logs, Duration.ofNanos(System.nanoTime() - before));
    } catch (IOException | RuntimeException e) {
      scratch.delete();
      throw ContainerRuntimeException.terminal("cannot run " + request.command() + " in " + request.workdir() + ": "
          + e.getMessage(), e);
    }
  }

  /** The process's environment, as the class documentation describes it. */
  Map<String, String> environment(ContainerRequest request, Scratch scratch, String engine) {
    Map<String, String> env = CleanEnvironment.from(hostEnv, List.of());
    String filesDir = scratch.filesDir().toString();
    request.env().forEach((name, value) -> env.put(name, value.replace(FILES_PLACEHOLDER, filesDir)));
    env.put("KARGO_OUTPUT", scratch.outputFile().toString());
    env.put("PROMOKIT_FILES", filesDir);
    env.put(Scratch.ENGINE_MARK, engine);
    env.put(Scratch.CONTAINER_MARK, scratch.id());
    return env;
  }

  private static void writeFiles(List<ContainerFile> files, Path dir) throws IOException {
    for (ContainerFile file : files) {
      Path target = dir.resolve(file.name());
      Files.write(target, file.content());
      target.toFile().setWritable(false, false);
    }
    dir.toFile().setWritable(false, false);
  }

  /**
   * Kills the processes marked with the engine id and deletes the engine's scratch directories.
   *
   * @return how many commands ("containers") were removed: scratch directories and marked process groups,
   *     counted once each
   */
  @Override
  public int reap(String engineId) {
    Objects.requireNonNull(engineId, "engineId must not be null");
    return reap(ContainerSelector.engine(engineId));
  }

  /**
   * The commands of this runtime's state directory that the selector matches: one per scratch directory, and, for
   * a selector naming an engine, one per mark of that engine that live processes still carry (their scratch
   * directory gone), labelled with its engine; made when its scratch directory was (or its oldest process
   * started); running while a marked process lives.
   */
  @Override
  public List<ManagedContainer> list(ContainerSelector selector) {
    Objects.requireNonNull(selector, "selector must not be null");
    ContainerSelector named = selector.engineId().map(id -> {
      ContainerSelector engine = ContainerSelector.engine(Scratch.safe(id)); // as the marks spell it
      return selector.createdBeforeMoment().map(engine::createdBefore).orElse(engine);
    }).orElse(selector);
    Map<String, List<ProcessHandle>> processes = markedProcesses();
    Map<String, Instant> created = new TreeMap<>();
    try {
      for (Path dir : Scratch.all(stateDir)) {
        created.put(dir.getFileName().toString(), Files.getLastModifiedTime(dir).toInstant());
      }
    } catch (IOException e) {
      throw ContainerRuntimeException.retryable("cannot list " + stateDir + ": " + e.getMessage(), e);
    }
    // Processes whose scratch directory is gone (or in another runtime's state directory) are this runtime's only
    // when the selector names their engine: all/age selectors never reach other runtimes' processes.
    processes.forEach((id, handles) -> {
      if (named.engineId().isPresent()) {
        created.computeIfAbsent(id, missing -> handles.stream()
            .map(h -> h.info().startInstant().orElse(Instant.EPOCH)).min(Instant::compareTo).orElse(Instant.EPOCH));
      }
    });
    List<ManagedContainer> found = new ArrayList<>();
    created.forEach((id, when) -> {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE);
      Scratch.engineOf(id).ifPresent(engine -> labels.put(ContainerLabels.ENGINE, engine));
      ManagedContainer container = new ManagedContainer(id, labels, when, processes.containsKey(id));
      if (named.matches(container)) {
        found.add(container);
      }
    });
    return found;
  }

  /**
   * Kills the processes of the commands {@link #list(ContainerSelector)} finds (SIGKILL, waiting up to 10 s for
   * them to end) and deletes their scratch directories.
   *
   * @return how many commands were removed
   */
  @Override
  public int reap(ContainerSelector selector) {
    List<ManagedContainer> found = list(selector);
    Map<String, List<ProcessHandle>> processes = markedProcesses();
    List<ProcessHandle> killed = new ArrayList<>();
    for (ManagedContainer container : found) {
      for (ProcessHandle process : processes.getOrDefault(container.id(), List.of())) {
        process.destroyForcibly();
        killed.add(process);
      }
    }
    // SIGKILL takes effect asynchronously: wait (bounded) so that a second reap does not count them again.
    long deadline = System.nanoTime() + REAP_WAIT.toNanos();
    for (ProcessHandle process : killed) {
      try {
        process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("process {} had not ended {} after SIGKILL", process.pid(), REAP_WAIT);
      }
    }
    for (ManagedContainer container : found) {
      Scratch.deleteTree(stateDir.resolve(container.id()));
    }
    return found.size();
  }

  /** The live processes carrying a command mark, by mark. */
  private static Map<String, List<ProcessHandle>> markedProcesses() {
    Map<String, List<ProcessHandle>> byId = new LinkedHashMap<>();
    MarkedProcesses.withMark(Scratch.CONTAINER_MARK, id -> Scratch.engineOf(id).isPresent())
        .forEach((process, id) -> byId.computeIfAbsent(id, k -> new ArrayList<>()).add(process));
    return byId;
  }

  @Override
  public String toString() {
    return "LocalProcessRuntime[" + stateDir + "]";
  }
}
