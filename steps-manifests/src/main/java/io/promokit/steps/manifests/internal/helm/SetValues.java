package io.promokit.steps.manifests.internal.helm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helm's {@code --set} and {@code --set-literal} syntax (Helm's strvals), applied to a values tree:
 * {@code a.b=1}, {@code list[0].name=x}, {@code tags={a,b}}, several pairs separated by commas, {@code \}
 * escaping the next character. In typed mode {@code true}, {@code false}, {@code null} and integers without a
 * leading zero get their type; in literal mode the whole rest after {@code =} is one string.
 */
final class SetValues {

  private static final int MAX_INDEX = 65536;

  private final String text;
  private final boolean literal;
  private int pos;

  private SetValues(String text, boolean literal) {
    this.text = text;
    this.literal = literal;
  }

  /** Applies {@code key=value[,key=value...]} (typed) to {@code values}. */
  static void applyTyped(String assignment, Map<String, Object> values) {
    new SetValues(assignment, false).parse(values);
  }

  /** Applies {@code key=value} with the value taken literally. */
  static void applyLiteral(String assignment, Map<String, Object> values) {
    new SetValues(assignment, true).parse(values);
  }

  private void parse(Map<String, Object> values) {
    while (pos < text.length()) {
      key(values);
    }
  }

  /** Reads up to (and consumes) one of the stop characters; returns the text and the stop (-1 at the end). */
  private Token until(String stops) {
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '\\' && pos < text.length()) {
        sb.append(text.charAt(pos++));
      } else if (stops.indexOf(c) >= 0) {
        return new Token(sb.toString(), c);
      } else {
        sb.append(c);
      }
    }
    return new Token(sb.toString(), -1);
  }

  private record Token(String text, int stop) {}

  @SuppressWarnings("unchecked")
  private void key(Map<String, Object> data) {
    Token token = until(literal ? "=[." : "=[,.");
    String key = token.text();
    switch (token.stop()) {
      case -1 -> throw new IllegalArgumentException("key \"" + key + "\" has no value");
      case '[' -> {
        int index = index();
        List<Object> list = data.get(key) instanceof List<?> l ? (List<Object>) l : new ArrayList<>();
        set(data, key, listItem(list, index));
      }
      case '=' -> set(data, key, value());
      case ',' -> {
        set(data, key, "");
        throw new IllegalArgumentException("key \"" + key + "\" has no value (cannot end with ,)");
      }
      default -> {   // '.'
        Map<String, Object> inner = data.get(key) instanceof Map<?, ?> m
            ? (Map<String, Object>) m : new LinkedHashMap<>();
        key(inner);
        if (inner.isEmpty()) {
          throw new IllegalArgumentException("key map \"" + key + "\" has no value");
        }
        set(data, key, inner);
      }
    }
  }

  private Object value() {
    if (literal) {
      String rest = text.substring(pos);
      pos = text.length();
      return rest;
    }
    if (pos < text.length() && text.charAt(pos) == '{') {
      pos++;
      List<Object> items = new ArrayList<>();
      while (true) {
        Token item = until(",}");
        if (item.stop() == -1) {
          throw new IllegalArgumentException("list must terminate with '}'");
        }
        items.add(typed(item.text()));
        if (item.stop() == '}') {
          if (pos < text.length() && text.charAt(pos++) != ',') {
            throw new IllegalArgumentException("list must be followed by ',' or the end of the value");
          }
          return items;
        }
      }
    }
    return typed(until(",").text());
  }

  private int index() {
    Token token = until("]");
    if (token.stop() == -1) {
      throw new IllegalArgumentException("index of \"" + token.text() + "\" is not closed with ]");
    }
    int index;
    try {
      index = Integer.parseInt(token.text());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + token.text() + "\" is not a list index");
    }
    if (index < 0 || index > MAX_INDEX) {
      throw new IllegalArgumentException("list index " + index + " is out of range (0 to " + MAX_INDEX + ")");
    }
    return index;
  }

  @SuppressWarnings("unchecked")
  private List<Object> listItem(List<Object> list, int index) {
    List<Object> result = new ArrayList<>(list);
    while (result.size() <= index) {
      result.add(null);
    }
    if (pos >= text.length()) {
      throw new IllegalArgumentException("list item " + index + " has no value");
    }
    char c = text.charAt(pos++);
    switch (c) {
      case '=' -> result.set(index, value());
      case '.' -> {
        Map<String, Object> inner = result.get(index) instanceof Map<?, ?> m
            ? (Map<String, Object>) m : new LinkedHashMap<>();
        key(inner);
        result.set(index, inner);
      }
      case '[' -> {
        int inner = index();
        List<Object> nested = result.get(index) instanceof List<?> l ? (List<Object>) l : new ArrayList<>();
        result.set(index, listItem(nested, inner));
      }
      default -> throw new IllegalArgumentException("unexpected '" + c + "' after list index " + index);
    }
    return result;
  }

  private Object typed(String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equalsIgnoreCase("null")) {
      return null;
    }
    if (value.equals("0")) {
      return 0L;
    }
    if (!value.isEmpty() && value.charAt(0) != '0') {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        return value;
      }
    }
    return value;
  }

  private static void set(Map<String, Object> data, String key, Object value) {
    if (!key.isEmpty()) {
      data.put(key, value);
    }
  }
}
