package io.promokit.testkit.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * git's own {@code git daemon} on 127.0.0.1: anonymous, read-only access to every bare repository under the
 * root folder at {@code git://127.0.0.1:<port>/<folder name>}. Closing it stops the daemon and the
 * processes it forked for connections.
 */
public final class GitDaemon implements AutoCloseable {

  private static final int START_TRIES = 5;

  private final Process process;
  private final int port;
  private final Path log;

  private GitDaemon(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a daemon serving the repositories under {@code root}; its log goes to {@code root/.git-daemon.log}.
   */
  public static GitDaemon start(Path root) {
    Objects.requireNonNull(root, "root");
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("root must be an existing folder, but was " + root);
    }
    Path absolute = root.toAbsolutePath();
    Path log = absolute.resolve(".git-daemon.log");
    IllegalStateException last = null;
    // git daemon cannot listen on port 0 and say which port it got: take a free one and retry on a clash.
    for (int i = 0; i < START_TRIES; i++) {
      int port = freePort();
      ProcessBuilder pb = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all",
          "--informative-errors", "--listen=127.0.0.1", "--port=" + port, "--base-path=" + absolute,
          absolute.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().clear();
      pb.environment().putAll(TestGit.cleanEnvironment());
      try {
        Process process = pb.start();
        process.getOutputStream().close();
        if (awaitListening(process, port)) {
          return new GitDaemon(process, port, log);
        }
        stop(process);
        last = new IllegalStateException("git daemon did not listen on 127.0.0.1:" + port + " (see " + log + ")");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start git daemon (Debian: apt-get install git)", e);
      }
    }
    throw last;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  private static boolean awaitListening(Process process, int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return true;
      } catch (IOException notYet) {
        try {
          Thread.sleep(25);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  /** The URL of a repository: {@code git://127.0.0.1:<port>/<name>}. */
  public String url(String repositoryName) {
    return "git://127.0.0.1:" + port + "/" + repositoryName;
  }

  /** The URL of a repository. */
  public String url(BareRepository repository) {
    return url(repository.name());
  }

  /** The port the daemon listens on. */
  public int port() {
    return port;
  }

  /** The daemon's log file. */
  public Path log() {
    return log;
  }

  @Override
  public void close() {
    stop(process);
  }

  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
