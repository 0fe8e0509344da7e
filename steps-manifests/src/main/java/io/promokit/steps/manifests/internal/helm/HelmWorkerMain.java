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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Helm worker: a JVM of its own ({@link HelmWorker} starts it) that loads helm-java's native Helm once and
 * then serves Helm calls one at a time, each in the call's own folder.
 *
 * <p>Helm reads its settings from the environment ({@code HELM_*}, {@code HOME}, {@code TMPDIR}), and Go copies
 * the environment once, when the library loads: it cannot be changed per call. So the worker starts with every
 * such path under {@code <worker>/current/}, a symlink the worker points at the call's folder for the call and
 * back at an empty, read-only {@code idle/} folder afterwards; the working directory (where helm-java's
 * dependency manager keeps repository indexes) follows the same way. Registry logins, repository caches and
 * temp files thus land in the call's folder, which the host removes: nothing carries over to the next call.
 *
 * <p>Requests come on stdin ({@link WorkerFrames}); responses go to what was stdout, which the worker keeps for
 * itself and points fd 1 at stderr, so that nothing Helm prints can garble them. The end of stdin (the host
 * closed it, or died) ends the worker at once, even in the middle of a call.
 */
public final class HelmWorkerMain {

  /** The few libc calls the worker needs, through the JNA that helm-java brings. */
  interface LibC extends Library {
    int chdir(String path);

    int dup(int fd);

    int dup2(int from, int to);

    int close(int fd);
  }

  private final Path worker;
  private final HelmLib helm;
  private final LibC libc;

  private HelmWorkerMain(Path worker, HelmLib helm, LibC libc) {
    this.worker = worker;
    this.helm = helm;
    this.libc = libc;
  }

  /** {@code args}: the worker folder and the native library. */
  public static void main(String[] args) throws IOException {
    Path worker = Path.of(args[0]);
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
    BlockingQueue<Properties> requests = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> readRequests(requests), "helm-worker-requests");
    reader.setDaemon(true);
    reader.start();
    WorkerFrames.writeResponse(out, WorkerFrames.READY, args[1]);
    new HelmWorkerMain(worker, helm, libc).serve(requests, out);
  }

  /** Hands requests to the main thread; ends the process when the host closes stdin or dies. */
  private static void readRequests(BlockingQueue<Properties> requests) {
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
      for (Properties request = WorkerFrames.readRequest(in); request != null; request = WorkerFrames.readRequest(in)) {
        requests.add(request);
      }
    } catch (IOException e) {
      // a broken pipe ends the worker as the end of the stream does
    }
    Runtime.getRuntime().halt(0);
  }

  private void serve(BlockingQueue<Properties> requests, DataOutputStream out) throws IOException {
    while (true) {
      Properties request;
      try {
        request = requests.take();
      } catch (InterruptedException e) {
        return;
      }
      Path call = Path.of(request.getProperty("call"));
      try {
        enter(call);
        String result = run(request);
        leave();
        WorkerFrames.writeResponse(out, WorkerFrames.RESULT, result);
      } catch (HelmFailure e) {
        leave();
        WorkerFrames.writeResponse(out, WorkerFrames.HELM_ERROR, e.getMessage());
      } catch (IOException | RuntimeException | Error e) {
        // The worker's own state may be off (the symlink, the working directory): say why and end.
        WorkerFrames.writeResponse(out, WorkerFrames.WORKER_ERROR, e.toString());
        System.exit(3);
      }
    }
  }

  /** Points {@code current} and the working directory at the call's folder. */
  private void enter(Path call) throws IOException {
    point(call);
    if (libc.chdir(call.toString()) != 0) {
      throw new IOException("cannot change to " + call);
    }
  }

  /** Points {@code current} and the working directory back at the empty, read-only {@code idle} folder. */
  private void leave() throws IOException {
    Path idle = worker.resolve(HelmWorker.IDLE);
    if (libc.chdir(idle.toString()) != 0) {
      throw new IOException("cannot change to " + idle);
    }
    point(idle);
  }

  private void point(Path target) throws IOException {
    Path next = worker.resolve(HelmWorker.CURRENT + ".next");
    Files.deleteIfExists(next);
    Files.createSymbolicLink(next, target);
    Files.move(next, worker.resolve(HelmWorker.CURRENT), StandardCopyOption.ATOMIC_MOVE);
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
