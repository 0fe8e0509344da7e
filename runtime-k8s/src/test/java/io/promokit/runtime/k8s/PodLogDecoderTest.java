package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.event.LogStream;
import io.promokit.spi.CapturedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PodLogDecoderTest {
  private final StepWrapper wrapper = new StepWrapper("abcd1234efgh5678", 1024 * 1024);
  private final RecordingSink sink = new RecordingSink();
  private final PodLogDecoder decoder = new PodLogDecoder(wrapper, sink);

  private void frame(byte[] content) {
    decoder.line("[promokit-output abcd1234efgh5678 " + content.length + "]");
    String b64 = Base64.getEncoder().encodeToString(content);
    for (int i = 0; i < b64.length(); i += 76) {
      decoder.line(b64.substring(i, Math.min(b64.length(), i + 76)));
    }
    decoder.line("[promokit-output-end abcd1234efgh5678 0]");
  }

  @Test
  void untaggedLinesAreStdoutTaggedOnesStderr() {
    decoder.line("hello");
    decoder.line("[stderr abcd1234efgh5678] oops");
    decoder.line("[stderr someoneelse] not ours");
    assertThat(sink.lines()).extracting(Object::toString)
        .containsExactly("STDOUT: hello", "STDERR: oops", "STDOUT: [stderr someoneelse] not ours");
  }

  @Test
  void theOutputFrameLeavesTheLogAndBecomesTheOutputFile() throws IOException {
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    decoder.line("before");
    frame(content);
    assertThat(sink.lines()).extracting(Object::toString).containsExactly("STDOUT: before");
    assertThat(decoder.frameComplete()).isTrue();
    CapturedFile file = decoder.output(Long.MAX_VALUE, "pod-1");
    assertThat(file.content()).isEqualTo(content);
    assertThat(file.truncated()).isFalse();
  }

  @Test
  void aLastLineWithoutNewlineIsSplitFromTheTagThatFollowsIt() {
    decoder.line("no newline[stderr abcd1234efgh5678] err");
    decoder.line("partial[promokit-output abcd1234efgh5678 0]");
    decoder.line("[promokit-output-end abcd1234efgh5678 3]");
    assertThat(sink.lines()).extracting(Object::toString)
        .containsExactly("STDOUT: no newline", "STDERR: err", "STDOUT: partial");
    assertThat(decoder.frameComplete()).isTrue();
  }

  @Test
  void theFrameIsCutAtMaxBytesAndKeepsTheWholeSize() throws IOException {
    decoder.line("[promokit-output abcd1234efgh5678 5000000]");
    decoder.line(Base64.getEncoder().encodeToString("0123456789".getBytes(StandardCharsets.UTF_8)));
    decoder.line("[promokit-output-end abcd1234efgh5678 0]");
    CapturedFile file = decoder.output(4, "pod-1");
    assertThat(new String(file.content(), StandardCharsets.UTF_8)).isEqualTo("0123");
    assertThat(file.size()).isEqualTo(5_000_000);
    assertThat(file.truncated()).isTrue();
  }

  @Test
  void linesWrittenIntoTheFrameBySomethingElseStayOutput() throws IOException {
    decoder.line("[promokit-output abcd1234efgh5678 2]");
    decoder.line("a background job says hi!");
    decoder.line("aGk=");
    decoder.line("[promokit-output-end abcd1234efgh5678 0]");
    assertThat(sink.texts(LogStream.STDOUT)).containsExactly("a background job says hi!");
    assertThat(decoder.output(10, "pod-1").content()).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aLogWithoutTheFrameSaysSo() {
    decoder.line("hello");
    assertThatThrownBy(() -> decoder.output(10, "pod-1"))
        .isInstanceOf(IOException.class)
        .hasMessage("the output of Pod pod-1 is unknown: its log ended before the output frame");
    decoder.line("[promokit-output abcd1234efgh5678 2]");
    assertThatThrownBy(() -> decoder.output(10, "pod-1"))
        .hasMessage("the output of Pod pod-1 is unknown: its log ended before the output frame was complete");
  }

  @Test
  void linesLongerThanTheLimitArriveInPieces() {
    decoder.line("x".repeat(PodLogDecoder.MAX_LINE * 2 + 5));
    assertThat(sink.texts(LogStream.STDOUT)).extracting(String::length)
        .containsExactly(PodLogDecoder.MAX_LINE, PodLogDecoder.MAX_LINE, 5);
    assertThat(sink.lines()).as("every piece but the last is marked partial").extracting(RecordingSink.Line::partial)
        .containsExactly(true, true, false);
  }

  @Test
  void aLineOfExactlyTheLimitIsOneWholeLine() {
    decoder.line("x".repeat(PodLogDecoder.MAX_LINE));
    assertThat(sink.lines()).extracting(RecordingSink.Line::partial).containsExactly(false);
  }

  @Test
  void countsTheLinesItTook() {
    decoder.line("a");
    decoder.line("[stderr abcd1234efgh5678] b");
    assertThat(decoder.linesSeen()).isEqualTo(2);
  }
}
