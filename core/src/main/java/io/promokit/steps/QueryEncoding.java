package io.promokit.steps;

import java.nio.charset.StandardCharsets;

/**
 * Encodes query parameter names and values as Go's {@code url.QueryEscape} does (what Kargo sends): letters,
 * digits and {@code -_.~} stay, a space becomes {@code +}, every other byte of the UTF-8 form becomes
 * {@code %XX}.
 */
final class QueryEncoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private QueryEncoding() {}

  static String encode(String text) {
    StringBuilder sb = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }
}
