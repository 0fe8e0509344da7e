package io.promokit.testkit.gitops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real {@code git} for tests and fixtures, with a clean environment: no global or system config of the
 * machine leaks in, nothing prompts, and commits are made as {@code Fixture <fixture@promokit.test>}. Use it
 * to prepare and inspect repositories around the code under test.
 *
 * <pre>{@code
 * String head = TestGit.git(worktree, "rev-parse", "HEAD").strip();
 * TestGit.Result push = TestGit.run(worktree, Map.of("GIT_ASKPASS", helper), "push", "origin", "main");
 * }</pre>
 */
public final class TestGit {

  /** How a git command ended. */
  public record Result(int exitCode, String stdout, String stderr) {}

  private TestGit() {}

  /** The clean environment every fixture git process starts from. */
  static Map<String, String> cleanEnvironment() {
    Map<String, String> env = new HashMap<>();
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

  /**
   * Runs git in {@code dir} and returns its stdout.
   *
   * @throws IllegalStateException with git's stderr when it exits non-zero
   */
  public static String git(Path dir, String... args) {
    return gitWithInput(dir, null, args);
  }

  /** Runs git in {@code dir} with {@code stdin} fed to it, returning stdout (fails on a non-zero exit). */
  static String gitWithInput(Path dir, byte[] stdin, String... args) {
    Result result = runWithInput(dir, Map.of(), stdin, args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " in " + dir + " exited with "
          + result.exitCode() + ": " + result.stderr().strip());
    }
    return result.stdout();
  }

  /** Runs git in {@code dir} with extra environment variables; the result says how it ended. */
  public static Result run(Path dir, Map<String, String> env, String... args) {
    return runWithInput(dir, env, null, args);
  }

  static Result runWithInput(Path dir, Map<String, String> env, byte[] stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    Map<String, String> environment = cleanEnvironment();
    environment.putAll(env);
    return FixtureProcess.run(command, dir, environment, stdin, "Debian: apt-get install git");
  }
}
