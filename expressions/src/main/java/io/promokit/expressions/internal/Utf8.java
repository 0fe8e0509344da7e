package io.promokit.expressions.internal;

import java.nio.charset.StandardCharsets;

/**
 * Strings as Go indexes them: by UTF-8 byte. expr-lang's {@code s[i]} is the byte at i (a number), and
 * {@code s[a:b]}, {@code indexOf} and {@code lastIndexOf} count bytes; only {@code len} counts characters.
 * For ASCII text, the common case, bytes and characters coincide and no encoding is done.
 */
final class Utf8 {
  private Utf8() {}

  private static final char REPLACEMENT = '\uFFFD';

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** The length in UTF-8 bytes. */
  static int length(String s) {
    return isAscii(s) ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The byte at {@code index} (0 <= index < length), 0-255. */
  static long byteAt(String s, int index) {
    if (isAscii(s)) {
      return s.charAt(index);
    }
    return s.getBytes(StandardCharsets.UTF_8)[index] & 0xff;
  }

  /** The UTF-8 byte offset of a char offset. */
  static long byteOffset(String s, int charIndex) {
    if (charIndex < 0) {
      return charIndex;
    }
    String prefix = s.substring(0, charIndex);
    return isAscii(prefix) ? charIndex : prefix.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The bytes {@code [from, to)} (0 <= from <= to <= length) as a string. Go keeps the raw bytes of a
   * character that the cut splits; a Java string cannot, so each such byte becomes U+FFFD, which is what
   * Kargo's JSON output shows for it.
   */
  static String slice(String s, int from, int to) {
    if (isAscii(s)) {
      return s.substring(from, to);
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(to - from);
    int start = from;
    while (start < to && isContinuation(bytes[start])) {
      out.append(REPLACEMENT);
      start++;
    }
    int end = to;
    int lead = to - 1;
    while (lead >= start && isContinuation(bytes[lead])) {
      lead--;
    }
    if (lead >= start && sequenceLength(bytes[lead]) > to - lead) {
      end = lead; // the last character is cut: its bytes follow as replacements
    }
    out.append(new String(bytes, start, end - start, StandardCharsets.UTF_8));
    for (int i = end; i < to; i++) {
      out.append(REPLACEMENT);
    }
    return out.toString();
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static int sequenceLength(byte lead) {
    int b = lead & 0xff;
    if (b < 0x80) {
      return 1;
    }
    if (b >= 0xF0) {
      return 4;
    }
    return b >= 0xE0 ? 3 : 2;
  }
}
