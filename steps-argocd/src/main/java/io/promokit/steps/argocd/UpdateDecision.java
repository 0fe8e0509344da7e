package io.promokit.steps.argocd;

import java.util.List;
import java.util.Optional;

/**
 * Whether {@code argocd-update} must start a sync of an Application, decided from its operation state exactly as
 * Kargo does (reference section 5, step 5): nobody's operation, someone else's finished one, another promotion's
 * finished one, or this promotion's finished one that did not apply the desired revisions (or left no sync
 * result) mean sync; a running operation of anyone means wait; this promotion's finished operation with the
 * desired revisions applied is the answer.
 *
 * @param phase the phase to report when no sync is started (empty when one is)
 * @param mustSync whether to start a sync
 * @param reason why, in words, for the step's log (empty when there is nothing to say)
 */
record UpdateDecision(String phase, boolean mustSync, String reason) {

  /** The info entry Kargo stamps on the operations it starts, naming the promotion. */
  static final String PROMOTION_INFO = "kargo.akuity.io/promotion";

  static UpdateDecision decide(Application app, String promotion, List<String> desiredRevisions) {
    Optional<?> state = app.operationState();
    if (state.isEmpty()) {
      return new UpdateDecision("", true, "no operation found");
    }
    String phase = app.operationPhase();
    boolean completed = OperationPhase.of(phase).map(OperationPhase::completed).orElse(false);
    String stamped = app.operationInfo().get(PROMOTION_INFO);
    if (stamped == null) {
      if (!completed) {
        return new UpdateDecision(phase, false, "current operation was initiated by \"" + app.operationInitiator()
            + "\": waiting for operation to complete");
      }
      return new UpdateDecision("", true, "the operation of \"" + app.operationInitiator() + "\" is complete");
    }
    if (!stamped.equals(promotion)) {
      if (!completed) {
        return new UpdateDecision(phase, false, "current operation was not initiated for Promotion " + promotion
            + " (it was for " + stamped + "): waiting for operation to complete");
      }
      return new UpdateDecision("", true, "the operation of Promotion " + stamped + " is complete");
    }
    if (!completed) {
      return new UpdateDecision(phase, false, "waiting for the operation of this promotion to complete");
    }
    if (!app.hasSyncResult()) {
      return new UpdateDecision("", true, "operation completed without a sync result");
    }
    if (desiredRevisions.isEmpty()) {
      return new UpdateDecision(phase, false, "");
    }
    List<String> observed = app.syncedRevisions();
    for (int i = 0; i < observed.size() && i < desiredRevisions.size(); i++) {
      String desired = desiredRevisions.get(i);
      if (!desired.isEmpty() && !desired.equals(observed.get(i))) {
        return new UpdateDecision("", true, "sync result revisions " + observed + " do not match desired revisions "
            + desiredRevisions);
      }
    }
    return new UpdateDecision(phase, false, "");
  }
}
