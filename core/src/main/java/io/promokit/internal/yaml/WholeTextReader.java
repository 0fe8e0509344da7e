package io.promokit.internal.yaml;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's reader over a whole text held in memory, in time linear in its length. SnakeYAML's own
 * {@link StreamReader} reads 1,024 characters at a time and copies its whole look-ahead window on each read, so
 * scanning one value of n characters costs O(n²) (a single 4 MB scalar took 5.5 s, 16 MB 46 s). Promotion
 * documents are bounded in size and read whole anyway, so this reader keeps the text's code points in one array
 * and moves a pointer over it; line, column and index bookkeeping, marks and the refusal of non-printable
 * characters are SnakeYAML's.
 */
final class WholeTextReader extends StreamReader {
  /** The name SnakeYAML gives a reader in its marks (YamlTreeReader drops those lines from messages). */
  private static final String NAME = "'reader'";
  /** The characters SnakeYAML's reader loads (and checks) at a time. */
  private static final int CHUNK = 1024;

  private final int[] codePoints;
  private final int firstNonPrintable;
  private int pointer;
  private int index;
  private int documentIndex;
  private int line;
  private int column;

  WholeTextReader(String text) {
    super("");
    this.codePoints = codePoints(text);
    int bad = Integer.MAX_VALUE;
    for (int i = 0; i < codePoints.length; i++) {
      if (!StreamReader.isPrintable(codePoints[i])) {
        bad = i;
        break;
      }
    }
    this.firstNonPrintable = bad;
  }

  /**
   * Whether the code point {@code ahead} of the pointer exists. A non-printable character is refused as SnakeYAML
   * refuses it: as soon as anything in its 1,024-character chunk of the text is needed (SnakeYAML checks each chunk
   * as it loads it), so the same tokens come before the error.
   */
  private boolean has(int ahead) {
    if (pointer + ahead >= firstNonPrintable - firstNonPrintable % CHUNK) {
      throw new ReaderException(NAME, firstNonPrintable, codePoints[firstNonPrintable],
          "special characters are not allowed");
    }
    return pointer + ahead < codePoints.length;
  }

  @Override
  public Mark getMark() {
    return new Mark(NAME, index, line, column, codePoints, pointer);
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int length) {
    for (int i = 0; i < length && has(0); i++) {
      int c = codePoints[pointer++];
      index++;
      documentIndex++;
      if (Constant.LINEBR.has(c) || (c == '\r' && has(0) && codePoints[pointer] != '\n')) {
        line++;
        column = 0;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return has(0) ? codePoints[pointer] : '\0';
  }

  @Override
  public int peek(int ahead) {
    return has(ahead) ? codePoints[pointer + ahead] : '\0';
  }

  @Override
  public String prefix(int length) {
    if (length == 0) {
      return "";
    }
    has(length - 1);
    return new String(codePoints, pointer, Math.min(length, codePoints.length - pointer));
  }

  @Override
  public String prefixForward(int length) {
    String prefix = prefix(length);
    pointer += length;
    index += length;
    documentIndex += length;
    column += length;
    return prefix;
  }

  @Override
  public int getColumn() {
    return column;
  }

  @Override
  public int getDocumentIndex() {
    return documentIndex;
  }

  @Override
  public void resetDocumentIndex() {
    documentIndex = 0;
  }

  @Override
  public int getIndex() {
    return index;
  }

  @Override
  public int getLine() {
    return line;
  }

  /** The text's code points (String.codePoints() is a stream, whose set-up a cold start pays for). */
  private static int[] codePoints(String text) {
    int[] points = new int[text.codePointCount(0, text.length())];
    for (int i = 0, n = 0; i < text.length(); n++) {
      int point = text.codePointAt(i);
      points[n] = point;
      i += Character.charCount(point);
    }
    return points;
  }
}
