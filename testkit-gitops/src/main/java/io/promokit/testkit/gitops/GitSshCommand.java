package io.promokit.testkit.gitops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/**
 * One SSH exec request: git's {@code upload-pack} or {@code receive-pack} on a repository under the root,
 * as a real process whose streams are tied to the channel's. Anything else is refused with exit code 128
 * and a message on stderr, as a git host does.
 */
final class GitSshCommand implements Command {

  private static final List<String> SERVICES = List.of("git-upload-pack", "git-receive-pack");

  private final Path root;
  private final String command;
  private InputStream in;
  private OutputStream out;
  private OutputStream err;
  private ExitCallback exit;
  private volatile Process process;

  GitSshCommand(Path root, String command) {
    this.root = root;
    this.command = command;
  }

  @Override
  public void setInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    this.err = err;
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    List<String> words = CommandFactory.split(command);
    String service = words.isEmpty() ? "" : words.get(0);
    if (words.size() == 3 && service.equals("git")) {
      service = "git-" + words.get(1);
      words = List.of(service, words.get(2));
    }
    if (words.size() != 2 || !SERVICES.contains(service)) {
      refuse("command not allowed: " + command);
      return;
    }
    Path repository = repository(words.get(1));
    if (repository == null) {
      refuse("'" + words.get(1) + "' does not appear to be a git repository");
      return;
    }
    ProcessBuilder pb = new ProcessBuilder("git", service.substring("git-".length()), repository.toString());
    pb.environment().clear();
    pb.environment().putAll(TestGit.cleanEnvironment());
    String protocol = env.getEnv().get("GIT_PROTOCOL");
    if (protocol != null) {
      pb.environment().put("GIT_PROTOCOL", protocol);
    }
    Process started = pb.start();
    process = started;
    Thread stdin = pump(in, started.getOutputStream(), true, "ssh-git-stdin");
    Thread stdout = pump(started.getInputStream(), out, false, "ssh-git-stdout");
    Thread stderr = pump(started.getErrorStream(), err, false, "ssh-git-stderr");
    Thread waiter = new Thread(() -> {
      int code = 255;
      try {
        code = started.waitFor();
        stdout.join();
        stderr.join();
      } catch (InterruptedException e) {
        started.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      stdin.interrupt();
      exit.onExit(code);
    }, "ssh-git-wait");
    waiter.setDaemon(true);
    waiter.start();
  }

  /** The repository a client named, when it is a bare repository inside the root. */
  private Path repository(String requested) {
    String relative = requested.startsWith("/") ? requested.substring(1) : requested;
    if (relative.startsWith("~")) {
      return null;
    }
    Path candidate = root.resolve(relative).normalize();
    try {
      if (!candidate.startsWith(root) || !Files.isRegularFile(candidate.resolve("HEAD"))) {
        return null;
      }
      Path real = candidate.toRealPath();
      return real.startsWith(root) ? real : null;
    } catch (IOException e) {
      return null;
    }
  }

  private void refuse(String message) throws IOException {
    err.write(("fatal: " + message + "\n").getBytes(StandardCharsets.UTF_8));
    err.flush();
    exit.onExit(128, message);
  }

  private static Thread pump(InputStream from, OutputStream to, boolean closeTarget, String name) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[32 * 1024];
      try {
        int n;
        while ((n = from.read(buffer)) >= 0) {
          to.write(buffer, 0, n);
          to.flush();
        }
      } catch (IOException ignored) {
        // one side closed: the other learns it from the closed stream or the exit status
      } finally {
        if (closeTarget) {
          try {
            to.close();
          } catch (IOException ignored) {
            // already closed
          }
        }
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void destroy(ChannelSession channel) {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "GitSshCommand[" + command + "]";
  }

}
