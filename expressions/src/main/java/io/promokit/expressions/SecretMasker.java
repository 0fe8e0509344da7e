package io.promokit.expressions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers secret values and replaces each of them by {@code ***} wherever they appear in a string.
 *
 * <p>One masker belongs to one promotion (it is not global). Values returned by {@code secret()} and
 * {@code sharedSecret()} are registered automatically; hosts may register more. A multi-line value is
 * also registered line by line (lines of at least {@value #MIN_LINE_LENGTH} characters), so that output
 * streamed one line at a time is masked too. A value holding a quote, a backslash or a control character
 * is also registered in its escaped forms (as JSON and Go quote it, without the quotes), so that it is
 * masked inside JSON text and inside error messages that quote values. Thread-safe.
 */
public final class SecretMasker {

  /** The replacement for every secret value. */
  public static final String MASK = "***";

  /** Shortest line of a multi-line secret that is masked on its own. */
  public static final int MIN_LINE_LENGTH = 4;

  private final Set<String> values = ConcurrentHashMap.newKeySet();
  // Longest first, so that a secret containing another secret is masked whole.
  private volatile List<String> ordered = List.of();

  /** Registers a secret value; empty or null values are ignored. */
  public void register(String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    boolean changed = values.add(value);
    for (String escaped : escapedForms(value)) {
      changed |= values.add(escaped);
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      for (String line : value.split("\\r?\\n|\\r")) {
        String trimmed = line.strip();
        if (trimmed.length() >= MIN_LINE_LENGTH) {
          changed |= values.add(trimmed);
        }
      }
    }
    if (changed) {
      synchronized (this) {
        List<String> next = new ArrayList<>(values);
        next.sort(Comparator.comparingInt(String::length).reversed());
        ordered = List.copyOf(next);
      }
    }
  }

  /** The value as JSON and Go write it inside double quotes ({@link Quoting}), where that differs from the value. */
  private static List<String> escapedForms(String value) {
    List<String> forms = new ArrayList<>(2);
    String json = Quoting.jsonEscaped(value);
    if (!json.equals(value)) {
      forms.add(json);
    }
    String go = Quoting.goEscaped(value);
    if (!go.equals(value) && !go.equals(json)) {
      forms.add(go);
    }
    return forms;
  }

  /** Whether any secret value has been registered. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** Whether {@code text} contains any registered secret value. */
  public boolean containsSecret(String text) {
    if (text == null) {
      return false;
    }
    for (String secret : ordered) {
      if (text.contains(secret)) {
        return true;
      }
    }
    return false;
  }

  /** The length of the longest registered value (0 when none), for callers that mask streams. */
  public int longestSecretLength() {
    List<String> current = ordered;
    return current.isEmpty() ? 0 : current.get(0).length();
  }

  /** Returns {@code text} with every registered secret value replaced by {@link #MASK}. */
  public String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : ordered) {
      if (result.contains(secret)) {
        result = result.replace(secret, MASK);
      }
    }
    return result;
  }
}
