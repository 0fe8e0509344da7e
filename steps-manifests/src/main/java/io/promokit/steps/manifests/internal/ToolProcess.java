package io.promokit.steps.manifests.internal;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.event.LogStream;
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
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Runs one external process for a step: a clean environment, the step's deadline, its cancellation (the
 * process and all its descendants are killed), standard error streamed line by line to the step log through a
 * masker, standard output captured or streamed. Nothing is left running when {@link #run} returns or throws.
 */
public final class ToolProcess {

  /** What came back from a process that ran to its end. */
  public record Outcome(int exitCode, String stdout, String stderr) {}

  private final List<String> command;
  private final Map<String, String> environment;
  private final Path directory;
  private byte[] stdin = new byte[0];
  private boolean captureStdout = true;
  private UnaryOperator<String> masker = UnaryOperator.identity();
  private String name;

  /**
   * @param command the program and its arguments (never secrets)
   * @param environment the whole environment of the process (nothing is inherited)
   * @param directory the working directory of the process
   */
  public ToolProcess(List<String> command, Map<String, String> environment, Path directory) {
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.directory = Objects.requireNonNull(directory);
    this.name = Path.of(this.command.get(0)).getFileName().toString();
  }

  /** How messages name the process; default: the program's file name. */
  public ToolProcess name(String name) {
    this.name = Objects.requireNonNull(name);
    return this;
  }

  /** Bytes written to the process's standard input, then closed (the way secrets reach a child). */
  public ToolProcess stdin(byte[] bytes) {
    this.stdin = bytes.clone();
    return this;
  }

  /** Streams standard output to the step log instead of capturing it. */
  public ToolProcess streamStdout() {
    this.captureStdout = false;
    return this;
  }

  /** Masks every log line (and the captured standard error) with this function. */
  public ToolProcess masker(UnaryOperator<String> masker) {
    this.masker = Objects.requireNonNull(masker);
    return this;
  }

  /**
   * Runs the process to its end, within the step's deadline.
   *
   * @throws StepException when it cannot start or runs past the deadline
   * @throws InterruptedException when the step is cancelled (the process tree is killed first)
   */
  public Outcome run(StepContext context) throws InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw StepException.terminal("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    context.onCancel(() -> killTree(process));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder err = new StringBuilder();
    Thread stdoutPump = pump(process.getInputStream(), captureStdout ? out : null, LogStream.STDOUT, null, context);
    Thread stderrPump = pump(process.getErrorStream(), null, LogStream.STDERR, err, context);
    Thread feeder = daemon("promokit-stdin", () -> feed(process.getOutputStream()));
    try {
      boolean ended = waitFor(process, context);
      if (!ended) {
        throw new StepException(name + " did not finish before the step's deadline; it was stopped");
      }
      stdoutPump.join();
      stderrPump.join();
      feeder.join();
      return new Outcome(process.exitValue(), out.toString(StandardCharsets.UTF_8), masker.apply(err.toString()));
    } catch (InterruptedException e) {
      killTree(process);
      throw e;
    } finally {
      if (process.isAlive() || process.descendants().findAny().isPresent()) {
        killTree(process);
      }
    }
  }

  private boolean waitFor(Process process, StepContext context) throws InterruptedException {
    while (true) {
      if (context.isCancelled()) {
        killTree(process);
        throw new InterruptedException("the step was cancelled");
      }
      long waitMillis = context.remaining().map(r -> Math.min(r.toMillis(), 200L)).orElse(200L);
      if (process.waitFor(Math.max(waitMillis, 1), TimeUnit.MILLISECONDS)) {
        if (context.isCancelled()) {
          throw new InterruptedException("the step was cancelled");   // killed by the cancellation, not done
        }
        return true;
      }
      if (context.remaining().map(r -> r.isZero()).orElse(false)) {
        killTree(process);
        return false;
      }
    }
  }

  /** Kills the process and every descendant, and waits (bounded) until they are gone. */
  static void killTree(Process process) {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : all) {
      try {
        handle.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Best effort: a process that does not die within 5 s of SIGKILL is beyond our reach.
      }
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void feed(OutputStream stdinStream) {
    try (OutputStream o = stdinStream) {
      o.write(stdin);
    } catch (IOException e) {
      // The process ended without reading its input; its exit code says what went wrong.
    }
  }

  private Thread pump(InputStream in, ByteArrayOutputStream capture, LogStream stream, StringBuilder text,
      StepContext context) {
    return daemon("promokit-" + stream.name().toLowerCase(java.util.Locale.ROOT), () -> {
      try (InputStream input = new java.io.BufferedInputStream(in)) {
        if (capture != null) {
          input.transferTo(capture);
          return;
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = input.read()) >= 0) {
          if (b == '\n') {
            emit(line, stream, text, context);
          } else {
            line.write(b);
          }
        }
        if (line.size() > 0) {
          emit(line, stream, text, context);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private void emit(ByteArrayOutputStream line, LogStream stream, StringBuilder text, StepContext context) {
    String masked = masker.apply(line.toString(StandardCharsets.UTF_8));
    line.reset();
    context.log().line(stream, masked);
    if (text != null && text.length() < 64 * 1024) {
      text.append(masked).append('\n');
    }
  }
}
