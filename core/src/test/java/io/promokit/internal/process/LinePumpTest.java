package io.promokit.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.event.LogStream;
import io.promokit.spi.LogSink;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinePumpTest {

  private static List<String> pump(InputStream in) {
    List<String> lines = new ArrayList<>();
    new LinePump(in, LogStream.STDOUT, (stream, text) -> lines.add(text)).run();
    return lines;
  }

  private static List<String> pump(String text) {
    return pump(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void splitsOnNewlinesAndDropsTheTerminators() {
    assertThat(pump("a\nb\r\n\nlast")).containsExactly("a", "b", "", "last");
  }

  @Test
  void keepsALoneCarriageReturnInsideALine() {
    assertThat(pump("50%\r100%\n")).containsExactly("50%\r100%");
  }

  @Test
  void deliversNothingForEmptyInput() {
    assertThat(pump("")).isEmpty();
  }

  @Test
  void deliversALongLineInPiecesCutBetweenCharacters() {
    // Three-byte characters do not divide the piece size, so a naive cut would split one.
    String line = "€".repeat(LinePump.MAX_LINE_BYTES);
    List<String> pieces = pump(line + "\nnext\n");

    assertThat(pieces).last().isEqualTo("next");
    List<String> parts = pieces.subList(0, pieces.size() - 1);
    assertThat(parts).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p).matches("€+"));
    assertThat(String.join("", parts)).isEqualTo(line);
  }

  @Test
  void assemblesLinesSplitAcrossReads() {
    // A stream that hands out one byte per read, as a slow pipe may.
    byte[] bytes = "héllo\nwörld\n".getBytes(StandardCharsets.UTF_8);
    InputStream trickle = new InputStream() {
      int pos;

      @Override
      public int read() {
        return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= bytes.length) {
          return -1;
        }
        b[off] = bytes[pos++];
        return 1;
      }
    };
    assertThat(pump(trickle)).containsExactly("héllo", "wörld");
  }

  @Test
  void marksEveryPieceOfALongLineButTheLastAsPartial() {
    String line = "x".repeat(LinePump.MAX_LINE_BYTES * 2 + 10);
    List<String> calls = new ArrayList<>();
    LogSink sink = new LogSink() {
      @Override
      public void line(LogStream stream, String text) {
        calls.add("line " + text.length());
      }

      @Override
      public void partialLine(LogStream stream, String text) {
        calls.add("partial " + text.length());
      }
    };

    new LinePump(new ByteArrayInputStream((line + "\nshort\n").getBytes(StandardCharsets.UTF_8)), LogStream.STDOUT, sink)
        .run();

    assertThat(calls).containsExactly("partial " + LinePump.MAX_LINE_BYTES, "partial " + LinePump.MAX_LINE_BYTES,
        "line 10", "line 5");
  }
}
