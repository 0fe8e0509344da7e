package io.promokit.steps.files;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Kargo's yaml-merge rules (kyaml {@code merge2}, a later document merged over an earlier one), over JSON-like
 * values:
 * <ul>
 *   <li>maps merge key by key; keys only in the earlier document stay; keys new in the later one are added
 *       after the others, in alphabetical order (as kyaml adds them);</li>
 *   <li>an explicit {@code null} in the later document removes the key (and is never added);</li>
 *   <li>scalars and plain lists from the later document replace the earlier ones;</li>
 *   <li>lists whose items are all maps carrying an associative key ({@code mountPath}, {@code devicePath},
 *       {@code ip}, {@code type}, {@code topologyKey}, {@code name}, {@code containerPort}: the first that every
 *       item has) merge item by item on that key: matching items merge, new items are appended, an item that
 *       merges to nothing is removed;</li>
 *   <li>a map, a list and a scalar at the same place cannot be merged (kyaml refuses it too).</li>
 * </ul>
 */
final class YamlMerge {

  static final List<String> ASSOCIATIVE_KEYS =
      List.of("mountPath", "devicePath", "ip", "type", "topologyKey", "name", "containerPort");

  /** Two values that cannot be merged; the message names the path. */
  static final class MergeException extends Exception {
    private static final long serialVersionUID = 1L;

    MergeException(String message) {
      super(message);
    }
  }

  /** The marker for "this key is removed". */
  private static final Object REMOVED = new Object();

  private YamlMerge() {}

  /**
   * The later document merged over the earlier one (either may be null for an empty document). Neither input is
   * changed.
   */
  static Object merge(Object earlier, Object later) throws MergeException {
    if (later == null) {
      return earlier;
    }
    if (earlier == null) {
      return withoutNulls(later);
    }
    Object merged = merge(earlier, later, "");
    return merged == REMOVED ? null : merged;
  }

  private static Object merge(Object dest, Object src, String path) throws MergeException {
    if (src == null) {
      return REMOVED;
    }
    checkKinds(dest, src, path);
    if (dest instanceof Map<?, ?> destMap) {
      return mergeMaps(destMap, (Map<?, ?>) src, path);
    }
    if (dest instanceof List<?> destList) {
      return mergeLists(destList, (List<?>) src, path);
    }
    return src;
  }

  private static Map<String, Object> mergeMaps(Map<?, ?> dest, Map<?, ?> src, String path) throws MergeException {
    Map<String, Object> result = new LinkedHashMap<>();
    dest.forEach((k, v) -> result.put(String.valueOf(k), v));
    for (Map.Entry<?, ?> e : src.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (result.containsKey(key)) {
        Object merged = merge(result.get(key), e.getValue(), join(path, key));
        if (merged == REMOVED) {
          result.remove(key);
        } else {
          result.put(key, merged);
        }
      }
    }
    for (Object k : new TreeSet<>(keysOf(src))) {
      String key = (String) k;
      if (!dest.containsKey(key) && !containsStringKey(dest, key) && src.get(key) != null) {
        result.put(key, withoutNulls(valueOf(src, key)));
      }
    }
    return result;
  }

  private static List<String> keysOf(Map<?, ?> map) {
    List<String> keys = new ArrayList<>();
    map.keySet().forEach(k -> keys.add(String.valueOf(k)));
    return keys;
  }

  private static boolean containsStringKey(Map<?, ?> map, String key) {
    for (Object k : map.keySet()) {
      if (String.valueOf(k).equals(key)) {
        return true;
      }
    }
    return false;
  }

  private static Object valueOf(Map<?, ?> map, String key) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (String.valueOf(e.getKey()).equals(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static Object mergeLists(List<?> dest, List<?> src, String path) throws MergeException {
    String destKey = associativeKey(dest);
    String srcKey = associativeKey(src);
    boolean associative = (!dest.isEmpty() && destKey != null) || (!src.isEmpty() && srcKey != null);
    if (!associative) {
      return src;
    }
    if (dest.isEmpty()) {
      return withoutNulls(src);
    }
    String key = destKey;
    if (!src.isEmpty()) {
      if (key != null && !key.equals(srcKey)) {
        throw new MergeException("conflicting merge keys [" + key + "," + Objects.toString(srcKey, "") + "] for field "
            + path);
      }
      key = srcKey;
    }
    List<Object> result = new ArrayList<>(dest);
    for (Object item : src) {
      Map<?, ?> srcItem = (Map<?, ?>) item;
      String value = String.valueOf(srcItem.get(key));
      int at = indexOf(result, key, value);
      if (at < 0) {
        Object added = withoutNulls(srcItem);
        if (!(added instanceof Map<?, ?> m && m.isEmpty())) {
          result.add(added);
        }
        continue;
      }
      Object merged = merge(result.get(at), srcItem, path + "[" + key + "=" + value + "]");
      if (merged == REMOVED || (merged instanceof Map<?, ?> m && m.isEmpty())) {
        result.remove(at);
      } else {
        result.set(at, merged);
      }
    }
    return result;
  }

  private static int indexOf(List<Object> items, String key, String value) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof Map<?, ?> m && m.containsKey(key) && String.valueOf(m.get(key)).equals(value)) {
        return i;
      }
    }
    return -1;
  }

  /** The first associative key every item has, or null (also for an empty list or items that are not maps). */
  static String associativeKey(List<?> items) {
    if (items.isEmpty()) {
      return null;
    }
    for (String key : ASSOCIATIVE_KEYS) {
      boolean all = true;
      for (Object item : items) {
        if (!(item instanceof Map<?, ?> map) || !map.containsKey(key)) {
          all = false;
          break;
        }
      }
      if (all) {
        return key;
      }
    }
    return null;
  }

  private static void checkKinds(Object dest, Object src, String path) throws MergeException {
    String destKind = kindOf(dest);
    String srcKind = kindOf(src);
    if (!destKind.equals(srcKind)) {
      throw new MergeException((path.isEmpty() ? "the document" : path) + ": a " + srcKind
          + " cannot be merged over a " + destKind);
    }
  }

  private static String kindOf(Object value) {
    return value instanceof Map ? "map" : value instanceof List ? "list" : "scalar";
  }

  /**
   * A value added from a later document: explicit nulls inside its maps mean "absent" there too (kyaml walks
   * the maps it adds; a plain list is taken as it is).
   */
  static Object withoutNulls(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (v != null) {
          copy.put(String.valueOf(k), withoutNulls(v));
        }
      });
      return copy;
    }
    return value;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
