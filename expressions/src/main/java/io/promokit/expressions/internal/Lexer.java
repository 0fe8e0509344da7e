package io.promokit.expressions.internal;

import java.util.ArrayList;
import java.util.List;

/** Splits an expr-lang expression into tokens, following expr-lang's lexer (strings, numbers, comments). */
final class Lexer {

  enum Kind { IDENT, NUMBER, STRING, OPERATOR, BRACKET, EOF }

  /** A token; {@code start}/{@code end} are offsets in the expression text. */
  record Token(Kind kind, String value, int start, int end) {
    boolean is(Kind k, String v) {
      return kind == k && value.equals(v);
    }

    boolean isOp(String v) {
      return is(Kind.OPERATOR, v);
    }

    boolean isBracket(String v) {
      return is(Kind.BRACKET, v);
    }

    String describe() {
      switch (kind) {
        case EOF:
          return "end of expression";
        case STRING:
          return "string " + Strings.goQuote(value);
        case NUMBER:
          return "number " + value;
        case IDENT:
          return "name " + value;
        default:
          return "\"" + value + "\"";
      }
    }
  }

  private static final java.util.Set<String> WORD_OPERATORS = java.util.Set.of(
      "in", "or", "and", "matches", "contains", "startsWith", "endsWith", "let", "if", "else");

  private final String src;
  private int pos;
  private final List<Token> tokens = new ArrayList<>();

  private Lexer(String src) {
    this.src = src;
  }

  static List<Token> lex(String src) {
    Lexer l = new Lexer(src);
    l.run();
    return l.tokens;
  }

