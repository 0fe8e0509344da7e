package io.promokit.steps.argocd;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.promokit.PromotionContext;
import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.argocd.UpdateConfig.App;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code argocd-update}: for each Application of the config, authorised by its annotation, it starts a sync
 * stamped with the promotion (after applying the source updates) unless Kargo's decision says to wait or that the
 * sync is done, and aggregates the phases: any Running or Terminating → {@code Running}, all Succeeded →
 * {@code Succeeded}, a Failed or Error operation → {@code Errored}.
 */
final class ArgoCdUpdateStep {

  /** How often a patch is tried again when the Application changed under it (409), as client-go's default. */
  static final int CONFLICT_TRIES = 5;
  private static final int MAX_INCOMPATIBLE_REPORTED = 3;

  private final ArgoCdSettings settings;

  ArgoCdUpdateStep(ArgoCdSettings settings) {
    this.settings = settings;
  }

  StepResult run(StepContext ctx, UpdateConfig config) throws Exception {
    ConfigRules.check(config);
    ArgoCdApi api = settings.api("update");
    List<String> phases = new ArrayList<>();
    List<Map<String, Object>> resolved = new ArrayList<>();
    List<Map<String, Object>> health = new ArrayList<>();
    List<String> waitingFor = new ArrayList<>();
    for (int i = 0; i < config.apps().size(); i++) {
      App entry = config.apps().get(i);
      String namespace = entry.namespace() != null ? entry.namespace() : settings.namespace();
      List<Application> apps = authorizedApplications(ctx, api, entry, namespace, "config.apps[" + i + "]");
      if (!entry.sourceUpdates().isEmpty()) {
        requireCompatibleSources(entry, apps);
      }
      for (Application app : apps) {
        List<String> desired = SourceUpdates.desiredRevisions(entry.sourceUpdates(), app);
        health.add(healthCheckEntry(app, desired));
        resolved.add(ref(app));
        String phase = process(ctx, api, entry, app, desired);
        if (!phase.equals(OperationPhase.SUCCEEDED.word())) {
          waitingFor.add("\"" + app.name() + "\" in namespace \"" + app.namespace() + "\" (" + phase + ")");
        }
        if (!phase.isEmpty()) {
          phases.add(phase);
        }
      }
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("apps", resolved);
    outputs.put("healthCheck", Map.of("kind", "argocd-update", "input", Map.of("apps", health)));
    Optional<OperationPhase> worst = phases.stream().map(OperationPhase::of)
        .flatMap(Optional::stream).min(Comparator.naturalOrder());
    if (worst.isEmpty()) {
      // Kargo's order puts phases it does not know last: only they (or none at all) leave the status open.
      throw new StepException("could not determine promotion step status from operation phases: " + phases)
          .withOutputs(outputs);
    }
    return switch (worst.get()) {
      case RUNNING, TERMINATING -> StepResult.running(settings.pollInterval(), outputs,
          "waiting for the sync of Argo CD Application " + String.join(", ", waitingFor));
      case SUCCEEDED -> StepResult.succeeded(outputs);
      // A failed phase never gets here: process() errors at once.
      case FAILED, ERROR -> throw new StepException("an Argo CD operation ended " + worst.get());
    };
  }

  /** The Application's phase after this attempt ("" when there is none to report). */
  private String process(StepContext ctx, ArgoCdApi api, App entry, Application app, List<String> desired) {
    UpdateDecision decision = UpdateDecision.decide(app, ctx.promotion().promotion(), desired);
    String name = "Argo CD Application \"" + app.name() + "\" in namespace \"" + app.namespace() + "\"";
    if (!decision.mustSync()) {
      if (!decision.reason().isEmpty()) {
        ctx.log().info(name + ": " + decision.reason());
      }
      if (OperationPhase.of(decision.phase()).map(OperationPhase::failed).orElse(false)) {
        throw new StepException(name + " failed with: " + app.operationMessage());
      }
      return decision.phase();
    }
    ctx.log().info(name + ": starting a sync (" + decision.reason() + ")");
    sync(ctx, api, entry, app, name);
    return OperationPhase.RUNNING.word();
  }

  /** Patches sources, refresh annotation and operation with an optimistic lock, re-reading on each conflict. */
  private void sync(StepContext ctx, ArgoCdApi api, App entry, Application read, String name) {
    Application current = read;
    for (int attempt = 1; ; attempt++) {
      List<Map<String, Object>> sources;
      try {
        sources = SourceUpdates.desiredSources(entry.sourceUpdates(),
            SourceUpdates.desiredRevisions(entry.sourceUpdates(), current), current);
      } catch (IllegalArgumentException e) {
        throw new StepException("error building desired sources for " + name + ": " + e.getMessage());
      }
      Map<String, Object> modified = SyncRequest.modify(current, sources, ctx.promotion(), settings.initiator());
      Map<String, Object> patch = MergePatch.diff(current.json(), modified);
      patch.computeIfAbsent("metadata", k -> new LinkedHashMap<String, Object>());
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata = (Map<String, Object>) patch.get("metadata");
      metadata.put("resourceVersion", current.resourceVersion());
      try {
        api.patchRaw(current, patch);
        recordEvent(ctx, api, current, new Application(modified), name);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw wrap(name, ApiCalls.permanent(ArgoCdApi.patchWhat(current), current.namespace(), e));
        }
        if (attempt >= CONFLICT_TRIES) {
          throw new StepException("error syncing " + name + ": it kept changing while it was patched ("
              + CONFLICT_TRIES + " conflicts in a row, the last: " + ApiCalls.describe(e) + ")", e);
        }
        ctx.log().info(name + " changed while it was patched (" + ApiCalls.describe(e) + "): reading it again");
        current = api.get(current.namespace(), current.name()).orElseThrow(() -> new StepException(
            "error syncing " + name + ": it was deleted while it was patched"));
      } catch (StepException e) {
        throw wrap(name, e);
      }
    }
  }

