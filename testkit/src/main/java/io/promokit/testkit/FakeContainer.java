package io.promokit.testkit;

import io.promokit.event.LogStream;
import io.promokit.spi.ContainerRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one container of a {@link FakeContainerRuntime} does: the lines it prints, the files it writes, how
 * long it runs, how it ends. Immutable: every method returns a changed copy.
 *
 * <pre>{@code
 * FakeContainer.exit(0).stdout("checked 12 images").outputFile("ok=true\n");
 * FakeContainer.exit(3).stderr("policy violated: image not signed");
 * FakeContainer.exit(0).runFor(Duration.ofMinutes(5)).ignoringTerm();   // for timeout tests
 * FakeContainer.oomKilled();
 * FakeContainer.failToStart("image \"x\" not found", false);
 * }</pre>
 */
public final class FakeContainer {

  /** One line printed by the container, or with {@code partial} a piece of a long line that the next continues. */
  record Line(LogStream stream, String text, boolean partial) {}

  final int exitCode;
  final boolean oomKilled;
  final List<Line> lines;
  final byte[] outputFile;
  final Map<String, byte[]> workdirFiles;
  final Duration runFor;
  final boolean ignoresTerm;
  final String startFailure;
  final String runFailure;
  final boolean failureRetryable;

  private FakeContainer(int exitCode, boolean oomKilled, List<Line> lines, byte[] outputFile,
      Map<String, byte[]> workdirFiles, Duration runFor, boolean ignoresTerm, String startFailure,
      String runFailure, boolean failureRetryable) {
    this.exitCode = exitCode;
    this.oomKilled = oomKilled;
    this.lines = List.copyOf(lines);
    this.outputFile = outputFile;
    this.workdirFiles = Collections.unmodifiableMap(new LinkedHashMap<>(workdirFiles));
    this.runFor = runFor;
    this.ignoresTerm = ignoresTerm;
    this.startFailure = startFailure;
    this.runFailure = runFailure;
    this.failureRetryable = failureRetryable;
  }

  /** A container that exits at once with the given code. */
  public static FakeContainer exit(int exitCode) {
    if (exitCode < 0 || exitCode > 255) {
      throw new IllegalArgumentException("exit code must be between 0 and 255, but was " + exitCode);
    }
    return new FakeContainer(exitCode, false, List.of(), new byte[0], Map.of(), Duration.ZERO, false, null, null, false);
  }

  /** A container that exits with 0. */
  public static FakeContainer succeed() {
    return exit(0);
  }

  /** A container killed for exceeding its memory limit: exit code 137, OOM flag set. */
  public static FakeContainer oomKilled() {
    FakeContainer c = exit(137);
    return new FakeContainer(137, true, c.lines, c.outputFile, c.workdirFiles, c.runFor, false, null, null, false);
  }

  /**
   * A container that cannot be started: {@code start} throws a
   * {@link io.promokit.spi.ContainerRuntimeException} with this message.
   *
   * @param retryable false for a missing image or refused pull, true for an unreachable runtime
   */
  public static FakeContainer failToStart(String message, boolean retryable) {
    Objects.requireNonNull(message, "message must not be null");
    return new FakeContainer(0, false, List.of(), new byte[0], Map.of(), Duration.ZERO, false, message, null, retryable);
  }

  /**
   * A container whose runtime fails while it runs (daemon gone, Pod deleted): {@code await} throws a
   * {@link io.promokit.spi.ContainerRuntimeException} with this message, after the lines were printed.
   */
  public FakeContainer failWhileRunning(String message, boolean retryable) {
    Objects.requireNonNull(message, "message must not be null");
    return new FakeContainer(exitCode, oomKilled, lines, outputFile, workdirFiles, runFor, ignoresTerm, startFailure,
        message, retryable);
  }

  /** Adds lines printed to stdout (in order with the other lines). */
  public FakeContainer stdout(String... text) {
    return print(LogStream.STDOUT, text);
  }

