package io.promokit.steps.kit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One command for {@link ProcessRunner}: its argv (run directly, never through a shell), working directory,
 * environment, standard input, timeout and the secrets it handles. Immutable; build with {@link #builder}.
 *
 * <pre>{@code
 * ProcessSpec push = ProcessSpec.builder("git", "push", "origin", "HEAD:main")
 *     .directory(checkout)
 *     .env("GIT_TERMINAL_PROMPT", "0")
 *     .env("GIT_ASKPASS", askPass.toString())
 *     .env("GIT_PASSWORD", token)
 *     .secret(token)
 *     .timeout(Duration.ofMinutes(5))
 *     .missingToolHint("install git (Debian: apt-get install git)")
 *     .build();
 * }</pre>
 */
public final class ProcessSpec {

  /** How much of stdout {@link ProcessResult#stdout()} keeps unless told otherwise: 8 MiB. */
  public static final int DEFAULT_CAPTURE_LIMIT = 8 * 1024 * 1024;

  /** The largest capture limit: 256 MiB. */
  public static final int MAX_CAPTURE_LIMIT = 256 * 1024 * 1024;

  /** How long the command gets to exit after SIGTERM before SIGKILL, unless told otherwise. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(5);

  private final List<String> argv;
  private final Path directory;
  private final Map<String, String> env;
  private final List<String> passThrough;
  private final byte[] stdin;
  private final Duration timeout;
  private final Duration gracePeriod;
  private final List<String> secrets;
  private final boolean logStdout;
  private final int captureLimit;
  private final String missingToolHint;
  private final String description;

  private ProcessSpec(Builder b) {
    this.argv = List.copyOf(b.argv);
    this.directory = b.directory;
    this.env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
    this.passThrough = List.copyOf(b.passThrough);
    this.stdin = b.stdin;
    this.timeout = b.timeout;
    this.gracePeriod = b.gracePeriod;
    this.secrets = List.copyOf(b.secrets);
    this.logStdout = b.logStdout;
    this.captureLimit = b.captureLimit;
    this.missingToolHint = b.missingToolHint;
    this.description = b.description != null ? b.description : describe(argv);
  }

  /** A command: the program (a name looked up on the command's PATH, or an absolute path) and its arguments. */
  public static Builder builder(String program, String... arguments) {
    List<String> argv = new ArrayList<>();
    argv.add(program);
    argv.addAll(List.of(arguments));
    return builder(argv);
  }

  /** A command from its full argv (program first). */
  public static Builder builder(List<String> argv) {
    return new Builder(argv);
  }

  /** The argv, program first. */
  public List<String> argv() {
    return argv;
  }

  /** The working directory, or empty for the step's working directory. */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /** The variables the command gets besides the pass-through ones. */
  public Map<String, String> env() {
    return env;
  }

  /** Host variables passed through besides {@link ProcessRunner#PASSED_THROUGH}. */
  public List<String> passThrough() {
    return passThrough;
  }

  /** What the command reads on stdin (empty: stdin is closed at once). */
  public Optional<byte[]> stdin() {
    return Optional.ofNullable(stdin == null ? null : stdin.clone());
  }

  /** The command's own time limit, besides the step's deadline. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  public Duration gracePeriod() {
    return gracePeriod;
  }

  /** Values masked in the log and messages (and registered with the promotion's masker). */
  public List<String> secrets() {
    return secrets;
  }

  /** Whether stdout lines go to the step log (stderr lines always do). */
  public boolean logStdout() {
    return logStdout;
  }

  /** How many bytes of stdout are kept for {@link ProcessResult#stdout()}. */
  public int captureLimit() {
    return captureLimit;
  }

  /** What to tell the user when the program is not found (how to install it), if set. */
  public Optional<String> missingToolHint() {
    return Optional.ofNullable(missingToolHint);
  }

  /** How messages name the command ({@code git push} by default: the program and its first word). */
  public String description() {
    return description;
  }

  private static String describe(List<String> argv) {
    String program = Path.of(argv.get(0)).getFileName().toString();
    if (argv.size() > 1 && !argv.get(1).startsWith("-") && argv.get(1).matches("[A-Za-z][-A-Za-z0-9]*")) {
      return program + " " + argv.get(1);
    }
    return program;
  }

  /** Builds a {@link ProcessSpec}; setters check their values and say what was wrong. */
  public static final class Builder {
    private final List<String> argv;
    private Path directory;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> passThrough = new ArrayList<>();
    private byte[] stdin;
    private Duration timeout;
    private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
    private final List<String> secrets = new ArrayList<>();
    private boolean logStdout = true;
    private int captureLimit = DEFAULT_CAPTURE_LIMIT;
    private String missingToolHint;
    private String description;

    private Builder(List<String> argv) {
      Objects.requireNonNull(argv, "argv must not be null");
      if (argv.isEmpty() || argv.get(0) == null || argv.get(0).isEmpty()) {
        throw new IllegalArgumentException("argv must start with the program, but was " + argv);
      }
      for (int i = 0; i < argv.size(); i++) {
        if (argv.get(i) == null) {
          throw new IllegalArgumentException("argv[" + i + "] must not be null");
        }
        if (argv.get(i).indexOf('\0') >= 0) {
          throw new IllegalArgumentException("argv[" + i + "] must not hold a NUL character");
        }
      }
      this.argv = new ArrayList<>(argv);
    }

    /** The working directory (default: the step's working directory); it must exist. */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory must not be null");
      return this;
    }

    /** Sets a variable of the command's environment (over any passed-through value). */
    public Builder env(String name, String value) {
      Objects.requireNonNull(name, "env name must not be null");
      Objects.requireNonNull(value, "env value of " + name + " must not be null");
      if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("env name must be non-empty without '=' or NUL, but was \"" + name + "\"");
      }
      env.put(name, value);
      return this;
    }

    /** Sets several variables. */
    public Builder env(Map<String, String> variables) {
      variables.forEach(this::env);
      return this;
    }

    /** Passes these host variables through too (for example {@code https_proxy}, {@code no_proxy}). */
    public Builder passThrough(String... names) {
      for (String name : names) {
        passThrough.add(Objects.requireNonNull(name, "passThrough name must not be null"));
      }
      return this;
    }

    /** Bytes the command reads on stdin (written by a separate thread, then stdin is closed). */
    public Builder stdin(byte[] input) {
      this.stdin = Objects.requireNonNull(input, "stdin must not be null").clone();
      return this;
    }

    /** UTF-8 text the command reads on stdin. */
    public Builder stdin(String input) {
      return stdin(Objects.requireNonNull(input, "stdin must not be null").getBytes(StandardCharsets.UTF_8));
    }

    /** A time limit of the command's own, measured on the step's clock (the step's deadline applies too). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout must not be null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** How long the command gets to exit after SIGTERM when it is stopped (default 5 s); zero kills at once. */
    public Builder gracePeriod(Duration grace) {
      Objects.requireNonNull(grace, "gracePeriod must not be null");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("gracePeriod must not be negative, but was " + grace);
      }
      this.gracePeriod = grace;
      return this;
    }

    /**
     * A secret the command handles (a token in its environment or stdin): registered with the promotion's
     * masker, so it is masked in the step log, in messages and in the record. An argument holding a
     * registered secret is refused: secrets never go on a command line.
     */
    public Builder secret(String value) {
      if (value != null && !value.isEmpty()) {
        secrets.add(value);
      }
      return this;
    }

    /** Whether stdout lines go to the step log (default true); off for a command printing a large document. */
    public Builder logStdout(boolean log) {
      this.logStdout = log;
      return this;
    }

    /** How many bytes of stdout to keep (default {@link #DEFAULT_CAPTURE_LIMIT}, at most {@link #MAX_CAPTURE_LIMIT}). */
    public Builder captureLimit(int bytes) {
      if (bytes < 0 || bytes > MAX_CAPTURE_LIMIT) {
        throw new IllegalArgumentException("captureLimit must be 0 to " + MAX_CAPTURE_LIMIT + " bytes, but was " + bytes);
      }
      this.captureLimit = bytes;
      return this;
    }

    /**
     * What to tell the user when the program is not on the PATH, for example
     * {@code install git (Debian: apt-get install git)}: the error reads
     * {@code git not found on PATH: install git (Debian: apt-get install git)}.
     */
    public Builder missingToolHint(String hint) {
      this.missingToolHint = Objects.requireNonNull(hint, "missingToolHint must not be null");
      return this;
    }

    /** How messages name the command (default: the program and its first word, such as {@code git push}). */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description must not be null");
      return this;
    }

    public ProcessSpec build() {
      return new ProcessSpec(this);
    }
  }
}
