package io.promokit.testkit.gitops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a fixture's program (git, gpg, ssh-keygen) to its end with exactly the given environment. */
final class FixtureProcess {

  private static final long TIMEOUT_SECONDS = 120;

  private FixtureProcess() {}

  /**
   * Runs the command and returns how it ended.
   *
   * @param installHint what to install when the program is missing (Debian package)
   */
  static TestGit.Result run(List<String> command, Path dir, Map<String, String> env, byte[] stdin, String installHint) {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      Process process = pb.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread outPump = pump(process.getInputStream(), out);
      Thread errPump = pump(process.getErrorStream(), err);
      try (OutputStream in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      outPump.join();
      errPump.join();
      return new TestGit.Result(process.exitValue(), out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0) + " (" + installHint + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  private static Thread pump(InputStream from, OutputStream to) {
    Thread t = new Thread(() -> {
      try (from) {
        from.transferTo(to);
      } catch (IOException ignored) {
        // the process ended; what was read is kept
      }
    }, "fixture-process-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
