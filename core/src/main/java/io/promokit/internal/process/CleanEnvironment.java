package io.promokit.internal.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a process promokit starts begins with: nothing from the host but a few variables that
 * make programs behave (where to find programs, the user, the locale, the time zone, the temp directory).
 * Shared by the local container runtime and the step kit's process runner.
 */
public final class CleanEnvironment {

  /** The host variables passed through, when the host has them. */
  public static final List<String> PASSED_THROUGH =
      List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR");

  /** {@link #PASSED_THROUGH} in words, for documentation. */
  public static final String PASSED_THROUGH_DESCRIPTION =
      "PATH, HOME, USER, LOGNAME, LANG, LANGUAGE, LC_ALL, LC_CTYPE, TZ and TMPDIR";

  /** PATH when the host has none. */
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private CleanEnvironment() {}

  /**
   * The passed-through variables the host has (plus {@code extra} names), with {@link #DEFAULT_PATH} when the
   * host has no PATH; a new mutable map in {@link #PASSED_THROUGH} order.
   */
  public static Map<String, String> from(Map<String, String> host, List<String> extra) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : PASSED_THROUGH) {
      copy(host, name, env);
    }
    for (String name : extra) {
      copy(host, name, env);
    }
    env.putIfAbsent("PATH", DEFAULT_PATH);
    return env;
  }

  private static void copy(Map<String, String> host, String name, Map<String, String> env) {
    String value = host.get(name);
    if (value != null) {
      env.put(name, value);
    }
  }
}
