package io.promokit.expressions;

import java.util.Objects;

/**
 * How promokit writes a string inside double quotes, in the two forms Kargo users meet: JSON's (records,
 * {@code toJSON()}, messages that quote a value or a path) and Go's {@code strconv.Quote} (messages of
 * expr-lang functions, as Kargo's own errors read). The one string escaper of promokit: messages, the
 * JSON writers and the {@link SecretMasker} (which masks a secret in these escaped forms too) use it.
 */
public final class Quoting {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Quoting() {}

  /**
   * The string as a JSON string literal: {@code "} and {@code \} escaped, {@code \n \r \t \b \f} by name,
   * other control characters and U+2028/U+2029 as four-digit unicode escapes, everything else as it is.
   */
  public static String json(String s) {
    Objects.requireNonNull(s, "s must not be null");
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            appendUnicodeEscape(sb, c);
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /**
   * The string as Go's {@code strconv.Quote} writes it: {@code "} and {@code \} escaped, {@code \a \b \f \n
   * \r \t \v} by name, other non-printable characters as hex, 4-digit or 8-digit unicode escapes,
   * printable Unicode as it is.
   */
  public static String go(String s) {
    Objects.requireNonNull(s, "s must not be null");
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case 0x07 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 0x0b -> sb.append("\\v");
        default -> appendGo(sb, cp);
      }
    }
    return sb.append('"').toString();
  }

  /** The inside of {@link #json} (no surrounding quotes). */
  public static String jsonEscaped(String s) {
    String quoted = json(s);
    return quoted.substring(1, quoted.length() - 1);
  }

  /** The inside of {@link #go} (no surrounding quotes). */
  public static String goEscaped(String s) {
    String quoted = go(s);
    return quoted.substring(1, quoted.length() - 1);
  }

  private static void appendGo(StringBuilder sb, int cp) {
    if (isGoPrintable(cp)) {
      sb.appendCodePoint(cp);
    } else if (cp < 0x80) {
      sb.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xf]);
    } else if (Character.isSurrogate((char) cp)) {
      sb.append("\\ufffd"); // a lone surrogate is not valid UTF-8: Go writes the replacement character
    } else if (cp < 0x10000) {
      appendUnicodeEscape(sb, cp);
    } else {
      sb.append(String.format("\\U%08x", cp));
    }
  }

  private static void appendUnicodeEscape(StringBuilder sb, int c) {
    sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }

  /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  private static boolean isGoPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER,
          Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL:
        return true;
      default:
        return false;
    }
  }
}
