package io.promokit.steps.manifests.internal.helm;

import com.marcnuri.helm.jni.DependencyOptions;
import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.RegistryOptions;
import com.marcnuri.helm.jni.Result;
import com.marcnuri.helm.jni.TemplateOptions;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The Helm worker: a JVM of its own ({@link HelmWorker} starts it) that loads helm-java's native Helm once and
 * then serves Helm calls one at a time, each in the call's own folder.
 *
 * <p>Helm reads its settings from the environment ({@code HELM_*}, {@code HOME}, {@code TMPDIR}), and Go copies
 * the environment once, when the library loads: it cannot be changed per call. So the worker starts with every
 * such path relative ({@code HOME=home}, {@code HELM_CONFIG_HOME=home/config}, ..., {@code TMPDIR=.}) and makes
 * the call's folder its working directory before each call (where helm-java's dependency manager keeps
 * repository indexes too). Registry logins, repository caches and temp files thus land in the call's folder,
 * which the host removes after the call; until the next call the working directory is gone, so nothing can be
 * read or written through those paths: nothing carries over to the next call.
 *
 * <p>Requests come on stdin ({@link WorkerFrames}); responses go to what was stdout, which the worker keeps for
 * itself and points fd 1 at stderr, so that nothing Helm prints can garble them. The end of stdin (the host
 * closed it, or died) ends the worker; so does a host that dies while a call runs (a watcher thread checks its
 * parent twice a second): no worker outlives its host.
 */
public final class HelmWorkerMain {

  /** The libc calls that set up the worker's pipes, through the JNA that helm-java brings. */
  interface LibC extends Library {
    int dup(int fd);

    int dup2(int from, int to);

    int close(int fd);
  }

  /** libc's {@code chdir}, directly mapped: there is one per Helm call, and a JNA interface call costs more. */
  private static final class Chdir {
    static {
      Native.register("c");
    }

    private Chdir() {}

    static native int chdir(String path);
  }

  /** Cheap native calls made before the worker is ready, so that the first Helm calls do not pay for a cold JNA. */
  private static final int WARM_UP_CALLS = 300;

  /** How often a busy worker checks that its host is still there. */
  private static final long HOST_CHECK_MILLIS = 500;

  private final HelmLib helm;

  private HelmWorkerMain(HelmLib helm) {
    this.helm = helm;
  }

  /** {@code args}: the worker folder (for the record: it names the worker in process lists) and the library. */
  public static void main(String[] args) throws IOException {
    LibC libc = Native.load("c", LibC.class);
    int responses = libc.dup(1);
    if (responses < 0 || libc.dup2(2, 1) < 0) {
      System.err.println("the Helm worker cannot set up its response pipe");
      System.exit(3);
    }
    System.setOut(System.err);
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
        new FileOutputStream("/dev/fd/" + responses), 1 << 16));
    libc.close(responses);
    HelmLib helm = Native.load(args[1], HelmLib.class);
    for (int i = 0; i < WARM_UP_CALLS; i++) {
      helm.Free(helm.Version());   // warms the JNA path every call takes (the proxy, the result, its release)
    }
    watchHost();
    WorkerFrames.writeResponse(out, WorkerFrames.READY, args[1]);
    new HelmWorkerMain(helm).serve(new DataInputStream(new BufferedInputStream(System.in)), out);
  }

  /**
   * Ends the worker when the host is gone: between calls the end of stdin says so; during a native call,
   * which nothing can interrupt, this thread sees that the parent process is no longer there.
   */
  private static void watchHost() {
    ProcessHandle host = ProcessHandle.current().parent().orElse(null);
    Thread watcher = new Thread(() -> {
      while (host != null && host.isAlive()
          && ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == host.pid()) {
        try {
          Thread.sleep(HOST_CHECK_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
      Runtime.getRuntime().halt(0);
    }, "helm-worker-host-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Serves requests until stdin ends (the host closed it, or died). */
  private void serve(DataInputStream in, DataOutputStream out) throws IOException {
    while (true) {
      Properties request;
      try {
        request = WorkerFrames.readRequest(in);
      } catch (IOException e) {
        request = null;   // a broken pipe is an end too
      }
      if (request == null) {
        Runtime.getRuntime().halt(0);
        return;
      }
      Path call = Path.of(request.getProperty("call"));
      try {
        enter(call);
        String result = run(request);
        WorkerFrames.writeResponse(out, WorkerFrames.RESULT, result);
      } catch (HelmFailure e) {
        WorkerFrames.writeResponse(out, WorkerFrames.HELM_ERROR, e.getMessage());
      } catch (IOException | RuntimeException | Error e) {
        // The worker's own state may be off (its working directory): say why and end.
        WorkerFrames.writeResponse(out, WorkerFrames.WORKER_ERROR, e.toString());
        System.exit(3);
      }
    }
  }

  /** Makes the call's folder the working directory, and so Helm's home and temp folder. */
  private void enter(Path call) throws IOException {
    if (Chdir.chdir(call.toString()) != 0) {
      throw new IOException("cannot change to " + call);
    }
  }

  private String run(Properties request) {
    for (int i = 0; request.containsKey("login." + i + ".host"); i++) {
      String host = request.getProperty("login." + i + ".host");
      check("failed to log in to " + host, helm.RegistryLogin(new RegistryOptions(host,
          request.getProperty("login." + i + ".username"), request.getProperty("login." + i + ".password"),
          null, null, null, 0, flag(request, "login." + i + ".plainHttp"), 0)));
    }
    String chart = request.getProperty("chart");
    return switch (request.getProperty("op")) {
      case "template" -> {
        String dependencies = request.getProperty("dependencies", "");
        if (dependencies.equals("build")) {
          check("failed to build dependencies", helm.DependencyBuild(new DependencyOptions(chart, null, 0, 0, 0)));
        } else if (dependencies.equals("update")) {
          check("failed to build dependencies", helm.DependencyUpdate(new DependencyOptions(
              request.getProperty("dependencyChart"), null, 0, 0, 0)));
        }
        yield check("failed to render chart", helm.Template(new TemplateOptions(request.getProperty("name"), null,
            chart, request.getProperty("namespace"), request.getProperty("kubeVersion"), 0, 0, null, null,
            request.getProperty("valuesFile"), null, null, null, 0, 0, null, 0, null)));
      }
      case "update" -> check("failed to update chart dependencies",
          helm.DependencyUpdate(new DependencyOptions(chart, null, 0, 0, 0)));
      default -> throw new HelmFailure("unknown operation " + request.getProperty("op"));
    };
  }

  private static int flag(Properties request, String key) {
    return Boolean.parseBoolean(request.getProperty(key)) ? 1 : 0;
  }

  /** Helm's output, or a {@link HelmFailure} with its error; frees the result's native strings either way. */
  private String check(String what, Result result) {
    String out = result.out;
    String err = result.err;
    helm.Free(result);
    if (err != null && !err.isEmpty()) {
      throw new HelmFailure(what + ": " + err);
    }
    return out == null ? "" : out;
  }

  /** Helm returned an error. */
  private static final class HelmFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HelmFailure(String message) {
      super(message, null, false, false);
    }
  }
}
