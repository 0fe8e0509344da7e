package io.promokit.steps.kit;

import io.promokit.expressions.Quoting;
import io.promokit.internal.JsonValues;
import java.math.BigInteger;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * How new YAML scalars are written: plain when that reads back as the same string under both YAML 1.1 (as
 * SnakeYAML, go-yaml v2 and Kubernetes read it, where even {@code y} and {@code n} are booleans) and YAML 1.2
 * (as go-yaml v3 and Helm read it), quoted otherwise.
 */
final class YamlScalars {

  // Read-only after construction, so one instance can serve every thread.
  private static final Resolver YAML_11 = new Resolver();
  private static final Pattern YAML_12_NOT_STRING = Pattern.compile(
      "~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|n|N|<<|="
          + "|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
          + "|[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?"
          + "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  private static final String INDICATORS = "-?:,[]{}#&*!|>'\"%@`";

  private YamlScalars() {}

  /** Whether {@code s} can be written without quotes and still read back as this string. */
  static boolean isPlainSafe(String s, boolean flow) {
    if (s.isEmpty() || !s.equals(s.strip())) {
      return false;
    }
    // "-x" is a plain string ("--fast"), but "- x" is a list item and "---" a document marker.
    boolean dashWord = s.length() > 1 && s.charAt(0) == '-' && !Character.isWhitespace(s.charAt(1))
        && !s.startsWith("---");
    if (INDICATORS.indexOf(s.charAt(0)) >= 0 && !dashWord) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\ufeff') {
        return false;
      }
      if (flow && ",[]{}".indexOf(c) >= 0) {
        return false;
      }
    }
    if (s.contains(": ") || s.contains(" #") || s.endsWith(":")) {
      return false;
    }
    return !YAML_12_NOT_STRING.matcher(s).matches()
        && YAML_11.resolve(NodeId.scalar, s, true).equals(Tag.STR);
  }

  /** The string plain when safe, else double-quoted. */
  static String plainOrQuoted(String s, boolean flow) {
    return isPlainSafe(s, flow) ? s : doubleQuoted(s);
  }

  /** Whether {@code s} fits in single quotes (one line, no control characters). */
  static boolean canSingleQuote(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return false;
      }
    }
    return true;
  }

  static String singleQuoted(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /**
   * A double-quoted YAML string: JSON's escapes ({@link Quoting#json}, which YAML's double quotes accept),
   * plus YAML's own for the characters JSON leaves as they are but YAML reads as a line break (NEL) or
   * would drop (DEL, a byte order mark).
   */
  static String doubleQuoted(String s) {
    return Quoting.json(s).replace("\u0085", "\\N").replace("\u007f", "\\u007f").replace("\ufeff", "\\ufeff");
  }

  /**
   * A number as YAML reads it back as the same number: a whole double as an integer ({@code 123}, not
   * {@code 123.0}, as Kargo writes it), other floats with a dot or an exponent sign.
   */
  static String number(Number n) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d)) {
        return ".nan";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? ".inf" : "-.inf";
      }
      String text = JsonValues.wholeAsDigits(d);
      int e = text.indexOf('E');
      if (e < 0) {
        return text;
      }
      String exponent = text.substring(e + 1);
      return text.substring(0, e) + "e" + (exponent.startsWith("-") ? exponent : "+" + exponent);
    }
    if (n instanceof BigInteger || n instanceof Long) {
      return n.toString();
    }
    return String.valueOf(n);
  }
}
