package io.promokit.steps.git;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.steps.kit.ProcessResult;
import io.promokit.steps.kit.ProcessRunner;
import io.promokit.steps.kit.ProcessSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs git for one attempt of a step, through the step kit's {@link ProcessRunner} (clean environment,
 * the step's deadline, masked output in the step log): always with the clone's HOME (its identity and
 * signing settings), never prompting, never opening an editor, with the remote's credentials only when a
 * {@link RemoteAccess} was added. Immutable: {@code with...} returns a new one.
 */
final class Git {

  private static final int MESSAGE_LINES = 12;

  private final ProcessRunner runner;
  private final GitSettings settings;
  private final Map<String, String> env;
  private final List<String> secrets;

  private Git(ProcessRunner runner, GitSettings settings, Map<String, String> env, List<String> secrets) {
    this.runner = runner;
    this.settings = settings;
    this.env = env;
    this.secrets = secrets;
  }

  /** Git for a clone whose HOME is {@code home}. */
  static Git forClone(StepContext context, GitSettings settings, Path home) {
    Map<String, String> env = new LinkedHashMap<>(settings.proxyVariables());
    env.put("HOME", home.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_EDITOR", "true");
    env.put("GIT_MERGE_AUTOEDIT", "no");
    env.put("LC_ALL", "C");
    env.put("GIT_HTTP_LOW_SPEED_LIMIT", "1024");
    env.put("GIT_HTTP_LOW_SPEED_TIME", "30");
    env.put("GIT_SSH_COMMAND", SshCommand.anonymous(settings.sshKnownHosts()));
    return new Git(ProcessRunner.forStep(context), settings, Map.copyOf(env), List.of());
  }

  /** This git, talking to the remote with the access's credentials. */
  Git with(RemoteAccess access) {
    Map<String, String> next = new LinkedHashMap<>(env);
    next.putAll(access.environment());
    List<String> nextSecrets = new ArrayList<>(secrets);
    nextSecrets.addAll(access.secrets());
    return new Git(runner, settings, Map.copyOf(next), List.copyOf(nextSecrets));
  }

  /** This git, signing with the keys of a GnuPG home. */
  Git with(GpgHome gpg) {
    return withGnupgHome(gpg.path());
  }

  /** This git, with gpg keeping its files in {@code home} (never in the clone's HOME in the workdir). */
  Git withGnupgHome(Path home) {
    Map<String, String> next = new LinkedHashMap<>(env);
    next.put("GNUPGHOME", home.toString());
    return new Git(runner, settings, Map.copyOf(next), secrets);
  }

  /** Runs {@code git <args>} in {@code dir}; the result says how it ended, whatever the exit code. */
  ProcessResult run(Path dir, String... args) throws InterruptedException {
    return runner.run(spec(dir, args).build());
  }

  /** Runs git, feeding {@code stdin}. */
  ProcessResult runWithInput(Path dir, String stdin, String... args) throws InterruptedException {
    return runner.run(spec(dir, args).stdin(stdin).build());
  }

  /** Runs git whose stdout is data for the step, not for the log (listings). */
  ProcessResult read(Path dir, String... args) throws InterruptedException {
    return runner.run(spec(dir, args).logStdout(false).build());
  }

  /**
   * Runs git and requires it to succeed.
   *
   * @return its stdout without the trailing line break
   * @throws StepException (retryable) {@code <what>: git clone exited with code 128: fatal: ...} otherwise
   */
  String ok(String what, Path dir, String... args) throws InterruptedException {
    ProcessResult result = run(dir, args);
    if (!result.succeeded()) {
      throw failure(what, result);
    }
    return stripTrailingNewline(result.stdout());
  }

  /** As {@link #ok}, with stdout kept out of the log. */
  String okQuiet(String what, Path dir, String... args) throws InterruptedException {
    ProcessResult result = read(dir, args);
    if (!result.succeeded()) {
      throw failure(what, result);
    }
    return stripTrailingNewline(result.stdout());
  }

  /** The error for a failed command: what the step was doing, the command, its exit code, git's last words. */
  static StepException failure(String what, ProcessResult result) {
    return new StepException(what + ": " + result.description() + " exited with code " + result.exitCode()
        + explain(result.stderrTail()));
  }

  /** The end of git's stderr (already masked), as a message tail. */
  static String explain(String stderr) {
    String text = stderr == null ? "" : stderr.strip();
    if (text.isEmpty()) {
      return "";
    }
    List<String> lines = Arrays.asList(text.split("\\R"));
    if (lines.size() > MESSAGE_LINES) {
      lines = lines.subList(lines.size() - MESSAGE_LINES, lines.size());
    }
    return ": " + String.join("\n", lines);
  }

  private ProcessSpec.Builder spec(Path dir, String... args) {
    List<String> argv = new ArrayList<>(args.length + 1);
    argv.add(settings.gitBinary());
    argv.addAll(List.of(args));
    ProcessSpec.Builder spec = ProcessSpec.builder(argv)
        .directory(dir)
        .env(env)
        .missingToolHint(GitSettings.GIT_HINT);
    secrets.forEach(spec::secret);
    return spec;
  }

  private static String stripTrailingNewline(String s) {
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
