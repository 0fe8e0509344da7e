package io.promokit.steps;

import io.promokit.expressions.Quoting;
import io.promokit.internal.DataFormats;
import io.promokit.internal.JsonValues;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code commitMessage} outputs of {@code yaml-update} and {@code json-update}, worded and quoted as
 * Kargo's steps write them: {@code Updated <path>}, a blank line, and one {@code - <key>: <value>} line per
 * update. Each step quotes strings its own way (Kargo's tests pin both):
 * <ul>
 *   <li>{@code yaml-update} writes a string as it is unless YAML would read it as another type, that is when Go
 *       parses it as a float or a boolean or it is valid JSON ({@code "42"}, {@code "true"}, {@code "null"}),
 *       and then Go-quotes it ({@code pkg/yaml.QuoteIfNecessary});</li>
 *   <li>{@code json-update} Go-quotes every string ({@code %q}).</li>
 * </ul>
 * Numbers are written as the files get them ({@code 123}, {@code 1.5}), booleans as {@code true}/{@code false}.
 * <b>[ours]</b> {@code null}, maps and lists (which Kargo's steps do not take) are written as JSON.
 */
final class CommitMessages {

  /** Go's {@code strconv.ParseFloat} syntax: decimal or hexadecimal (with a {@code p} exponent), Inf, NaN. */
  private static final Pattern GO_FLOAT = Pattern.compile(
      "[+-]?(?:"
          + "(?:\\d(?:_?\\d)*(?:\\.(?:\\d(?:_?\\d)*)?)?|\\.\\d(?:_?\\d)*)(?:[eE][+-]?\\d(?:_?\\d)*)?"
          + "|0[xX](?:_?[0-9a-fA-F])*(?:\\.(?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?[pP][+-]?\\d(?:_?\\d)*"
          + "|(?i:inf|infinity|nan))");
  /** Go's {@code strconv.ParseBool}. */
  private static final List<String> GO_BOOLEANS =
      List.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False");

  private CommitMessages() {}

  /** The message of a {@code yaml-update}. */
  static String yamlUpdate(String path, List<UpdateStep.Update> updates) {
    return message(path, updates, true);
  }

  /** The message of a {@code json-update}. */
  static String jsonUpdate(String path, List<UpdateStep.Update> updates) {
    return message(path, updates, false);
  }

  private static String message(String path, List<UpdateStep.Update> updates, boolean yaml) {
    StringBuilder sb = new StringBuilder("Updated ").append(path).append('\n');
    for (UpdateStep.Update update : updates) {
      sb.append("\n- ").append(update.key()).append(": ").append(value(JsonValues.normalize(update.value()), yaml));
    }
    return sb.toString();
  }

  private static String value(Object value, boolean yaml) {
    if (value instanceof String s) {
      return !yaml || readsAsAnotherType(s) ? Quoting.go(s) : s;
    }
    if (value instanceof Double d && !d.isNaN() && !d.isInfinite()) {
      return JsonValues.wholeAsDigits(d);
    }
    return JsonValues.toJson(value);
  }

  /** Kargo's test: Go parses it as a float or a boolean, or it is valid JSON. */
  static boolean readsAsAnotherType(String s) {
    return GO_FLOAT.matcher(s).matches() || GO_BOOLEANS.contains(s) || isJson(s);
  }

  /** Go's {@code json.Valid}: one JSON value, blanks around it allowed. */
  private static boolean isJson(String s) {
    if (s.isBlank()) {
      return false;
    }
    try {
      DataFormats.readJson(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
