package io.promokit.runtime.k8s.cluster;

import java.util.Map;

/**
 * The kubelet's expansion of {@code $(NAME)} in command, args and env values: a defined name is
 * replaced, an undefined one stays as written, {@code $$} becomes {@code $}, any other {@code $} stays.
 */
public final class KubeletExpansion {
  private KubeletExpansion() {}

  public static String expand(String input, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c != '$' || i + 1 >= input.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) {
          out.append("$(");
          i += 2;
        } else {
          String name = input.substring(i + 2, close);
          String value = env.get(name);
          out.append(value != null ? value : "$(" + name + ")");
          i = close + 1;
        }
      } else {
        out.append('$').append(next);
        i += 2;
      }
    }
    return out.toString();
  }
}
