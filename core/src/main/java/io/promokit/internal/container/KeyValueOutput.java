package io.promokit.internal.container;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses GitHub Actions' output-file syntax: {@code key=value} lines (the value is everything after the
 * first {@code =}, quotes kept), {@code key<<DELIM} ... {@code DELIM} for multi-line values, CRLF
 * accepted, lines without {@code =} ignored, a later key replacing an earlier one.
 */
final class KeyValueOutput {

  private KeyValueOutput() {}

  /**
   * @throws OutputException for an unterminated heredoc, a heredoc without delimiter, or an empty key,
   *     naming the line
   */
  static Map<String, Object> parse(String text) {
    Map<String, Object> values = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = withoutCr(lines[i]);
      int equals = line.indexOf('=');
      int heredoc = line.indexOf("<<");
      if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
        String key = line.substring(0, equals);
        requireKey(key, i + 1);
        values.put(key, line.substring(equals + 1));
      } else if (heredoc >= 0) {
        String key = line.substring(0, heredoc);
        requireKey(key, i + 1);
        String delimiter = line.substring(heredoc + 2);
        if (delimiter.isEmpty()) {
          throw new OutputException("not valid KeyValue: line " + (i + 1) + ": heredoc for \"" + key + "\" has no delimiter after <<");
        }
        StringBuilder value = new StringBuilder();
        int start = i + 1;
        int j = start;
        while (j < lines.length && !withoutCr(lines[j]).equals(delimiter)) {
          if (j > start) {
            value.append('\n');
          }
          value.append(withoutCr(lines[j]));
          j++;
        }
        if (j >= lines.length) {
          throw new OutputException("not valid KeyValue: line " + (i + 1) + ": heredoc for \"" + key + "\" is not terminated by a line \""
              + delimiter + "\"");
        }
        values.put(key, value.toString());
        i = j;
      }
    }
    return values;
  }

  private static void requireKey(String key, int line) {
    if (key.isEmpty()) {
      throw new OutputException("not valid KeyValue: line " + line + ": the key before \"=\" or \"<<\" is empty");
    }
  }

  private static String withoutCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
