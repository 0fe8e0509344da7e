package io.promokit.testkit.gitops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Plays Argo CD's Application controller against the mock API server, one reconciliation pass at a time, as Argo
 * CD moves an Application:
 * <ol>
 *   <li>a requested {@code operation} is accepted: {@code status.operationState} gets the operation, phase
 *       {@code Running} and {@code startedAt};</li>
 *   <li>a running operation ends as the Application's {@link SyncBehavior} says: the sources' target revisions are
 *       resolved (a {@link RevisionResolver}, by default {@code git ls-remote} against the real repository) and
 *       applied: phase {@code Succeeded} with a {@code syncResult} naming the revisions, sync status
 *       {@code Synced} and health {@code Progressing}; or {@code Failed}/{@code Error} with a message; or it
 *       stalls. {@code operation} is cleared and {@code finishedAt} set;</li>
 *   <li>otherwise, when a refresh is due (the {@code argocd.argoproj.io/refresh} annotation, or no reconciliation
 *       since the last operation finished) the Application is compared again: {@code reconciledAt}, the health
 *       the behaviour gives, sync status {@code Synced} or {@code OutOfSync} against the resolved target revisions,
 *       a {@code ComparisonError} condition when they cannot be resolved; the annotation is removed.</li>
 * </ol>
 * Writes are made as Argo CD makes them, by another client with the version it read, so they race with the code
 * under test for real. Tests drive it pass by pass ({@link #reconcile}) or let it run ({@link #start}).
 */
public final class FakeArgoCdController implements AutoCloseable {

  /** What one pass did. */
  public enum Pass { STARTED_OPERATION, FINISHED_OPERATION, REFRESHED, NOTHING }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, SyncBehavior> behaviors = new ConcurrentHashMap<>();
  private final List<String> history = new CopyOnWriteArrayList<>();
  private volatile RevisionResolver revisions = RevisionResolver.git();
  private volatile Thread loop;

  FakeArgoCdController(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** How syncs of this Application end (default {@link SyncBehavior#succeed()}). */
  public FakeArgoCdController behavior(String name, SyncBehavior behavior) {
    behaviors.put(name, Objects.requireNonNull(behavior, "behavior must not be null"));
    return this;
  }

  /** How target revisions are resolved (default {@link RevisionResolver#git()}). */
  public FakeArgoCdController revisions(RevisionResolver resolver) {
    this.revisions = Objects.requireNonNull(resolver, "resolver must not be null");
    return this;
  }

  /** What the passes did so far, as {@code <namespace>/<name>: <Pass>}, in order. */
  public List<String> history() {
    return List.copyOf(history);
  }

  /** One reconciliation pass over the Application; NOTHING when it does not exist. */
  public synchronized Pass reconcile(String namespace, String name) {
    Pass[] done = {Pass.NOTHING};
    boolean exists = client.genericKubernetesResources(ArgoCdCluster.APPLICATIONS).inNamespace(namespace)
        .withName(name).get() != null;
    if (!exists) {
      return Pass.NOTHING;
    }
    replace(client, namespace, name, app -> {
      done[0] = pass(app);
      return app;
    });
    if (done[0] != Pass.NOTHING) {
      history.add(namespace + "/" + name + ": " + done[0]);
    }
    return done[0];
  }

  /** Passes until one does nothing (at most 10), as Argo CD settles an Application; returns what they did. */
  public List<Pass> settle(String namespace, String name) {
    List<Pass> passes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Pass pass = reconcile(namespace, name);
      if (pass == Pass.NOTHING) {
        break;
      }
      passes.add(pass);
    }
    return passes;
  }

  /** Runs passes over every Application in the background, every {@code interval}, until {@link #close()}. */
  public synchronized void start(Duration interval) {
    if (loop != null) {
      return;
    }
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          for (GenericKubernetesResource app : client.genericKubernetesResources(ArgoCdCluster.APPLICATIONS)
              .inAnyNamespace().list().getItems()) {
            reconcile(app.getMetadata().getNamespace(), app.getMetadata().getName());
          }
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          return;
        } catch (KubernetesClientException e) {
          // the server is going away, or an injected fault: try again on the next tick
        }
      }
    }, "fake-argocd-controller");
    t.setDaemon(true);
    loop = t;
    t.start();
  }

  @Override
  public void close() {
    Thread t = loop;
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---- one pass ----

  private Pass pass(Map<String, Object> app) {
    Map<String, Object> status = child(app, "status");
    Map<String, Object> state = status.get("operationState") instanceof Map<?, ?> ? child(status, "operationState") : null;
    String phase = state == null ? "" : String.valueOf(state.getOrDefault("phase", ""));
    boolean running = phase.equals("Running") || phase.equals("Terminating");
    if (app.get("operation") instanceof Map<?, ?> operation && (state == null || !running)) {
      Map<String, Object> started = new LinkedHashMap<>();
      started.put("operation", copy(operation));
      started.put("phase", "Running");
      started.put("message", "");
      started.put("startedAt", now());
      status.put("operationState", started);
      return Pass.STARTED_OPERATION;
    }
    if (state != null && running) {
      return finish(app, status, state);
    }
    return refreshIfDue(app, status, state);
  }

  private Pass finish(Map<String, Object> app, Map<String, Object> status, Map<String, Object> state) {
    SyncBehavior behavior = behaviorOf(app);
    if (behavior.outcome() == SyncBehavior.Outcome.STALL) {
      return Pass.NOTHING;
    }
    List<Map<String, Object>> sources = sources(app);
    List<String> resolved;
    try {
      resolved = resolve(sources);
    } catch (Exception e) {
      end(app, state, "Error", "ComparisonError: " + e.getMessage());
      return Pass.FINISHED_OPERATION;
    }
    switch (behavior.outcome()) {
      case ERROR -> end(app, state, "Error", behavior.message());
      case FAIL -> {
        end(app, state, "Failed", behavior.message());
        state.put("syncResult", syncResult(app, sources, resolved));
        child(status, "sync").put("status", "OutOfSync");
      }
      default -> {
        end(app, state, "Succeeded", "successfully synced (all tasks run)");
        state.put("syncResult", syncResult(app, sources, resolved));
        Map<String, Object> sync = child(status, "sync");
        sync.put("status", "Synced");
        putRevisions(app, sync, resolved);
        child(status, "health").put("status", "Progressing");
      }
    }
    return Pass.FINISHED_OPERATION;
  }

  private Pass refreshIfDue(Map<String, Object> app, Map<String, Object> status, Map<String, Object> state) {
    Map<String, Object> annotations = child(child(app, "metadata"), "annotations");
    Instant reconciledAt = instant(status.get("reconciledAt"));
    Instant finishedAt = state == null ? null : instant(state.get("finishedAt"));
    boolean requested = annotations.containsKey("argocd.argoproj.io/refresh");
    boolean stale = reconciledAt == null || (finishedAt != null && reconciledAt.isBefore(finishedAt));
    if (!requested && !stale) {
      return Pass.NOTHING;
    }
    annotations.remove("argocd.argoproj.io/refresh");
    status.put("reconciledAt", now());
    List<Map<String, Object>> conditions = new ArrayList<>();
    Map<String, Object> sync = child(status, "sync");
    try {
      List<String> resolved = resolve(sources(app));
      List<String> applied = revisionsOf(sync);
      sync.put("status", applied.equals(resolved) ? "Synced" : "OutOfSync");
      String phase = state == null ? "" : String.valueOf(state.get("phase"));
      if (phase.equals("Succeeded") || phase.equals("Failed")) {
        child(status, "health").put("status", behaviorOf(app).healthAfterSync());
      } else {
        child(status, "health").putIfAbsent("status", "Missing");
      }
    } catch (Exception e) {
      sync.put("status", "Unknown");
      Map<String, Object> condition = new LinkedHashMap<>();
      condition.put("type", "ComparisonError");
      condition.put("message", e.getMessage());
      condition.put("lastTransitionTime", now());
      conditions.add(condition);
    }
    if (conditions.isEmpty()) {
      status.remove("conditions");
    } else {
      status.put("conditions", conditions);
    }
    return Pass.REFRESHED;
  }

  private void end(Map<String, Object> app, Map<String, Object> state, String phase, String message) {
    state.put("phase", phase);
    state.put("message", message);
    state.put("finishedAt", now());
    app.remove("operation");
  }

  private Map<String, Object> syncResult(Map<String, Object> app, List<Map<String, Object>> sources,
      List<String> resolved) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("resources", List.of());
    if (isMultiSource(app)) {
      result.put("revisions", resolved);
      result.put("sources", copy(sources));
    } else {
      result.put("revision", resolved.isEmpty() ? "" : resolved.get(0));
      result.put("source", sources.isEmpty() ? Map.of() : copy(sources.get(0)));
    }
    return result;
  }

  private void putRevisions(Map<String, Object> app, Map<String, Object> sync, List<String> resolved) {
    if (isMultiSource(app)) {
      sync.put("revisions", resolved);
    } else {
      sync.put("revision", resolved.isEmpty() ? "" : resolved.get(0));
    }
  }

  private List<String> resolve(List<Map<String, Object>> sources) throws Exception {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> source : sources) {
      String target = String.valueOf(source.getOrDefault("targetRevision", ""));
      boolean chart = source.get("chart") instanceof String c && !c.isEmpty();
      out.add(chart ? target : revisions.resolve(String.valueOf(source.getOrDefault("repoURL", "")), target));
    }
    return out;
  }

  private SyncBehavior behaviorOf(Map<String, Object> app) {
    return behaviors.getOrDefault(String.valueOf(child(app, "metadata").get("name")), SyncBehavior.succeed());
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static Instant instant(Object value) {
    return value == null ? null : Instant.parse(String.valueOf(value));
  }

  private static boolean isMultiSource(Map<String, Object> app) {
    return child(app, "spec").get("sources") instanceof List<?> list && !list.isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> sources(Map<String, Object> app) {
    Map<String, Object> spec = child(app, "spec");
    List<Map<String, Object>> out = new ArrayList<>();
    if (spec.get("sources") instanceof List<?> list && !list.isEmpty()) {
      list.forEach(s -> out.add((Map<String, Object>) s));
    } else if (spec.get("source") instanceof Map<?, ?> one) {
      out.add((Map<String, Object>) one);
    }
    return out;
  }

  private static List<String> revisionsOf(Map<String, Object> sync) {
    List<String> out = new ArrayList<>();
    if (sync.get("revisions") instanceof List<?> list) {
      list.forEach(r -> out.add(String.valueOf(r)));
    } else if (sync.get("revision") != null) {
      out.add(String.valueOf(sync.get("revision")));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> parent, String key) {
    if (!(parent.get(key) instanceof Map<?, ?>)) {
      parent.put(key, new LinkedHashMap<String, Object>());
    }
    return (Map<String, Object>) parent.get(key);
  }

  @SuppressWarnings("unchecked")
  private static <T> T copy(T value) {
    return (T) JSON.convertValue(value, Object.class);
  }

  /**
   * Reads the Application, applies the change, and writes it back with the version read (a PUT): on a conflict, all
   * over again, as a controller requeues. Returns what was written.
   */
  static Map<String, Object> replace(KubernetesClient client, String namespace, String name,
      UnaryOperator<Map<String, Object>> change) {
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource current = client.genericKubernetesResources(ArgoCdCluster.APPLICATIONS)
          .inNamespace(namespace).withName(name).get();
      if (current == null) {
        throw new IllegalStateException("no Application " + namespace + "/" + name);
      }
      Map<String, Object> before = ArgoCdCluster.toMap(current);
      Map<String, Object> after = change.apply(ArgoCdCluster.toMap(current));
      if (after.equals(before)) {
        return after;
      }
      try {
        GenericKubernetesResource written = client.genericKubernetesResources(ArgoCdCluster.APPLICATIONS)
            .inNamespace(namespace).resource(JSON.convertValue(after, GenericKubernetesResource.class)).update();
        return ArgoCdCluster.toMap(written);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }
}
