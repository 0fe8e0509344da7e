package io.promokit.steps.kit;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.Timekeeper;
import io.promokit.event.LogStream;
import io.promokit.expressions.GoDuration;
import io.promokit.internal.process.LinePump;
import io.promokit.internal.process.LongLineMasker;
import io.promokit.internal.process.OutputTail;
import io.promokit.internal.process.ProcessTrees;
import io.promokit.spi.LogSink;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One command of {@link ProcessRunner} from start to end: its output threads, its wait and its stop. */
final class RunningProcess {

  private static final Logger LOG = LoggerFactory.getLogger(RunningProcess.class);
  /**
   * How long the output threads may take to drain once the command and its leftovers are gone: real time
   * (System.nanoTime), as it bounds reading a real pipe, not promotion time.
   */
  private static final long DRAIN_LIMIT_MILLIS = 10_000;

  private enum Stop { CANCELLED, TIME_LIMIT }

  private final Process process;
  private final ProcessSpec spec;
  private final String mark;
  private final StepContext context;
  private final Capture stdout;
  private final OutputTail stderrTail;
  private final Thread stdoutPump;
  private final Thread stderrPump;
  private final Thread stdinWriter;

  RunningProcess(Process process, ProcessSpec spec, String mark, StepContext context) {
    this.process = process;
    this.spec = spec;
    this.mark = mark;
    this.context = context;
    this.stdout = new Capture(spec.captureLimit());
    this.stderrTail = new OutputTail(context.masker());
    this.stdoutPump = start("stdout", new LinePump(new Tee(process.getInputStream(), stdout), LogStream.STDOUT,
        new MaskedLog(spec.logStdout(), null)));
    this.stderrPump = start("stderr", new LinePump(process.getErrorStream(), LogStream.STDERR,
        new MaskedLog(true, stderrTail)));
    this.stdinWriter = spec.stdin().map(bytes -> start("stdin", () -> write(process.getOutputStream(), bytes)))
        .orElse(null);
    if (stdinWriter == null) {
      closeQuietly(process.getOutputStream());
    }
  }

  /** Waits for the command to exit, the attempt to be cancelled, or the deadline; stops it in the last two cases. */
  ProcessResult await(Instant deadline) throws InterruptedException {
    Timekeeper time = context.timekeeper();
    Object monitor = new Object();
    Runnable wake = () -> {
      synchronized (monitor) {
        monitor.notifyAll();
      }
    };
    process.onExit().thenRun(wake);
    context.onCancel(wake);
    Stop stop = null;
    try {
      synchronized (monitor) {
        while (process.isAlive()) {
          if (context.isCancelled()) {
            stop = Stop.CANCELLED;
            break;
          }
          if (deadline != null && !time.now().isBefore(deadline)) {
            stop = Stop.TIME_LIMIT;
            break;
          }
          time.await(monitor, deadline);
        }
      }
    } catch (InterruptedException e) {
      stop = Stop.CANCELLED;
    }
    if (stop != null) {
      ProcessTrees.terminate(process.toHandle(), ProcessRunner.MARK, mark, spec.gracePeriod());
    }
    finish();
    if (stop == Stop.CANCELLED) {
      throw new InterruptedException(spec.description() + " was stopped: the attempt was cancelled");
    }
    if (stop == Stop.TIME_LIMIT) {
      throw new StepException(spec.description() + " was stopped: " + timeLimitReason());
    }
    return new ProcessResult(spec.description(), exitCode(), stdout.text(), stdout.truncated(),
        stderrTail.isEmpty() ? "" : stderrTail.text());
  }

  private String timeLimitReason() {
    return spec.timeout().map(t -> "it timed out after " + GoDuration.format(t) + " (or the step's deadline came)")
        .orElse("the step's deadline came");
  }

  /** Kills what the command left running, then lets the output threads drain what is left of its output. */
  private void finish() {
    ProcessTrees.killLeftovers(ProcessRunner.MARK, mark);
    long limit = System.nanoTime() + DRAIN_LIMIT_MILLIS * 1_000_000;
    boolean interrupted = Thread.interrupted();
    try {
      for (Thread pump : new Thread[] {stdoutPump, stderrPump, stdinWriter}) {
        if (pump != null) {
          pump.join(Math.max(1, (limit - System.nanoTime()) / 1_000_000));
        }
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (stdoutPump.isAlive() || stderrPump.isAlive()) {
      LOG.warn("output of {} still open after it exited (a child escaped the kill?); the rest is not read",
          spec.description());
      closeQuietly(process.getInputStream());
      closeQuietly(process.getErrorStream());
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private int exitCode() {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      // The process has exited already (finish() ran after it): waitFor returns at once.
      Thread.currentThread().interrupt();
      return process.exitValue();
    }
  }

  private Thread start(String stream, Runnable body) {
    Thread thread = new Thread(body, "promokit-tool-" + process.pid() + "-" + stream);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void write(OutputStream in, byte[] bytes) {
    try (in) {
      in.write(bytes);
    } catch (IOException e) {
      // The command closed its stdin early (it did not read it all): not our failure to report.
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  /** Lines (and pieces of long lines) of one stream, masked, to the step log and maybe to a tail. */
  private final class MaskedLog implements LogSink {
    private final boolean toLog;
    private final OutputTail tail;
    private final LongLineMasker masker;

    MaskedLog(boolean toLog, OutputTail tail) {
      this.toLog = toLog;
      this.tail = tail;
      this.masker = new LongLineMasker(context.masker());
    }

    @Override
    public synchronized void line(LogStream stream, String text) {
      if (tail != null) {
        tail.add(text, false);
      }
      if (toLog) {
        context.log().line(stream, masker.endOfLine(text));
      }
    }

    @Override
    public synchronized void partialLine(LogStream stream, String text) {
      if (tail != null) {
        tail.add(text, true);
      }
      if (toLog) {
        String masked = masker.piece(text);
        if (!masked.isEmpty()) {
          context.log().line(stream, masked);
        }
      }
    }
  }

  /** The first bytes of stdout, up to the capture limit, exactly as written. */
  private static final class Capture {
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean truncated;

    Capture(int limit) {
      this.limit = limit;
    }

    synchronized void add(byte[] bytes, int offset, int length) {
      int room = limit - kept.size();
      if (length > room) {
        truncated = true;
      }
      if (room > 0) {
        kept.write(bytes, offset, Math.min(room, length));
      }
    }

    synchronized String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }

    synchronized boolean truncated() {
      return truncated;
    }
  }

  /** Copies what is read from a stream into a {@link Capture} on its way to the line pump. */
  private static final class Tee extends FilterInputStream {
    private final Capture capture;

    Tee(InputStream in, Capture capture) {
      super(in);
      this.capture = capture;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        capture.add(new byte[] {(byte) b}, 0, 1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        capture.add(buffer, offset, n);
      }
      return n;
    }
  }
}