  private static StepException wrap(String name, StepException e) {
    return new StepException("error syncing " + name + ": " + e.getMessage(), e);
  }

  /**
   * An {@code OperationStarted} Event on the Application, as Argo CD's API server records a sync it starts (Kargo
   * does the same). Not being able to record it does not stop the step.
   */
  private void recordEvent(StepContext ctx, ArgoCdApi api, Application before, Application synced, String name) {
    Instant now = ctx.clock().instant();
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    String user = settings.initiator();
    Event event = new EventBuilder()
        .withNewMetadata()
          .withName(before.name() + "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano()))
          .withNamespace(before.namespace())
          .withAnnotations(Map.of("user", user))
        .endMetadata()
        .withNewSource().withComponent(user).endSource()
        .withNewInvolvedObject()
          .withApiVersion("argoproj.io/v1alpha1").withKind("Application")
          .withNamespace(before.namespace()).withName(before.name())
          .withUid(before.uid()).withResourceVersion(before.resourceVersion())
        .endInvolvedObject()
        .withFirstTimestamp(at).withLastTimestamp(at).withCount(1)
        .withType("Normal").withReason("OperationStarted")
        .withMessage(user + " " + syncMessage(synced))
        .build();
    try {
      api.createEvent(event);
    } catch (StepException e) {
      ctx.log().info("warning: could not record the sync of " + name + " as an Event: " + e.getMessage());
    }
  }

  /** {@code initiated sync to <targetRevision>}, or {@code to N sources}, as Kargo words it. */
  static String syncMessage(Application app) {
    List<Map<String, Object>> sources = app.sources();
    if (app.hasSourcesList() && sources.size() > 1) {
      return "initiated sync to " + sources.size() + " sources";
    }
    if (sources.isEmpty()) {
      return "initiated sync";
    }
    return "initiated sync to " + Application.text(sources.get(0), "targetRevision");
  }

  /**
   * The Applications the entry names that this Stage may change; unauthorised ones are left out with a log line.
   *
   * @throws StepException when none is left, saying why
   */
  private List<Application> authorizedApplications(StepContext ctx, ArgoCdApi api, App entry, String namespace,
      String field) {
    PromotionContext promotion = ctx.promotion();
    List<Application> found;
    if (entry.selector() != null) {
      found = api.list(namespace, entry.selector().toLabelSelector(field + ".selector"));
      if (!found.isEmpty()) {
        ctx.log().info("found " + found.size() + " Argo CD Application(s) matching the selector in namespace \""
            + namespace + "\"");
      }
    } else {
      found = api.get(namespace, entry.name()).map(List::of).orElseThrow(() -> new StepException(
          "unable to find Argo CD Application \"" + entry.name() + "\" in namespace \"" + namespace + "\""));
    }
    List<Application> authorized = new ArrayList<>();
    String lastRefusal = "";
    for (Application app : found) {
      Optional<String> refusal = Authorization.refusal(app, promotion.project(), promotion.stage());
      if (refusal.isPresent()) {
        lastRefusal = refusal.get();
        ctx.log().info("warning: skipping Argo CD Application \"" + app.name() + "\" in namespace \"" + app.namespace()
            + "\": Stage " + promotion.project() + ":" + promotion.stage() + " may not change it: " + refusal.get());
      } else {
        authorized.add(app);
      }
    }
    if (!authorized.isEmpty()) {
      return authorized;
    }
    if (entry.selector() != null) {
      if (found.isEmpty()) {
        throw new StepException("no Argo CD Applications found matching selector in namespace \"" + namespace + "\"");
      }
      throw new StepException("found " + found.size() + " Application(s) matching selector in namespace \"" + namespace
          + "\", but none are authorized for Stage " + promotion.project() + ":" + promotion.stage());
    }
    throw new StepException("Argo CD Application \"" + entry.name() + "\" in namespace \"" + namespace
        + "\" is not authorized for Stage " + promotion.project() + ":" + promotion.stage() + ": " + lastRefusal);
  }

  /** With a selector matching several Applications, every one must take the source updates: else none is touched. */
  private static void requireCompatibleSources(App entry, List<Application> apps) {
    if (apps.size() <= 1) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (Application app : apps) {
      try {
        SourceUpdates.desiredSources(entry.sourceUpdates(), SourceUpdates.desiredRevisions(entry.sourceUpdates(), app),
            app);
      } catch (IllegalArgumentException e) {
        problems.add("Application \"" + app.name() + "\" in namespace \"" + app.namespace() + "\": " + e.getMessage());
      }
    }
    if (problems.isEmpty()) {
      return;
    }
    String count = problems.size() > MAX_INCOMPATIBLE_REPORTED
        ? problems.size() + " incompatible (showing first " + MAX_INCOMPATIBLE_REPORTED + ")"
        : problems.size() + " incompatible";
    throw new StepException("selected Applications must have compatible sources; " + count
        + ". No Applications were updated:\n"
        + String.join("\n", problems.subList(0, Math.min(problems.size(), MAX_INCOMPATIBLE_REPORTED))));
  }

  private static Map<String, Object> ref(Application app) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("name", app.name());
    ref.put("namespace", app.namespace());
    return ref;
  }

  private static Map<String, Object> healthCheckEntry(Application app, List<String> desiredRevisions) {
    Map<String, Object> entry = ref(app);
    entry.put("desiredRevisions", List.copyOf(desiredRevisions));
    return entry;
  }
}
