package io.promokit.steps.argocd;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.argocd.WaitConfig.App;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code argocd-wait}: checks each Application against what the config waits for, in Kargo's order (error
 * conditions, operation, a health status assessed after the last operation, health, sync), and reports
 * {@code Running} until all are ready. Its outputs keep each Application's health status; the next poll reads them
 * back (its previous outputs, Kargo's shared state) to see a regression to {@code Degraded}, which ends the step
 * at once. It changes nothing but the refresh annotation, and needs no authorisation.
 */
final class ArgoCdWaitStep {

  private static final List<String> ERROR_CONDITIONS = List.of("ComparisonError", "InvalidSpecError");

  private final ArgoCdSettings settings;

  ArgoCdWaitStep(ArgoCdSettings settings) {
    this.settings = settings;
  }

  StepResult run(StepContext ctx, WaitConfig config) {
    ConfigRules.check(config);
    ArgoCdApi api = settings.api("wait for");
    Map<String, String> previous = previousHealth(ctx.previousOutputs());
    // Seeded with the previous statuses, so Applications not reached this time keep theirs.
    Map<String, Object> health = new LinkedHashMap<>(previous);
    List<Map<String, Object>> resolved = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    for (int i = 0; i < config.apps().size(); i++) {
      App entry = config.apps().get(i);
      String namespace = entry.namespace() != null ? entry.namespace() : settings.namespace();
      for (Application app : applications(api, entry, namespace, "config.apps[" + i + "]")) {
        resolved.add(Map.of("name", app.name(), "namespace", app.namespace()));
        if (!app.healthStatus().isEmpty()) {
          health.put(app.key(), app.healthStatus());
        }
        Optional<String> waiting;
        try {
          waiting = readiness(ctx, api, app, entry.conditions(), previous.getOrDefault(app.key(), ""));
        } catch (StepException e) {
          throw e.withOutputs(outputs(resolved, health));
        }
        waiting.ifPresent(reason -> notReady.add("\"" + app.name() + "\" in namespace \"" + app.namespace() + "\": "
            + reason));
      }
    }
    Map<String, Object> outputs = outputs(resolved, health);
    if (notReady.isEmpty()) {
      return StepResult.succeeded(outputs);
    }
    return StepResult.running(settings.pollInterval(), outputs,
        "waiting for Argo CD Application " + String.join("; ", notReady));
  }

  /**
   * Why the Application is not ready yet, or empty when it is.
   *
   * @throws StepException (terminal) on an error condition, or health regressed to Degraded
   */
  private Optional<String> readiness(StepContext ctx, ArgoCdApi api, Application app, List<String> waitFor,
      String previousHealth) {
    String name = "Argo CD Application \"" + app.name() + "\" in namespace \"" + app.namespace() + "\"";
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> condition : app.conditions()) {
      String type = Application.text(condition, "type");
      if (ERROR_CONDITIONS.contains(type)) {
        problems.add(name + " has \"" + type + "\" condition: " + Application.text(condition, "message"));
      }
    }
    if (!problems.isEmpty()) {
      throw StepException.terminal(String.join("\n", problems));
    }
    if (waitFor.contains("operation") && operationInProgress(app)) {
      return Optional.of("an operation is in progress");
    }
    boolean healthChecked = waitFor.contains("health") || waitFor.contains("suspended") || waitFor.contains("degraded");
    String health = app.healthStatus();
    if (healthChecked) {
      Optional<Instant> finished = app.operationFinishedAt();
      Optional<Instant> reconciled = app.reconciledAt();
      if (finished.isPresent() && (reconciled.isEmpty() || reconciled.get().isBefore(finished.get()))) {
        requestRefresh(ctx, api, app, name);
        return Optional.of("its health was last assessed before its last operation finished (a refresh was requested)");
      }
      boolean passed = (waitFor.contains("health") && health.equals("Healthy"))
          || (waitFor.contains("suspended") && health.equals("Suspended"))
          || (waitFor.contains("degraded") && health.equals("Degraded"));
      if (waitFor.contains("health") && health.equals("Degraded") && !previousHealth.isEmpty()
          && !previousHealth.equals("Degraded") && !previousHealth.equals("Unknown")) {
        throw StepException.terminal(name + " health has regressed from " + previousHealth + " to " + health);
      }
      if (!passed) {
        return Optional.of("health is " + (health.isEmpty() ? "not reported" : health));
      }
    }
    if (waitFor.contains("sync") && !app.syncStatus().equals("Synced")) {
      return Optional.of("sync status is " + (app.syncStatus().isEmpty() ? "not reported" : app.syncStatus()));
    }
    return Optional.empty();
  }

  private static boolean operationInProgress(Application app) {
    return app.hasOperation() || (app.operationState().isPresent() && app.operationFinishedAt().isEmpty());
  }

  /** Asks Argo CD for a hard refresh, so it assesses health again; a failure is only logged, as in Kargo. */
  private static void requestRefresh(StepContext ctx, ArgoCdApi api, Application app, String name) {
    try {
      api.patch(app, Map.of("metadata", Map.of("annotations", Map.of(Application.REFRESH, "hard"))));
    } catch (StepException e) {
      ctx.log().info("warning: could not request a hard refresh of " + name + ": " + e.getMessage());
    }
  }

  private static List<Application> applications(ArgoCdApi api, App entry, String namespace, String field) {
    if (entry.selector() != null) {
      List<Application> found = api.list(namespace, entry.selector().toLabelSelector(field + ".selector"));
      if (found.isEmpty()) {
        throw new StepException("no Argo CD Applications found matching selector in namespace \"" + namespace + "\"");
      }
      return found;
    }
    return api.get(namespace, entry.name()).map(List::of).orElseThrow(() -> new StepException(
        "unable to find Argo CD Application \"" + entry.name() + "\" in namespace \"" + namespace + "\""));
  }

  private static Map<String, String> previousHealth(Map<String, Object> previousOutputs) {
    Map<String, String> out = new LinkedHashMap<>();
    if (previousOutputs.get("healthStatus") instanceof Map<?, ?> statuses) {
      statuses.forEach((k, v) -> {
        if (v instanceof String s) {
          out.put(String.valueOf(k), s);
        }
      });
    }
    return out;
  }

  private static Map<String, Object> outputs(List<Map<String, Object>> apps, Map<String, Object> health) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("apps", List.copyOf(apps));
    outputs.put("healthStatus", new LinkedHashMap<>(health));
    return outputs;
  }
}
