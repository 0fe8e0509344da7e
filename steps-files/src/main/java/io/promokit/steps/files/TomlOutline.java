package io.promokit.steps.files;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each value of a TOML document is in its text: every table, array, inline table and scalar by its key
 * path, each scalar with the character range of its text. Paths are as toml-update addresses them (Kargo's
 * rules): table headers and dotted keys name tables, the n-th {@code [[name]]} is {@code name.<n>}, array
 * elements are addressed by index, keys inside inline tables count.
 *
 * <p>The scanner expects valid TOML (the caller has parsed the text with a TOML parser first) and does not
 * check what TOML forbids beyond what it must understand to find the values.
 */
final class TomlOutline {

  /** What a path addresses; the names are go-toml's, as Kargo's messages print them. */
  enum Kind {
    TABLE("Table"), ARRAY_TABLE("ArrayTable"), ARRAY("Array"), INLINE_TABLE("InlineTable"),
    STRING("String"), BOOL("Bool"), INTEGER("Integer"), FLOAT("Float"),
    LOCAL_DATE("LocalDate"), LOCAL_TIME("LocalTime"), LOCAL_DATE_TIME("LocalDateTime"), DATE_TIME("DateTime");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }

    boolean isScalar() {
      return ordinal() >= STRING.ordinal();
    }
  }

  /** One value: its kind and, for a scalar, where its text starts and ends. */
  record Node(Kind kind, int start, int end) {}

  private final Map<List<String>, Node> nodes;

  private TomlOutline(Map<List<String>, Node> nodes) {
    this.nodes = nodes;
  }

  /** The outline of a (valid) TOML text. */
  static TomlOutline of(String text) {
    return new TomlOutline(new Scanner(text).document());
  }

  /** The value at the path, or null. */
  Node at(List<String> path) {
    return nodes.get(path);
  }

  /** The character-level scanner; positions are indexes into the Java string. */
  private static final class Scanner {
    private final String text;
    private final Map<List<String>, Node> nodes = new LinkedHashMap<>();
    private final Map<List<String>, Integer> arrayTableCounts = new HashMap<>();
    private int pos;

    Scanner(String text) {
      this.text = text;
      this.pos = text.startsWith("\ufeff") ? 1 : 0;
    }

    Map<List<String>, Node> document() {
      List<String> table = List.of();
      while (true) {
        skipBlankLinesAndComments();
        if (pos >= text.length()) {
          return nodes;
        }
        if (peek() == '[') {
          table = header();
        } else {
          keyValue(table);
        }
        skipSpaces();
        skipComment();
      }
    }

    /** A {@code [table]} or {@code [[array.of.tables]]} header; returns the path of what follows it. */
    private List<String> header() {
      boolean arrayTable = text.startsWith("[[", pos);
      pos += arrayTable ? 2 : 1;
      List<String> key = key();
      pos += arrayTable ? 2 : 1;
      List<String> path = resolve(key);
      registerParents(path);
      if (!arrayTable) {
        nodes.put(path, new Node(Kind.TABLE, -1, -1));
        return path;
      }
      int index = arrayTableCounts.merge(path, 1, Integer::sum) - 1;
      nodes.put(path, new Node(Kind.ARRAY_TABLE, -1, -1));
      List<String> element = append(path, String.valueOf(index));
      nodes.put(element, new Node(Kind.ARRAY_TABLE, -1, -1));
      return element;
    }

    /** A header's key names, each one that is an array of tables meaning its last element (TOML's rule). */
    private List<String> resolve(List<String> key) {
      List<String> path = new ArrayList<>();
      for (int i = 0; i < key.size(); i++) {
        path.add(key.get(i));
        Integer count = arrayTableCounts.get(path);
        if (count != null && i < key.size() - 1) {
          path.add(String.valueOf(count - 1));
        }
      }
      return List.copyOf(path);
    }

    private void keyValue(List<String> table) {
      List<String> key = key();
      skipSpaces();
      pos++; // '='
      List<String> path = new ArrayList<>(table);
      path.addAll(key);
      registerParents(path);
      value(List.copyOf(path));
    }

    /** Tables a header or dotted key creates on the way, unless something already holds the name. */
    private void registerParents(List<String> path) {
      for (int i = 1; i < path.size(); i++) {
        nodes.putIfAbsent(List.copyOf(path.subList(0, i)), new Node(Kind.TABLE, -1, -1));
      }
    }

    private void value(List<String> path) {
      skipSpaces();
      int start = pos;
      char c = peek();
      switch (c) {
        case '"' -> scalar(path, Kind.STRING, start, text.startsWith("\"\"\"", pos) ? multiLineEnd("\"\"\"") : basicEnd());
        case '\'' -> scalar(path, Kind.STRING, start, text.startsWith("'''", pos) ? multiLineEnd("'''") : literalEnd());
        case '[' -> array(path);
        case '{' -> inlineTable(path);
        default -> bareValue(path, start);
      }
    }

    private void scalar(List<String> path, Kind kind, int start, int end) {
      pos = end;
      nodes.put(path, new Node(kind, start, end));
    }

    private void array(List<String> path) {
      nodes.put(path, new Node(Kind.ARRAY, -1, -1));
      pos++;
      int index = 0;
      while (true) {
        skipBlankLinesAndComments();
        if (peek() == ']') {
          pos++;
          return;
        }
        value(append(path, String.valueOf(index++)));
        skipBlankLinesAndComments();
        if (peek() == ',') {
          pos++;
        }
      }
    }

    private void inlineTable(List<String> path) {
      nodes.put(path, new Node(Kind.INLINE_TABLE, -1, -1));
      pos++;
      while (true) {
        skipBlankLinesAndComments();
        if (peek() == '}') {
          pos++;
          return;
        }
        List<String> key = key();
        skipSpaces();
        pos++; // '='
        List<String> child = new ArrayList<>(path);
        child.addAll(key);
        registerParents(child);
        value(List.copyOf(child));
        skipBlankLinesAndComments();
        if (peek() == ',') {
          pos++;
        }
      }
    }

    /** Integers, floats, booleans and date-times: a run of their characters (a date and time may be split by one space). */
    private void bareValue(List<String> path, int start) {
      while (pos < text.length() && isBareValueChar(text.charAt(pos))) {
        pos++;
      }
      String token = text.substring(start, pos);
      if (token.matches("\\d{4}-\\d{2}-\\d{2}") && pos + 3 < text.length() && text.charAt(pos) == ' '
          && Character.isDigit(text.charAt(pos + 1)) && Character.isDigit(text.charAt(pos + 2))
          && text.charAt(pos + 3) == ':') {
        pos++;
        while (pos < text.length() && isBareValueChar(text.charAt(pos))) {
          pos++;
        }
        token = text.substring(start, pos);
      }
      if (token.isEmpty()) {
        throw new IllegalArgumentException("no value at offset " + start);
      }
      nodes.put(path, new Node(kindOf(token), start, pos));
    }

    private static Kind kindOf(String token) {
      if (token.equals("true") || token.equals("false")) {
        return Kind.BOOL;
      }
      boolean date = token.length() >= 10 && token.charAt(4) == '-' && token.charAt(7) == '-'
          && Character.isDigit(token.charAt(0));
      if (date) {
        if (token.length() == 10) {
          return Kind.LOCAL_DATE;
        }
        String time = token.substring(11);
        return time.endsWith("Z") || time.endsWith("z") || time.contains("+") || time.contains("-")
            ? Kind.DATE_TIME : Kind.LOCAL_DATE_TIME;
      }
      if (token.length() >= 5 && token.charAt(2) == ':') {
        return Kind.LOCAL_TIME;
      }
      String unsigned = token.startsWith("+") || token.startsWith("-") ? token.substring(1) : token;
      if (unsigned.startsWith("0x") || unsigned.startsWith("0o") || unsigned.startsWith("0b")) {
        return Kind.INTEGER;
      }
      return unsigned.equals("inf") || unsigned.equals("nan") || unsigned.contains(".") || unsigned.contains("e")
          || unsigned.contains("E") ? Kind.FLOAT : Kind.INTEGER;
    }

    private static boolean isBareValueChar(char c) {
      return Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.' || c == '_' || c == ':';
    }

    /** A dotted key: bare, "basic" or 'literal' parts separated by dots (with optional spaces around them). */
    private List<String> key() {
      List<String> parts = new ArrayList<>();
      while (true) {
        skipSpaces();
        char c = peek();
        if (c == '"') {
          int start = pos;
          int end = basicEnd();
          parts.add(TomlStrings.unescapeBasic(text.substring(start + 1, end - 1)));
          pos = end;
        } else if (c == '\'') {
          int start = pos;
          int end = literalEnd();
          parts.add(text.substring(start + 1, end - 1));
          pos = end;
        } else {
          int start = pos;
          while (pos < text.length() && isBareKeyChar(text.charAt(pos))) {
            pos++;
          }
          parts.add(text.substring(start, pos));
        }
        skipSpaces();
        if (peek() != '.') {
          return List.copyOf(parts);
        }
        pos++;
      }
    }

    private static boolean isBareKeyChar(char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** The end (exclusive) of the "basic string" starting at pos. */
    private int basicEnd() {
      int i = pos + 1;
      while (i < text.length() && text.charAt(i) != '"') {
        i += text.charAt(i) == '\\' ? 2 : 1;
      }
      return i + 1;
    }

    private int literalEnd() {
      int close = text.indexOf('\'', pos + 1);
      return close < 0 ? text.length() : close + 1;
    }

    /** The end of a multi-line string: the closing quotes, which may be preceded by up to two quotes of content. */
    private int multiLineEnd(String quotes) {
      boolean basic = quotes.charAt(0) == '"';
      int i = pos + 3;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (basic && c == '\\') {
          i += 2;
          continue;
        }
        if (text.startsWith(quotes, i)) {
          int run = 3;
          while (run < 5 && i + run < text.length() && text.charAt(i + run) == quotes.charAt(0)) {
            run++;
          }
          return i + run;
        }
        i++;
      }
      return text.length();
    }

    private void skipSpaces() {
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
        pos++;
      }
    }

    private void skipComment() {
      if (pos < text.length() && text.charAt(pos) == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      }
    }

    private void skipBlankLinesAndComments() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
          pos++;
        } else if (c == '#') {
          skipComment();
        } else {
          return;
        }
      }
    }

    private char peek() {
      if (pos >= text.length()) {
        throw new IllegalArgumentException("unexpected end of the TOML text");
      }
      return text.charAt(pos);
    }

    private static List<String> append(List<String> path, String name) {
      List<String> result = new ArrayList<>(path);
      result.add(name);
      return List.copyOf(result);
    }
  }
}
