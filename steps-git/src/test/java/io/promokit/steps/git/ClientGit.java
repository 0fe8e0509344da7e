package io.promokit.steps.git;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The tests' own git client (the real binary), to inspect and prepare repositories around the steps. */
final class ClientGit {

  private ClientGit() {}

  /** Runs git in {@code dir} and returns stdout; fails the test on a non-zero exit. */
  static String git(Path dir, String... args) {
    return git(dir, Map.of(), args);
  }

  static String git(Path dir, Map<String, String> env, String... args) {
    Result r = run(dir, env, args);
    if (r.exitCode() != 0) {
      throw new AssertionError("git " + String.join(" ", args) + " in " + dir + " failed: " + r.stderr());
    }
    return r.stdout();
  }

  record Result(int exitCode, String stdout, String stderr) {}

  static Result run(Path dir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().put("HOME", dir.toString());
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    pb.environment().put("LC_ALL", "C");
    pb.environment().put("GIT_AUTHOR_NAME", "Tester");
    pb.environment().put("GIT_AUTHOR_EMAIL", "tester@promokit.test");
    pb.environment().put("GIT_COMMITTER_NAME", "Tester");
    pb.environment().put("GIT_COMMITTER_EMAIL", "tester@promokit.test");
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread t = new Thread(() -> {
        try {
          p.getErrorStream().transferTo(err);
        } catch (java.io.IOException ignored) {
          // done
        }
      });
      t.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      t.join();
      return new Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
