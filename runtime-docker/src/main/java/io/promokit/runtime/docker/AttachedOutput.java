package io.promokit.runtime.docker;

import com.github.dockerjava.api.model.Frame;
import io.promokit.event.LogStream;
import io.promokit.spi.LogSink;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attach stream of one container: its stdout and stderr frames, cut into lines for the request's
 * {@link LogSink}. docker-java reads the stream on its own thread and calls {@link #onNext} there, one
 * frame at a time, so a slow sink slows the container down instead of filling memory, and the sink is
 * never called concurrently. A sink that throws loses that line, not the stream.
 */
final class AttachedOutput extends StreamCallback<Frame> {

  private static final Logger LOG = LoggerFactory.getLogger(AttachedOutput.class);

  /**
   * How Docker's init (tini), or the {@link SecretLauncher}, says that it could not run the command, as the
   * first line of stderr.
   */
  private static final Pattern EXEC_FAILURE =
      Pattern.compile("^\\[(?:FATAL tini \\(\\d+\\)|promokit launcher)\\] (exec .* failed: .*)$");

  private final LineSplitter stdout;
  private final LineSplitter stderr;
  private boolean sinkFailureLogged;
  private boolean firstStderrLine = true;
  private volatile String execFailure;

  AttachedOutput(LogSink sink) {
    LogSink guarded = new LogSink() {
      @Override
      public void line(LogStream stream, String text) {
        deliver(sink, stream, text, false);
      }

      @Override
      public void partialLine(LogStream stream, String text) {
        deliver(sink, stream, text, true);
      }
    };
    this.stdout = new LineSplitter(LogStream.STDOUT, guarded);
    this.stderr = new LineSplitter(LogStream.STDERR, guarded);
  }

  private void deliver(LogSink sink, LogStream stream, String text, boolean partial) {
    if (stream == LogStream.STDERR && firstStderrLine) {
      firstStderrLine = false;
      Matcher m = EXEC_FAILURE.matcher(text);
      if (m.matches()) {
        execFailure = m.group(1);
      }
    }
    try {
      if (partial) {
        sink.partialLine(stream, text);
      } else {
        sink.line(stream, text);
      }
    } catch (RuntimeException e) {
      if (!sinkFailureLogged) {
        sinkFailureLogged = true;
        LOG.warn("the log sink failed on a line of {}; further failures are not logged", stream, e);
      }
    }
  }

  /** What the init said when it could not run the command ({@code exec sh failed: No such file or directory}). */
  Optional<String> execFailure() {
    return Optional.ofNullable(execFailure);
  }

  @Override
  public void onNext(Frame frame) {
    byte[] payload = frame.getPayload();
    switch (frame.getStreamType()) {
      case STDERR -> stderr.accept(payload, 0, payload.length);
      // RAW only comes with a TTY, which these containers never have; treat it as stdout.
      case STDOUT, RAW -> stdout.accept(payload, 0, payload.length);
      default -> {
        // STDIN frames are never sent for an attach without stdin.
      }
    }
  }

  @Override
  public void onError(Throwable error) {
    flushPartialLines();
    super.onError(error);
  }

  @Override
  public void onComplete() {
    flushPartialLines();
    super.onComplete();
  }

  private void flushPartialLines() {
    stdout.finish();
    stderr.finish();
  }
}
