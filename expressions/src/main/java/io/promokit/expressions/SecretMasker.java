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
 * {@code sharedSecret()}, and values an expression computes from them, are registered automatically; hosts
 * may register more. The rules:
 *
 * <ul>
 *   <li>A value must have at least {@value #MINIMUM_LENGTH} characters (not counting surrounding
 *       whitespace): a shorter one would hide every occurrence of its letters in unrelated text, so
 *       {@link #register} refuses it (the message never quotes it) and {@link #registerIfMaskable} leaves
 *       it out. Hosts check values they load with {@link #canMask}.
 *   <li>A multi-line value is also registered line by line, so that output streamed one line at a time is
 *       masked too: lines of at least {@value #MINIMUM_LENGTH} characters wherever they appear, shorter lines
 *       that hold a letter or digit only where they are a whole line of the text (after trimming). Lines of
 *       punctuation alone ({@code }}, {@code -----}) reveal nothing and are left alone.
 *   <li>A value holding a quote, a backslash or a control character is also registered in its escaped
 *       forms (as JSON and Go quote it, without the quotes), so that it is masked inside JSON text and inside
 *       error messages that quote values.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class SecretMasker {

  /** The replacement for every secret value. */
  public static final String MASK = "***";

  /** Shortest secret value that can be masked without hiding unrelated text. */
  public static final int MINIMUM_LENGTH = 4;

  /** Shortest line of a multi-line secret that is masked wherever it appears. */
  public static final int MIN_LINE_LENGTH = MINIMUM_LENGTH;

  private final Set<String> values = ConcurrentHashMap.newKeySet();
  /** Short lines of multi-line secrets, masked only as whole lines. */
  private final Set<String> wholeLines = ConcurrentHashMap.newKeySet();
  // Longest first, so that a secret containing another secret is masked whole.
  private volatile List<String> ordered = List.of();

  /** The shortest secret value that can be masked safely, {@value #MINIMUM_LENGTH} characters. */
  public static int minimumLength() {
    return MINIMUM_LENGTH;
  }

  /**
   * Whether a value is long enough to be masked safely: at least {@value #MINIMUM_LENGTH} characters besides
   * surrounding whitespace. A host loading secrets refuses the others, with a message that names the secret
   * but never shows its value.
   */
  public static boolean canMask(String value) {
    return value != null && value.strip().length() >= MINIMUM_LENGTH;
  }

  /**
   * Registers a secret value; null or blank values are ignored.
   *
   * @throws IllegalArgumentException when the value is shorter than {@value #MINIMUM_LENGTH} characters; the
   *     message gives its length, never the value
   */
  public void register(String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    if (!canMask(value)) {
      throw new IllegalArgumentException("a secret value of " + value.strip().length() + " character"
          + (value.strip().length() == 1 ? "" : "s") + " is too short to be masked safely: masking it would hide "
          + "the same letters in unrelated output; secrets need at least " + MINIMUM_LENGTH + " characters (the "
          + "value is not shown)");
    }
    add(value);
  }

  /**
   * Registers a value when it can be masked safely ({@link #canMask}), as the expression resolver does for
   * values it reads from a secret or computes from one; a shorter value is left out.
   *
   * @return whether the value was registered
   */
  public boolean registerIfMaskable(String value) {
    if (!canMask(value)) {
      return false;
    }
    add(value);
    return true;
  }

  private void add(String value) {
    boolean changed = values.add(value);
    for (String escaped : escapedForms(value)) {
      changed |= values.add(escaped);
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      for (String line : value.split("\\r?\\n|\\r")) {
        String trimmed = line.strip();
        if (trimmed.length() >= MINIMUM_LENGTH) {
          changed |= values.add(trimmed);
        } else if (trimmed.codePoints().anyMatch(Character::isLetterOrDigit)) {
          changed |= wholeLines.add(trimmed);
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
    return values.isEmpty() && wholeLines.isEmpty();
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
    if (!wholeLines.isEmpty()) {
      for (String line : text.split("\\r?\\n|\\r", -1)) {
        if (wholeLines.contains(line.strip())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The length of the longest registered value (0 when none), for callers that mask streams. */
  public int longestSecretLength() {
    List<String> current = ordered;
    int longest = current.isEmpty() ? 0 : current.get(0).length();
    return wholeLines.isEmpty() ? longest : Math.max(longest, MINIMUM_LENGTH - 1);
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
    return wholeLines.isEmpty() ? result : maskWholeLines(result);
  }

  /** Replaces each line that is (after trimming) a short line of a multi-line secret, keeping its indent. */
  private String maskWholeLines(String text) {
    StringBuilder out = null;
    int start = 0;
    while (start <= text.length()) {
      int end = start;
      while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      String line = text.substring(start, end);
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && wholeLines.contains(trimmed)) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, start);
        }
        int indent = line.indexOf(trimmed);
        out.append(line, 0, indent).append(MASK).append(line, indent + trimmed.length(), line.length());
      } else if (out != null) {
        out.append(line);
      }
      if (end == text.length()) {
        break;
      }
      if (out != null) {
        out.append(text.charAt(end));
      }
      start = end + 1;
    }
    return out == null ? text : out.toString();
  }
}
