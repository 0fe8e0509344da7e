package io.promokit.steps.argocd;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON merge patch (RFC 7386) that turns one JSON object into another: changed and new keys with their new
 * values (objects recursively), removed keys as {@code null}; lists and other values whole.
 */
final class MergePatch {

  private MergePatch() {}

  /** The patch from {@code original} to {@code modified}; empty when they are equal. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> diff(Map<String, Object> original, Map<String, Object> modified) {
    Map<String, Object> patch = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : modified.entrySet()) {
      Object before = original.get(e.getKey());
      Object after = e.getValue();
      if (!original.containsKey(e.getKey())) {
        if (after != null) {
          patch.put(e.getKey(), after);
        }
      } else if (before instanceof Map<?, ?> b && after instanceof Map<?, ?> a) {
        Map<String, Object> inner = diff((Map<String, Object>) b, (Map<String, Object>) a);
        if (!inner.isEmpty()) {
          patch.put(e.getKey(), inner);
        }
      } else if (!Objects.equals(before, after)) {
        patch.put(e.getKey(), after);
      }
    }
    for (String key : original.keySet()) {
      if (!modified.containsKey(key)) {
        patch.put(key, null);
      }
    }
    return patch;
  }
}
