package io.promokit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The project's notation for a place inside a config tree, as messages print it: {@code config.apps[0].name},
 * or {@code config['my-key']} for a key that is not an identifier.
 */
public final class ConfigPath {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ConfigPath() {}

  /** The path of {@code key} inside the map at {@code parent}. */
  public static String key(String parent, String key) {
    if (IDENTIFIER.matcher(key).matches()) {
      return parent.isEmpty() ? key : parent + "." + key;
    }
    return parent + "['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']";
  }

  /** The path of item {@code index} of the list at {@code parent}. */
  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /**
   * The config path a message starts with ({@code config.apps[0].name: must be ...}, also after
   * {@code invalid config: }), or null when it starts with none.
   */
  public static String leading(String message) {
    String text = message.startsWith("invalid config: ") ? message.substring("invalid config: ".length()) : message;
    if (!text.startsWith("config")) {
      return null;
    }
    int end = pathEnd(text);
    if (end < 0) {
      return null;
    }
    String path = text.substring(0, end);
    List<String> segments = segments(path);
    return segments == null || segments.isEmpty() || !segments.get(0).equals("config") ? null : path;
  }

  /** Where the leading path of a message ends (the {@code ": "} after it, outside quotes), or -1. */
  public static int pathEnd(String message) {
    char quote = 0;
    for (int i = 0; i + 1 < message.length(); i++) {
      char c = message.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == ':' && message.charAt(i + 1) == ' ') {
        return i;
      } else if (c == ' ') {
        return -1;
      }
    }
    return -1;
  }

  /**
   * The segments of a path: {@code config.apps[0]['a.b']} gives {@code [config, apps, 0, a.b]}. Reads
   * {@code .name}, {@code [0]}, {@code ['key']} and {@code ["key"]}; returns null for text that is not a path.
   */
  public static List<String> segments(String path) {
    List<String> segments = new ArrayList<>();
    int i = 0;
    int n = path.length();
    StringBuilder name = new StringBuilder();
    while (i < n) {
      char c = path.charAt(i);
      if (c == '.') {
        flush(name, segments);
        i++;
      } else if (c == '[') {
        flush(name, segments);
        int close;
        if (i + 1 < n && (path.charAt(i + 1) == '\'' || path.charAt(i + 1) == '"')) {
          char quote = path.charAt(i + 1);
          StringBuilder key = new StringBuilder();
          int j = i + 2;
          while (j < n && path.charAt(j) != quote) {
            if (path.charAt(j) == '\\' && j + 1 < n) {
              j++;
            }
            key.append(path.charAt(j));
            j++;
          }
          if (j + 1 >= n || path.charAt(j + 1) != ']') {
            return null;
          }
          segments.add(key.toString());
          close = j + 1;
        } else {
          close = path.indexOf(']', i);
          if (close < 0) {
            return null;
          }
          segments.add(path.substring(i + 1, close));
        }
        i = close + 1;
      } else if (c == ' ' || c == ':') {
        return null;
      } else {
        name.append(c);
        i++;
      }
    }
    flush(name, segments);
    return segments;
  }

  private static void flush(StringBuilder name, List<String> segments) {
    if (name.length() > 0) {
      segments.add(name.toString());
      name.setLength(0);
    }
  }
}