  private void run() {
    while (true) {
      skipSpaceAndComments();
      if (pos >= src.length()) {
        tokens.add(new Token(Kind.EOF, "", src.length(), src.length()));
        return;
      }
      int start = pos;
      char c = src.charAt(pos);
      if (c == '\'' || c == '"') {
        String value = scanQuoted(c);
        tokens.add(new Token(Kind.STRING, value, start, pos));
      } else if (c == '`') {
        int close = src.indexOf('`', pos + 1);
        if (close < 0) {
          throw new SyntaxError("unterminated string", start);
        }
        pos = close + 1;
        tokens.add(new Token(Kind.STRING, src.substring(start + 1, close).replace("\r\n", "\n"), start, pos));
      } else if ((c == 'b' || c == 'B') && pos + 1 < src.length()
          && (src.charAt(pos + 1) == '\'' || src.charAt(pos + 1) == '"')) {
        throw new SyntaxError("byte string literals (b\"...\") are not supported", start);
      } else if (c >= '0' && c <= '9' || c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1))) {
        scanNumber();
        tokens.add(new Token(Kind.NUMBER, src.substring(start, pos), start, pos));
      } else if (isIdentStart(c)) {
        pos++;
        while (pos < src.length() && isIdentPart(src.charAt(pos))) {
          pos++;
        }
        String word = src.substring(start, pos);
        if (word.equals("not")) {
          tokens.add(new Token(Kind.OPERATOR, word, start, pos));
        } else {
          tokens.add(new Token(WORD_OPERATORS.contains(word) ? Kind.OPERATOR : Kind.IDENT, word, start, pos));
        }
      } else if (c == '(' || c == '[' || c == '{' || c == ')' || c == ']' || c == '}') {
        pos++;
        tokens.add(new Token(Kind.BRACKET, String.valueOf(c), start, pos));
      } else {
        tokens.add(scanOperator(start));
      }
    }
  }

  private Token scanOperator(int start) {
    char c = src.charAt(pos++);
    String op;
    switch (c) {
      case '?':
        op = accept(".?") ? src.substring(start, pos) : "?";
        break;
      case '|':
        op = accept("|") ? "||" : "|";
        break;
      case ':':
        op = accept(":") ? "::" : ":";
        break;
      case '.':
        op = accept(".") ? ".." : ".";
        break;
      case '#':
        op = "#";
        break;
      case ',': case ';': case '%': case '+': case '-': case '^': case '/':
        op = String.valueOf(c);
        break;
      case '&': case '!': case '=': case '*': case '<': case '>':
        accept("&=*");
        op = src.substring(start, pos);
        break;
      default:
        throw new SyntaxError("unexpected character " + describeChar(src.codePointAt(start)), start);
    }
    return new Token(Kind.OPERATOR, op, start, pos);
  }

  private static String describeChar(int cp) {
    if (cp < 0x20 || cp == 0x7f) {
      return String.format("U+%04X", cp);
    }
    return "\"" + new String(Character.toChars(cp)) + "\"";
  }

  private boolean accept(String valid) {
    if (pos < src.length() && valid.indexOf(src.charAt(pos)) >= 0) {
      pos++;
      return true;
    }
    return false;
  }

  private void skipSpaceAndComments() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        pos++;
      } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
        int close = src.indexOf("*/", pos + 2);
        if (close < 0) {
          throw new SyntaxError("unclosed comment", pos);
        }
        pos = close + 2;
      } else {
        return;
      }
    }
  }

  private void scanNumber() {
    String digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    acceptRun(digits);
    if (pos < src.length() && src.charAt(pos) == '.') {
      if (pos + 1 < src.length() && src.charAt(pos + 1) == '.') {
        return; // range operator 1..2
      }
      pos++;
      acceptRun(digits);
    }
    if (accept("eE")) {
      accept("+-");
      acceptRun(digits);
    }
    if (pos < src.length() && isIdentPart(src.charAt(pos))) {
      int start = pos;
      while (pos < src.length() && isIdentPart(src.charAt(pos))) {
        pos++;
      }
      throw new SyntaxError("bad number syntax: \"" + src.substring(start - 1, pos) + "\"", start);
    }
  }

  private void acceptRun(String valid) {
    while (pos < src.length() && valid.indexOf(src.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private String scanQuoted(char quote) {
    int start = pos;
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= src.length()) {
        throw new SyntaxError("unterminated string", start);
      }
      char c = src.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (c == '\n') {
        // As expr-lang: a quoted string ends on its line (backquoted strings may span lines).
        throw new SyntaxError("unterminated string: a line break inside quotes (write \\n, or use backquotes)",
            start);
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= src.length()) {
        throw new SyntaxError("unterminated string", start);
      }
      int escStart = pos - 1;
      char e = src.charAt(pos++);
      switch (e) {
        case 'a': sb.append('\u0007'); break;
        case 'b': sb.append('\b'); break;
        case 'f': sb.append('\f'); break;
        case 'n': sb.append('\n'); break;
        case 'r': sb.append('\r'); break;
        case 't': sb.append('\t'); break;
        case 'v': sb.append('\u000b'); break;
        case '\\': sb.append('\\'); break;
        case 'x':
          sb.appendCodePoint(hex(2, escStart));
          break;
        case 'u':
          if (pos < src.length() && src.charAt(pos) == '{') {
            int close = src.indexOf('}', pos);
            if (close < 0 || close == pos + 1 || close - pos - 1 > 6) {
              throw new SyntaxError("invalid escape sequence in string", escStart);
            }
            int cp = parseHex(src.substring(pos + 1, close), escStart);
            pos = close + 1;
            appendCodePoint(sb, cp, escStart);
          } else {
            appendCodePoint(sb, hex(4, escStart), escStart);
          }
          break;
        case 'U':
          appendCodePoint(sb, hex(8, escStart), escStart);
          break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
          if (pos + 1 >= src.length()) {
            throw new SyntaxError("invalid escape sequence in string", escStart);
          }
          String oct = src.substring(pos - 1, pos + 2);
          if (!oct.chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
            throw new SyntaxError("invalid escape sequence in string", escStart);
          }
          int v = Integer.parseInt(oct, 8);
          if (v > 255) {
            throw new SyntaxError("invalid escape sequence in string", escStart);
          }
          pos += 2;
          sb.append((char) v);
          break;
        default:
          // Only the string's own quote may be escaped; expr-lang rejects \? \` and the other quote.
          if (e == quote) {
            sb.append(e);
            break;
          }
          throw new SyntaxError("invalid escape sequence \"\\" + e + "\" in string", escStart);
      }
    }
  }

  private static void appendCodePoint(StringBuilder sb, int cp, int at) {
    if (cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
      throw new SyntaxError("invalid escape sequence in string", at);
    }
    sb.appendCodePoint(cp);
  }

  private int hex(int n, int escStart) {
    if (pos + n > src.length()) {
      throw new SyntaxError("invalid escape sequence in string", escStart);
    }
    int v = parseHex(src.substring(pos, pos + n), escStart);
    pos += n;
    return v;
  }

  private static int parseHex(String digits, int at) {
    long v = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = Character.digit(digits.charAt(i), 16);
      if (d < 0) {
        throw new SyntaxError("invalid escape sequence in string", at);
      }
      v = v * 16 + d;
    }
    if (v > Integer.MAX_VALUE) {
      throw new SyntaxError("invalid escape sequence in string", at);
    }
    return (int) v;
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isIdentStart(char c) {
    return c == '_' || c == '$' || Character.isLetter(c);
  }

  static boolean isIdentPart(char c) {
    return isIdentStart(c) || Character.isDigit(c);
  }
}
