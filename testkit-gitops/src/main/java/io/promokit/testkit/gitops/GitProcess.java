package io.promokit.testkit.gitops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code git} binary for the test servers and repositories, with a clean environment: no global
 * or system git config of the machine leaks into test fixtures, and nothing ever prompts.
 */
final class GitProcess {

  private static final long TIMEOUT_SECONDS = 120;

  private GitProcess() {}

  /** The clean environment every fixture git process starts from. */
  static Map<String, String> cleanEnvironment() {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("HOME", "/nonexistent");
    env.put("LC_ALL", "C");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_AUTHOR_NAME", "Fixture");
    env.put("GIT_AUTHOR_EMAIL", "fixture@promokit.test");
    env.put("GIT_COMMITTER_NAME", "Fixture");
    env.put("GIT_COMMITTER_EMAIL", "fixture@promokit.test");
    return env;
  }

  /** Runs git in {@code dir} and returns its stdout; fails with stderr when git exits non-zero. */
  static String run(Path dir, String... args) {
    return run(dir, null, args);
  }

  /** Runs git in {@code dir} with {@code stdin} fed to it, returning stdout. */
  static String run(Path dir, byte[] stdin, String... args) {
    Result result = exec(dir, stdin, args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " in " + dir + " exited with "
          + result.exitCode() + ": " + result.stderr().strip());
    }
    return result.stdout();
  }

  /** Runs git and returns its exit code and output, whatever the exit code. */
  static Result exec(Path dir, byte[] stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(cleanEnvironment());
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
        process.destroyForcibly();
        throw new IllegalStateException("git " + String.join(" ", args) + " did not finish in "
            + TIMEOUT_SECONDS + " s");
      }
      outPump.join();
      errPump.join();
      return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run git (is it installed? Debian: apt-get install git)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git " + String.join(" ", args), e);
    }
  }

  private static Thread pump(InputStream from, OutputStream to) {
    Thread t = new Thread(() -> {
      try (from) {
        from.transferTo(to);
      } catch (IOException ignored) {
        // the process ended; what was read is kept
      }
    }, "git-fixture-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** What a git run printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {}
}
