package io.promokit.steps.manifests.internal.helm;

import com.marcnuri.helm.jni.HelmLib;
import com.sun.jna.Native;
import io.promokit.StepContext;
import io.promokit.StepException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Runs Helm calls on long-lived Helm worker JVMs ({@link HelmWorkerMain}, pooled by {@link HelmWorkerPool}):
 * each call with its own folder (Helm home, registry logins, repository indexes, temp files), removed when the
 * call ends whatever happened, bounded by the step's deadline; an abort kills the worker serving it.
 */
public final class HelmChild implements AutoCloseable {

  /** One registry login for the call. */
  public record Login(String host, String username, String password, boolean plainHttp) {}

  private final HelmWorkspace workspace;
  private final HelmWorkerPool pool;

  /**
   * @param workers at most this many worker JVMs at once
   * @param idleTimeout a worker idle this long is stopped
   */
  public HelmChild(HelmWorkspace workspace, Path javaBinary, int workers, Duration idleTimeout) {
    this(workspace, javaBinary, workers, idleTimeout, System.getenv());
  }

  HelmChild(HelmWorkspace workspace, Path javaBinary, int workers, Duration idleTimeout,
      Map<String, String> hostEnv) {
    this.workspace = workspace;
    this.pool = new HelmWorkerPool(workspace, javaBinary, classpath(), workers, idleTimeout, hostEnv);
  }

  /** A request being put together; {@link #run} sends it. */
  public final class Call implements AutoCloseable {
    private final Path folder;
    private final Properties request = new Properties();
    private final List<Login> logins = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private UnaryOperator<String> translation = UnaryOperator.identity();
    private final List<String> hiddenLines = new ArrayList<>();

    private Call(String op) throws IOException {
      this.folder = workspace.newCall();
      request.setProperty("op", op);
      request.setProperty("call", folder.toString());
    }

    /** The call's private folder (removed when the call is closed). */
    public Path folder() {
      return folder;
    }

    public Call set(String key, String value) {
      if (value != null) {
        request.setProperty(key, value);
      }
      return this;
    }

    public Call login(Login login) {
      logins.add(login);
      return this;
    }

    /**
     * Ties a chart repository proxy to the call: Helm's messages name the proxied repositories by their own
     * URLs again, and the proxy stops when the call is closed.
     */
    public Call attach(ChartRepositoryProxy proxy) {
      resources.add(proxy);
      UnaryOperator<String> before = translation;
      translation = text -> proxy.toOriginal(before.apply(text));
      return this;
    }

    /** Leaves out of the log the lines the worker prints that contain {@code fragment}. */
    public Call hideLinesContaining(String fragment) {
      hiddenLines.add(fragment);
      return this;
    }

    /**
     * Runs the call and returns what Helm printed as its result.
     *
     * @param masker masks secrets in the worker's log lines and in error messages
     * @throws StepException with Helm's error message, or when the worker failed, died or ran out of time
     * @throws InterruptedException when the attempt was cancelled (the worker was killed)
     */
    public String run(StepContext context, UnaryOperator<String> masker) throws IOException, InterruptedException {
      for (int i = 0; i < logins.size(); i++) {
        Login login = logins.get(i);
        request.setProperty("login." + i + ".host", login.host());
        request.setProperty("login." + i + ".username", login.username());
        request.setProperty("login." + i + ".password", login.password());
        request.setProperty("login." + i + ".plainHttp", Boolean.toString(login.plainHttp()));
      }
      UnaryOperator<String> shown = text -> masker.apply(translation.apply(text));
      UnaryOperator<String> lines = line -> hiddenLines.stream().anyMatch(line::contains) ? null : shown.apply(line);
      WorkerFrames.Response response = pool.call(request, context, lines);
      if (response.kind() == WorkerFrames.HELM_ERROR) {
        throw new StepException(shown.apply(response.text().strip()));
      }
      return response.text();
    }

    @Override
    public void close() {
      for (AutoCloseable resource : resources) {
        try {
          resource.close();
        } catch (Exception e) {
          // a proxy that fails to stop has nothing more to serve: its server thread ends with the call
        }
      }
      HelmWorkspace.deleteTree(folder);
    }
  }

  /** Starts putting a call together: {@code template} or {@code update}. */
  public Call call(String op) throws IOException {
    return new Call(op);
  }

  /** Stops the workers (running calls fail). */
  @Override
  public void close() {
    pool.close();
  }

  /** How many worker JVMs run now, for tests. */
  int liveWorkers() {
    return pool.live();
  }

  /** The workers' class path: this module, helm-java's JNA binding, and JNA. */
  private static String classpath() {
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> type : new Class<?>[] {HelmWorkerMain.class, HelmLib.class, Native.class}) {
      try {
        entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException | RuntimeException e) {
        throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from, so the Helm "
            + "worker cannot be given a class path: " + e.getMessage(), e);
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }
}
