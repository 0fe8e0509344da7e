package io.promokit.steps.kit;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.internal.process.CleanEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Runs the command-line tools of tool steps ({@code git}, {@code kustomize}, {@code gpg}, a child JVM) for
 * one attempt of a step, safely:
 *
 * <ul>
 *   <li>argv is run directly, never through a shell; the program is looked up on the command's own PATH. A
 *       program that is not there is a terminal {@link ToolNotFoundException} saying what to install.
 *   <li>A clean environment: only {@value CleanEnvironment#PASSED_THROUGH_DESCRIPTION} (PATH defaulting to
 *       the usual system directories), the host variables the spec passes through, and the spec's own
 *       variables (which win), plus {@code PROMOKIT_TOOL_RUN}, a mark the runner uses to find every process
 *       the command started.
 *   <li>Secrets: the spec's {@link ProcessSpec.Builder#secret secrets} are registered with the promotion's
 *       masker; an argument holding any registered secret is refused (terminal), so no secret reaches a
 *       command line.
 *   <li>Output: stdout and stderr reach the step log line by line as they come, masked (a secret split
 *       across the pieces of a very long line too); stdout is also kept, unmasked, up to the spec's capture
 *       limit, for the step to parse; the last 16 KiB of stderr, masked, go into the result for messages.
 *   <li>Time: bounded by the step's deadline and the spec's own timeout, both measured on the step's clock.
 *       When the attempt is cancelled (abort, the step's timeout), the thread interrupted, or a limit
 *       reached, the whole process tree gets SIGTERM, then SIGKILL after the grace period; what the command
 *       left running after it exited is killed too. Nothing outlives the call.
 * </ul>
 *
 * <p>Outcomes: a {@link ProcessResult} when the command exits (whatever its code);
 * {@link InterruptedException} when the attempt was cancelled or the thread interrupted; a retryable
 * {@link StepException} when the command's own timeout or the step's deadline stopped it; a terminal
 * {@link StepException} when it cannot start. One runner serves one attempt; {@link #run} may be called
 * from several threads of it at once.
 *
 * <pre>{@code
 * ProcessResult head = ProcessRunner.forStep(ctx)
 *     .run(ProcessSpec.builder("git", "rev-parse", "HEAD").directory(checkout).build())
 *     .requireSuccess();
 * String commit = head.stdout().strip();
 * }</pre>
 */
public final class ProcessRunner {

  /** The host variables every command sees (when the host has them). */
  public static final List<String> PASSED_THROUGH = CleanEnvironment.PASSED_THROUGH;

  /** The environment variable marking every process of one command. */
  static final String MARK = "PROMOKIT_TOOL_RUN";

  private final StepContext context;
  private final Map<String, String> hostEnv;

  private ProcessRunner(StepContext context, Map<String, String> hostEnv) {
    this.context = Objects.requireNonNull(context, "context must not be null");
    this.hostEnv = hostEnv;
  }

  /** A runner for the attempt {@code context} belongs to: its deadline, cancellation, clock, log and masker. */
  public static ProcessRunner forStep(StepContext context) {
    return new ProcessRunner(context, System.getenv());
  }

  /**
   * Runs a command until it exits.
   *
   * @return how it exited, with its stdout
   * @throws InterruptedException when the attempt is cancelled or the thread interrupted (the command is
   *     stopped first)
   * @throws ToolNotFoundException when the program is not found
   * @throws StepException retryable when a time limit stopped the command; terminal when it cannot start
   *     or an argument holds a secret
   */
  public ProcessResult run(ProcessSpec spec) throws InterruptedException {
    Objects.requireNonNull(spec, "spec must not be null");
    spec.secrets().forEach(context.masker()::register);
    refuseSecretsInArguments(spec);
    String mark = UUID.randomUUID().toString();
    Map<String, String> env = CleanEnvironment.from(hostEnv, spec.passThrough());
    env.putAll(spec.env());
    env.put(MARK, mark);
    Path directory = spec.directory().orElse(context.workdir());
    if (!Files.isDirectory(directory)) {
      throw StepException.terminal("cannot run " + spec.description() + ": its directory " + directory
          + " does not exist");
    }
    List<String> argv = new java.util.ArrayList<>(spec.argv());
    argv.set(0, locate(spec, env.get("PATH"), directory).toString());
    if (context.isCancelled()) {
      throw new InterruptedException("the attempt was cancelled before " + spec.description() + " started");
    }
    Instant deadline = deadline(spec);
    context.log().info("running " + commandLine(spec.argv()));
    ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw StepException.terminal("cannot start " + spec.description() + ": " + context.masker().mask(e.getMessage()), e);
    }
    return new RunningProcess(process, spec, mark, context).await(deadline);
  }

  private void refuseSecretsInArguments(ProcessSpec spec) {
    List<String> argv = spec.argv();
    for (int i = 0; i < argv.size(); i++) {
      if (context.masker().containsSecret(argv.get(i))) {
        throw StepException.terminal("refusing to run " + context.masker().mask(spec.description()) + ": argv[" + i
            + "] holds a secret; pass secrets in the environment or on stdin, never on the command line");
      }
    }
  }

  /** The step's deadline or the spec's own timeout from now, whichever comes first; null for neither. */
  private Instant deadline(ProcessSpec spec) {
    Instant own = spec.timeout().map(t -> context.clock().instant().plus(t)).orElse(null);
    Instant step = context.deadline().orElse(null);
    if (own == null || step == null) {
      return own != null ? own : step;
    }
    return own.isBefore(step) ? own : step;
  }

  /** The program's absolute path: as given when it holds a '/', else found on the command's PATH. */
  private static Path locate(ProcessSpec spec, String path, Path directory) {
    String program = spec.argv().get(0);
    if (program.indexOf('/') >= 0) {
      Path file = directory.resolve(program);
      if (!isExecutable(file)) {
        throw new ToolNotFoundException(program, program + " is not an executable file" + hint(spec, "; "));
      }
      return file;
    }
    for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
      // An empty entry would mean the current directory: never searched, a workdir file must not win.
      if (dir.isEmpty() || !Path.of(dir).isAbsolute()) {
        continue;
      }
      Path file = Path.of(dir, program);
      if (isExecutable(file)) {
        return file;
      }
    }
    throw new ToolNotFoundException(program, program + " not found on PATH"
        + spec.missingToolHint().map(h -> ": " + h).orElse(" (" + path + ")"));
  }

  private static String hint(ProcessSpec spec, String separator) {
    return spec.missingToolHint().map(h -> separator + h).orElse("");
  }

  private static boolean isExecutable(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file);
  }

  /** The argv as one readable line: arguments with spaces or quotes in single quotes. */
  static String commandLine(List<String> argv) {
    StringBuilder sb = new StringBuilder();
    for (String arg : argv) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      boolean plain = !arg.isEmpty() && arg.chars().noneMatch(c -> c <= ' ' || c == '\'' || c == '"' || c == '\\');
      sb.append(plain ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }
}
