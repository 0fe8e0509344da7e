package io.promokit.testkit.gitops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A git client for the servers' own tests: the real binary, with the environment a test gives it. */
final class ClientGit {

  private final Map<String, String> env = new HashMap<>(GitProcess.cleanEnvironment());

  ClientGit env(String name, String value) {
    env.put(name, value);
    return this;
  }

  GitProcess.Result run(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      var out = new java.io.ByteArrayOutputStream();
      var err = new java.io.ByteArrayOutputStream();
      Thread t = new Thread(() -> {
        try {
          p.getErrorStream().transferTo(err);
        } catch (java.io.IOException ignored) {
          // done
        }
      });
      t.start();
      p.getInputStream().transferTo(out);
      p.waitFor();
      t.join();
      return new GitProcess.Result(p.exitValue(), out.toString(), err.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String ok(Path dir, String... args) {
    GitProcess.Result r = run(dir, args);
    if (r.exitCode() != 0) {
      throw new AssertionError("git " + String.join(" ", args) + " failed: " + r.stderr());
    }
    return r.stdout();
  }
}
