package io.promokit.expressions.internal;

import io.promokit.expressions.SecretMasker;
import java.util.List;
import java.util.Map;

/**
 * Taint tracking: a value computed from a secret is a secret too. The resolver decides per expression, not
 * per value: an expression is tainted when it called {@code secret()}/{@code sharedSecret()}, or when a
 * variable path it reads ({@code vars.token}, or all of them for {@code $env}) holds a registered secret.
 * The string forms in a tainted expression's value ({@code upper(secret('x').token)}, a slice, a
 * {@code split}, {@code toBase64}...) are then registered with the evaluation's masker, so the record,
 * {@code --json}, logs and messages mask them; a tainted expression that fails hides the values its message
 * quotes.
 *
 * <p>Per expression rather than per value (no wrapper type flowing through every operator and function):
 * every function stays oblivious, and nothing derived can slip through a function that forgot to carry the
 * mark. The cost is over-approximation within one expression ({@code secret('x').a != '' ? 'yes' : 'no'}
 * registers "yes", which is too short to be masked anyway); templates keep each expression apart.
 */
final class SecretTaint {
  private SecretTaint() {}

  /** Whether the expression just evaluated read a secret. Cheap when no secret is registered. */
  static boolean tainted(CompiledExpression ce, EvalContext ctx) {
    if (ctx.functions.readSecret()) {
      return true;
    }
    SecretMasker masker = ctx.environment.masker();
    if (masker.isEmpty()) {
      return false;
    }
    Map<String, Object> variables = ctx.environment.variables();
    try {
      if (ce.readsWholeEnvironment) {
        for (Object value : variables.values()) {
          if (holdsSecret(value, masker, Walk.start())) {
            return true;
          }
        }
      }
      for (List<String> path : ce.references) {
        if (holdsSecret(follow(variables, path), masker, Walk.start())) {
          return true;
        }
      }
    } catch (EvalError tooLarge) {
      return true; // a value too large to search: assume the worst
    }
    return false;
  }

  /** The value at a static path, or the deepest value reached on it. */
  private static Object follow(Map<String, Object> variables, List<String> path) {
    Object v = variables.get(path.get(0));
    for (int i = 1; i < path.size(); i++) {
      String key = path.get(i);
      Object next;
      if (v instanceof Map<?, ?> m && m.containsKey(key)) {
        next = m.get(key);
      } else if (v instanceof List<?> l && key.matches("-?[0-9]{1,9}")) {
        int index = Integer.parseInt(key);
        index = index < 0 ? l.size() + index : index;
        if (index < 0 || index >= l.size()) {
          return v;
        }
        next = l.get(index);
      } else {
        return v;
      }
      v = next;
    }
    return v;
  }

  private static boolean holdsSecret(Object v, SecretMasker masker, Walk walk) {
    walk.step();
    if (v instanceof String s) {
      return masker.containsSecret(s);
    }
    if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (holdsSecret(e.getKey(), masker, walk) || holdsSecret(e.getValue(), masker, walk)) {
          return true;
        }
      }
      return false;
    }
    if (v instanceof List<?> l) {
      for (Object item : l) {
        if (holdsSecret(item, masker, walk)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Registers the strings in a tainted value: the value itself, the strings inside a list or among a map's
   * values, and the inside of a quoted string ({@code quote()} output, whose quotes the template coercion
   * strips). Values shorter than {@link SecretMasker#MINIMUM_LENGTH} are left out: they cannot be masked
   * safely.
   */
  static void register(Object value, SecretMasker masker) {
    try {
      register(value, masker, Walk.start());
    } catch (EvalError tooLarge) {
      // Registered as far as the walk got; a larger value is not written out whole anywhere.
    }
  }

  private static void register(Object v, SecretMasker masker, Walk walk) {
    walk.step();
    if (v instanceof String s) {
      masker.registerIfMaskable(s);
      if (s.length() > 2 && s.startsWith("\"") && s.endsWith("\"")) {
        masker.registerIfMaskable(s.substring(1, s.length() - 1));
      }
    } else if (v instanceof Map<?, ?> m) {
      // Keys are the shape of the value, not its content: registering them would mask "login" everywhere.
      for (Object value : m.values()) {
        register(value, masker, walk);
      }
    } else if (v instanceof List<?> l) {
      for (Object item : l) {
        register(item, masker, walk);
      }
    }
  }

  /**
   * A failure message of a tainted expression with every quoted value replaced by {@code "***"} (a value
   * cut short by the message, which lost its closing quote, hides the rest of the message).
   */
  static String hideQuotedValues(String reason) {
    StringBuilder out = new StringBuilder(reason.length());
    int i = 0;
    while (i < reason.length()) {
      char c = reason.charAt(i);
      if (c != '"') {
        out.append(c);
        i++;
        continue;
      }
      int end = i + 1;
      while (end < reason.length() && reason.charAt(end) != '"') {
        end += reason.charAt(end) == '\\' ? 2 : 1;
      }
      out.append("\"").append(SecretMasker.MASK);
      if (end >= reason.length()) {
        break;
      }
      out.append('"');
      i = end + 1;
    }
    return out.toString();
  }
}
