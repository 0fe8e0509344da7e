package io.promokit.steps.files;

/** TOML string text: writing a string as go-toml does (what Kargo writes), and reading a quoted key. */
final class TomlStrings {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private TomlStrings() {}

  /**
   * The string as a TOML literal {@code 'text'}, or as a basic {@code "text"} with escapes when it holds a
   * {@code '} or a control character (a literal string cannot), as go-toml v2 writes it.
   */
  static String format(String value) {
    boolean needsBasic = false;
    for (int i = 0; i < value.length() && !needsBasic; i++) {
      char c = value.charAt(i);
      needsBasic = c == '\'' || c < 0x20 || c == 0x7f;
    }
    if (!needsBasic) {
      return "'" + value + "'";
    }
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** The text of a basic string's content (between the quotes) with its escapes resolved. */
  static String unescapeBasic(String content) {
    StringBuilder sb = new StringBuilder(content.length());
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (c != '\\' || i + 1 >= content.length()) {
        sb.append(c);
        continue;
      }
      char e = content.charAt(++i);
      switch (e) {
        case 'b' -> sb.append('\b');
        case 't' -> sb.append('\t');
        case 'n' -> sb.append('\n');
        case 'f' -> sb.append('\f');
        case 'r' -> sb.append('\r');
        case 'e' -> sb.append('\u001b');
        case 'u', 'U' -> {
          int digits = e == 'u' ? 4 : 8;
          int end = Math.min(content.length(), i + 1 + digits);
          sb.appendCodePoint(Integer.parseInt(content.substring(i + 1, end), 16));
          i = end - 1;
        }
        default -> sb.append(e);
      }
    }
    return sb.toString();
  }
}