  /** Adds lines printed to stderr (in order with the other lines). */
  public FakeContainer stderr(String... text) {
    return print(LogStream.STDERR, text);
  }

  private FakeContainer print(LogStream stream, String... text) {
    List<Line> more = new ArrayList<>(lines);
    for (String t : text) {
      more.add(new Line(stream, Objects.requireNonNull(t, "a line must not be null"), false));
    }
    return new FakeContainer(exitCode, oomKilled, more, outputFile, workdirFiles, runFor, ignoresTerm, startFailure,
        runFailure, failureRetryable);
  }

  /**
   * Adds one long line that the runtime delivers in these pieces, the way a real runtime cuts a line longer
   * than its limit: every piece but the last through {@link io.promokit.spi.LogSink#partialLine}.
   */
  public FakeContainer lineInPieces(LogStream stream, String... pieces) {
    Objects.requireNonNull(stream, "stream must not be null");
    if (pieces.length == 0) {
      throw new IllegalArgumentException("pieces must not be empty: give at least the line's one piece");
    }
    List<Line> more = new ArrayList<>(lines);
    for (int i = 0; i < pieces.length; i++) {
      more.add(new Line(stream, Objects.requireNonNull(pieces[i], "a piece must not be null"), i < pieces.length - 1));
    }
    return new FakeContainer(exitCode, oomKilled, more, outputFile, workdirFiles, runFor, ignoresTerm, startFailure,
        runFailure, failureRetryable);
  }

  /** What the command writes to its {@code KARGO_OUTPUT} file. */
  public FakeContainer outputFile(String content) {
    Objects.requireNonNull(content, "content must not be null");
    return new FakeContainer(exitCode, oomKilled, lines, content.getBytes(StandardCharsets.UTF_8), workdirFiles, runFor,
        ignoresTerm, startFailure, runFailure, failureRetryable);
  }

  /** A file the command writes into the shared working directory (path relative to it). */
  public FakeContainer writesFile(String relativePath, String content) {
    Objects.requireNonNull(relativePath, "relativePath must not be null");
    Objects.requireNonNull(content, "content must not be null");
    if (relativePath.isEmpty() || relativePath.startsWith("/") || List.of(relativePath.split("/")).contains("..")) {
      throw new IllegalArgumentException("relativePath must stay inside the workdir, but was \"" + relativePath + "\"");
    }
    Map<String, byte[]> more = new LinkedHashMap<>(workdirFiles);
    more.put(relativePath, content.getBytes(StandardCharsets.UTF_8));
    return new FakeContainer(exitCode, oomKilled, lines, outputFile, more, runFor, ignoresTerm, startFailure,
        runFailure, failureRetryable);
  }

  /** How long the container runs (after printing its lines) before it exits; a stop cuts it short. */
  public FakeContainer runFor(Duration duration) {
    Objects.requireNonNull(duration, "duration must not be null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, but was " + duration);
    }
    return new FakeContainer(exitCode, oomKilled, lines, outputFile, workdirFiles, duration, ignoresTerm, startFailure,
        runFailure, failureRetryable);
  }

  /**
   * Makes the container ignore SIGTERM: a stop waits the whole grace period, then kills it (exit 137).
   * Without this a stop ends it at once with exit code 143.
   */
  public FakeContainer ignoringTerm() {
    return new FakeContainer(exitCode, oomKilled, lines, outputFile, workdirFiles, runFor, true, startFailure,
        runFailure, failureRetryable);
  }

  @Override
  public String toString() {
    if (startFailure != null) {
      return "FakeContainer[fails to start: " + startFailure + "]";
    }
    return "FakeContainer[exit " + exitCode + (oomKilled ? ", OOM" : "") + ", " + lines.size() + " lines, runs "
        + runFor + "]";
  }

  /** The scripted failure, retryable or terminal as scripted. */
  ContainerRuntimeException failure(String message) {
    return failureRetryable ? ContainerRuntimeException.retryable(message) : ContainerRuntimeException.terminal(message);
  }
}
