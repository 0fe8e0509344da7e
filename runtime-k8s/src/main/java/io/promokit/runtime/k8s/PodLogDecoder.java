package io.promokit.runtime.k8s;

import io.promokit.event.LogStream;
import io.promokit.spi.CapturedFile;
import io.promokit.spi.LogSink;
import java.io.IOException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a step Pod's merged log as {@link StepWrapper} wrote it: untagged lines are stdout, lines tagged
 * {@code [stderr <id>] } are stderr, and the output frame at the end is taken out of the log and kept as
 * the {@code KARGO_OUTPUT} content. Not thread-safe: one log follower feeds it.
 */
final class PodLogDecoder {

  /** Longest line handed to the sink in one piece. */
  static final int MAX_LINE = 64 * 1024;

  private static final Pattern BASE64_LINE = Pattern.compile("[A-Za-z0-9+/=]*");
  private static final Pattern NUMBER_THEN_BRACKET = Pattern.compile("(-?\\d+)\\].*");

  private final StepWrapper wrapper;
  private final LogSink sink;
  private StringBuilder frame;
  private long frameSize = -1;
  private Integer frameStatus;
  private long lines;

  PodLogDecoder(StepWrapper wrapper, LogSink sink) {
    this.wrapper = wrapper;
    this.sink = sink;
  }

  /** Takes one line of the log, without its terminator. */
  void line(String raw) {
    lines++;
    if (frame != null && frameStatus == null) {
      if (raw.startsWith(wrapper.frameEnd())) {
        Matcher m = NUMBER_THEN_BRACKET.matcher(raw.substring(wrapper.frameEnd().length()));
        frameStatus = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        return;
      }
      if (BASE64_LINE.matcher(raw).matches()) {
        frame.append(raw);
        return;
      }
      // something else wrote to stdout while the frame was written: keep it as output, not as frame
    }
    int stderr = raw.indexOf(wrapper.stderrTag());
    int start = raw.indexOf(wrapper.frameStart());
    if (stderr < 0 && start < 0) {
      emit(LogStream.STDOUT, raw);
      return;
    }
    boolean stderrFirst = stderr >= 0 && (start < 0 || stderr < start);
    int at = stderrFirst ? stderr : start;
    if (at > 0) {
      // a last stdout line without a newline, joined to the tagged line that followed it
      emit(LogStream.STDOUT, raw.substring(0, at));
    }
    if (stderrFirst) {
      emit(LogStream.STDERR, raw.substring(at + wrapper.stderrTag().length()));
      return;
    }
    Matcher m = NUMBER_THEN_BRACKET.matcher(raw.substring(at + wrapper.frameStart().length()));
    frame = new StringBuilder();
    frameSize = m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** How many lines were taken (for skipping them when the log is read again). */
  long linesSeen() {
    return lines;
  }

  /** Whether the whole output frame was read. */
  boolean frameComplete() {
    return frameStatus != null;
  }

  /**
   * The output file, at most {@code maxBytes} of it.
   *
   * @throws IOException when the log held no complete frame, or a corrupt one
   */
  CapturedFile output(long maxBytes, String podName) throws IOException {
    if (!frameComplete()) {
      throw new IOException("the output of Pod " + podName + " is unknown: its log ended before the output frame"
          + (frame == null ? "" : " was complete"));
    }
    byte[] content;
    try {
      content = Base64.getDecoder().decode(frame.toString());
    } catch (IllegalArgumentException e) {
      throw new IOException("the output frame in the log of Pod " + podName + " is corrupt: " + e.getMessage(), e);
    }
    long size = Math.max(frameSize, content.length);
    if (content.length > maxBytes) {
      byte[] cut = new byte[(int) maxBytes];
      System.arraycopy(content, 0, cut, 0, cut.length);
      content = cut;
    }
    return new CapturedFile(content, size);
  }

  private void emit(LogStream stream, String text) {
    if (text.length() <= MAX_LINE) {
      sink.line(stream, text);
      return;
    }
    // Every piece but the last is partial, so a sink knows the line goes on (and masks across pieces).
    int i = 0;
    for (; i + MAX_LINE < text.length(); i += MAX_LINE) {
      sink.partialLine(stream, text.substring(i, i + MAX_LINE));
    }
    sink.line(stream, text.substring(i));
  }
}
