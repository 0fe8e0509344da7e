package io.promokit.internal;

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
}
