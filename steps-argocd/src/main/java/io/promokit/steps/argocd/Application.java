package io.promokit.steps.argocd;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An Argo CD {@code Application} as read from the API: its JSON as maps and lists, with the fields the steps
 * read by name. Immutable: {@link #copy()} gives a deep copy to modify.
 */
final class Application {

  /** The annotation that must list {@code <project>:<stage>} for argocd-update to touch the Application. */
  static final String AUTHORIZED_STAGE = "kargo.akuity.io/authorized-stage";
  /** The annotation that asks Argo CD for a refresh; {@code hard} also invalidates its manifest cache. */
  static final String REFRESH = "argocd.argoproj.io/refresh";

  private final Map<String, Object> json;

  Application(Map<String, Object> json) {
    this.json = Collections.unmodifiableMap(deepCopy(json));
  }

  String name() {
    return text(json, "metadata", "name");
  }

  String namespace() {
    return text(json, "metadata", "namespace");
  }

  String uid() {
    return text(json, "metadata", "uid");
  }

  String resourceVersion() {
    return text(json, "metadata", "resourceVersion");
  }

  /** {@code namespace/name}, the key of the health statuses argocd-wait records. */
  String key() {
    return namespace() + "/" + name();
  }

  Map<String, String> annotations() {
    Map<String, String> out = new LinkedHashMap<>();
    map(json, "metadata", "annotations").forEach((k, v) -> out.put(k, v == null ? "" : String.valueOf(v)));
    return out;
  }

  /** {@code spec.sources} when the Application has several, else {@code [spec.source]}, else none. */
  List<Map<String, Object>> sources() {
    List<Map<String, Object>> many = maps(value(json, "spec", "sources"));
    if (!many.isEmpty()) {
      return many;
    }
    return value(json, "spec", "source") instanceof Map<?, ?> ? List.of(map(json, "spec", "source")) : List.of();
  }

  /** Whether the Application uses {@code spec.sources} (a multi-source Application). */
  boolean hasSourcesList() {
    return !maps(value(json, "spec", "sources")).isEmpty();
  }

  Map<String, Object> syncPolicy() {
    return map(json, "spec", "syncPolicy");
  }

  /** Whether an operation is requested ({@code .operation} is set). */
  boolean hasOperation() {
    return value(json, "operation") instanceof Map<?, ?>;
  }

  boolean hasStatus() {
    return value(json, "status") instanceof Map<?, ?>;
  }

  /** {@code status.operationState}, if any. */
  Optional<Map<String, Object>> operationState() {
    return value(json, "status", "operationState") instanceof Map<?, ?> ? Optional.of(map(json, "status", "operationState"))
        : Optional.empty();
  }

  /** The phase of {@code status.operationState}, or empty. */
  String operationPhase() {
    return text(json, "status", "operationState", "phase");
  }

  String operationMessage() {
    return text(json, "status", "operationState", "message");
  }

  /** Who started the current operation ({@code operation.initiatedBy.username} of the operation state). */
  String operationInitiator() {
    return text(json, "status", "operationState", "operation", "initiatedBy", "username");
  }

  /** The {@code info} entries of the current operation, by name (the first of each name). */
  Map<String, String> operationInfo() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, Object> info : maps(value(json, "status", "operationState", "operation", "info"))) {
      if (info.get("name") instanceof String name) {
        out.putIfAbsent(name, info.get("value") == null ? "" : String.valueOf(info.get("value")));
      }
    }
    return out;
  }

  /** Whether the operation state has a {@code syncResult}. */
  boolean hasSyncResult() {
    return value(json, "status", "operationState", "syncResult") instanceof Map<?, ?>;
  }

  /** The revisions the last sync applied: {@code syncResult.revisions}, else {@code [syncResult.revision]}. */
  List<String> syncedRevisions() {
    List<String> many = strings(value(json, "status", "operationState", "syncResult", "revisions"));
    return many.isEmpty() ? List.of(text(json, "status", "operationState", "syncResult", "revision")) : many;
  }

  /** {@code status.operationState.finishedAt}, if set. */
  Optional<Instant> operationFinishedAt() {
    return instant(text(json, "status", "operationState", "finishedAt"));
  }

  Optional<Instant> reconciledAt() {
    return instant(text(json, "status", "reconciledAt"));
  }

  String healthStatus() {
    return text(json, "status", "health", "status");
  }

  String syncStatus() {
    return text(json, "status", "sync", "status");
  }

  /** {@code status.conditions}: each with {@code type} and {@code message}. */
  List<Map<String, Object>> conditions() {
    return maps(value(json, "status", "conditions"));
  }

  /** A deep copy of the JSON, to modify. */
  Map<String, Object> copy() {
    return deepCopy(json);
  }

  Map<String, Object> json() {
    return json;
  }

  // ---- reading JSON ----

  static Object value(Map<String, Object> root, String... path) {
    Object node = root;
    for (String key : path) {
      if (!(node instanceof Map<?, ?> m)) {
        return null;
      }
      node = m.get(key);
    }
    return node;
  }

  static String text(Map<String, Object> root, String... path) {
    Object v = value(root, path);
    return v == null ? "" : String.valueOf(v);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> root, String... path) {
    return value(root, path) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> maps(Object value) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
    }
    return out;
  }

  static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(item -> out.add(item == null ? "" : String.valueOf(item)));
    }
    return out;
  }

  private static Optional<Instant> instant(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
      return (T) copy;
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      l.forEach(v -> copy.add(deepCopy(v)));
      return (T) copy;
    }
    return value;
  }
}
