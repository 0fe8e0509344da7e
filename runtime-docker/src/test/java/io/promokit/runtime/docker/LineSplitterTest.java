package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.event.LogStream;
import io.promokit.spi.LogSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private final List<String> lines = new ArrayList<>();
  private final LineSplitter splitter = new LineSplitter(LogStream.STDOUT, (stream, text) -> lines.add(text));

  private void feed(String text, int chunk) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += chunk) {
      splitter.accept(bytes, i, Math.min(chunk, bytes.length - i));
    }
  }

  @Test
  void cutsLinesWhateverTheChunksAndDropsTheTerminators() {
    feed("first\nsecond\r\n\nfourth", 3);
    splitter.finish();
    assertThat(lines).containsExactly("first", "second", "", "fourth");
  }

  @Test
  void keepsACarriageReturnThatDoesNotEndALine() {
    feed("a\rb\n", 1);
    assertThat(lines).containsExactly("a\rb");
  }

  @Test
  void deliversALongLineInPiecesOfAtMostTheLimit() {
    String longLine = "x".repeat(LineSplitter.MAX_LINE_BYTES * 2 + 10);
    feed(longLine + "\nnext\n", 8192);
    assertThat(lines).hasSize(4);
    assertThat(lines.subList(0, 3)).allSatisfy(piece -> assertThat(piece.length()).isLessThanOrEqualTo(LineSplitter.MAX_LINE_BYTES));
    assertThat(String.join("", lines.subList(0, 3))).isEqualTo(longLine);
    assertThat(lines.get(3)).isEqualTo("next");
  }

  @Test
  void marksEveryPieceOfALongLineButTheLastAsPartial() {
    List<String> calls = new ArrayList<>();
    LineSplitter marking = new LineSplitter(LogStream.STDERR, new LogSink() {
      @Override
      public void line(LogStream stream, String text) {
        calls.add("line " + text.length());
      }

      @Override
      public void partialLine(LogStream stream, String text) {
        calls.add("partial " + text.length());
      }
    });
    byte[] bytes = ("y".repeat(LineSplitter.MAX_LINE_BYTES * 2 + 10) + "\nnext\n").getBytes(StandardCharsets.UTF_8);

    marking.accept(bytes, 0, bytes.length);

    assertThat(calls).containsExactly("partial " + LineSplitter.MAX_LINE_BYTES, "partial " + LineSplitter.MAX_LINE_BYTES,
        "line 10", "line 4");
  }

  @Test
  void neverCutsAMultiByteCharacterInTwo() {
    // 3-byte characters do not divide the limit: a naive cut would split one.
    String longLine = "€".repeat(LineSplitter.MAX_LINE_BYTES / 3 + 5);
    feed(longLine + "\n", 1000);
    assertThat(lines).hasSize(2);
    assertThat(lines).allSatisfy(piece -> assertThat(piece).doesNotContain("\uFFFD"));
    assertThat(String.join("", lines)).isEqualTo(longLine);
  }

  @Test
  void finishDeliversNothingWhenTheLastLineEnded() {
    feed("done\n", 100);
    splitter.finish();
    splitter.finish();
    assertThat(lines).containsExactly("done");
  }

  @Test
  void completeCharactersFindsTheLastBoundary() {
    byte[] euro = "a€".getBytes(StandardCharsets.UTF_8);  // 61 E2 82 AC
    assertThat(LineSplitter.completeCharacters(euro, 4)).isEqualTo(4);
    assertThat(LineSplitter.completeCharacters(euro, 3)).isEqualTo(1);
    assertThat(LineSplitter.completeCharacters(euro, 2)).isEqualTo(1);
    assertThat(LineSplitter.completeCharacters(euro, 1)).isEqualTo(1);
  }
}
