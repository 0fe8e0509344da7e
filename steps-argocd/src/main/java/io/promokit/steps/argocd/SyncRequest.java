package io.promokit.steps.argocd;

import io.promokit.PromotionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Application as {@code argocd-update} wants it to start a sync, as Kargo writes it: the desired sources, a
 * hard refresh requested, and an {@code operation} that names the promotion (Kargo's
 * {@code kargo.akuity.io/promotion} info entry, by which a later attempt recognises its own sync) and carries the
 * Application's sync options and retry policy; its old {@code status.operationState} cleared, which Argo CD's API
 * server would do and its controller does not (argo-cd#20875).
 */
final class SyncRequest {

  static final String REASON = "Promotion triggered a sync of this Application resource.";

  private SyncRequest() {}

  /**
   * A modified copy of the Application's JSON.
   *
   * @param initiator who starts syncs when the promotion has no actor
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> modify(Application app, List<Map<String, Object>> sources, PromotionContext promotion,
      String initiator) {
    Map<String, Object> json = app.copy();
    Map<String, Object> metadata = child(json, "metadata");
    child(metadata, "annotations").put(Application.REFRESH, "hard");
    Map<String, Object> spec = child(json, "spec");
    if (app.hasSourcesList()) {
      spec.put("sources", sources);
    } else if (spec.get("source") instanceof Map<?, ?> && !sources.isEmpty()) {
      spec.put("source", sources.get(0));
    }
    json.put("operation", operation(app, promotion, initiator));
    if (json.get("status") instanceof Map<?, ?> status) {
      ((Map<String, Object>) status).remove("operationState");
    }
    return json;
  }

  private static Map<String, Object> operation(Application app, PromotionContext promotion, String initiator) {
    Map<String, Object> initiatedBy = new LinkedHashMap<>();
    // A promotion with an actor was started by a person: Argo CD then applies its sync windows as to a manual sync.
    if (promotion.actor().isEmpty()) {
      initiatedBy.put("username", initiator);
      initiatedBy.put("automated", true);
    } else {
      initiatedBy.put("username", promotion.actor());
    }
    Map<String, Object> sync = new LinkedHashMap<>();
    Map<String, Object> policy = app.syncPolicy();
    if (policy.get("syncOptions") instanceof List<?> options) {
      sync.put("syncOptions", Application.deepCopy(options));
    }
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("initiatedBy", initiatedBy);
    operation.put("info", List.of(
        Map.of("name", "Reason", "value", REASON),
        Map.of("name", UpdateDecision.PROMOTION_INFO, "value", promotion.promotion())));
    operation.put("sync", sync);
    if (policy.get("retry") instanceof Map<?, ?> retry) {
      operation.put("retry", Application.deepCopy(retry));
    }
    return operation;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> parent, String key) {
    if (!(parent.get(key) instanceof Map<?, ?>)) {
      parent.put(key, new LinkedHashMap<String, Object>());
    }
    return (Map<String, Object>) parent.get(key);
  }
}
