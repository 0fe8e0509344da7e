package io.promokit.internal.yaml;

import io.promokit.documents.SourceLocation;
import java.util.Arrays;

/**
 * The text of a source, by line, to find where a string value's characters are written: for a plain value, or a
 * quoted one without escapes, on one line, and for a literal block ({@code |}), each character sits at a known
 * line and column, so an error inside the value (an expression's offending character) can point there. Any
 * other value (escapes, folding, a tag or anchor before it) gets no span, and its errors point at its start.
 */
final class SourceText {

  private final String text;
  private int[] lineStarts;   // found on first use: most values hold no expression and are never asked about

  SourceText(String text) {
    this.text = text.startsWith("\ufeff") ? text.substring(1) : text;
  }

  /** The span of {@code value}, a string read at {@code location} (1-based line, code point column); or null. */
  YamlScalar.TextSpan spanOf(String value, SourceLocation location) {
    String line = line(location.line());
    if (line == null || location.column() <= 0 || value.isEmpty()) {
      return null;
    }
    int start;
    try {
      start = line.offsetByCodePoints(0, location.column() - 1);
    } catch (IndexOutOfBoundsException e) {
      return null;
    }
    if (start >= line.length()) {
      return null;
    }
    char first = line.charAt(start);
    if (first == '"' || first == '\'') {
      int end = start + 1 + value.length();
      boolean asWritten = line.startsWith(value, start + 1) && end < line.length() && line.charAt(end) == first;
      return asWritten ? new YamlScalar.TextSpan(location.line(), location.column() + 1, false) : null;
    }
    if (first == '|') {
      return literalBlock(value, location.line());
    }
    return line.startsWith(value, start) && !value.contains("\n")
        ? new YamlScalar.TextSpan(location.line(), location.column(), false) : null;
  }

  /** A literal block's span: every line of the value is its file line after the block's indentation. */
  private YamlScalar.TextSpan literalBlock(String value, int headerLine) {
    String[] lines = value.split("\n", -1);
    int indent = -1;
    for (int k = 0; k < lines.length && indent < 0; k++) {
      String file = line(headerLine + 1 + k);
      if (!lines[k].isEmpty() && file != null && file.endsWith(lines[k])
          && file.substring(0, file.length() - lines[k].length()).isBlank()) {
        indent = file.length() - lines[k].length();
      }
    }
    if (indent < 0) {
      return null;
    }
    for (int k = 0; k < lines.length; k++) {
      String file = line(headerLine + 1 + k);
      boolean lastAfterNewline = k == lines.length - 1 && lines[k].isEmpty();
      if (lastAfterNewline) {
        continue;
      }
      if (file == null || (lines[k].isEmpty() ? !file.isBlank()
          : !(file.length() == indent + lines[k].length() && file.startsWith(lines[k], indent)))) {
        return null;
      }
    }
    return new YamlScalar.TextSpan(headerLine + 1, indent + 1, true);
  }

  /** Line {@code number} (1-based) without its line break, or null. */
  private String line(int number) {
    if (lineStarts == null) {
      lineStarts = lineStarts(text);
    }
    if (number < 1 || number > lineStarts.length) {
      return null;
    }
    int start = lineStarts[number - 1];
    int end = number < lineStarts.length ? lineStarts[number] : text.length();
    while (end > start && isBreak(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  private static int[] lineStarts(String text) {
    int[] starts = new int[16];
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        continue;
      }
      if (isBreak(c)) {
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, count * 2);
        }
        starts[count++] = i + 1;
      }
    }
    return Arrays.copyOf(starts, count);
  }

  /** YAML 1.1's line breaks, as SnakeYAML counts lines. */
  private static boolean isBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }
}
