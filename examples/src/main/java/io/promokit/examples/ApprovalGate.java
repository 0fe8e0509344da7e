package io.promokit.examples;

import io.promokit.StepContext;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A host step ({@code await-approval}): {@code Running} until someone approved the promotion, then {@code Succeeded}
 * with the approver. It asks the engine to come back in 10 minutes instead of blocking a thread. docs/embedding.md
 * and docs/testing-your-pipeline.md use it.
 */
public final class ApprovalGate implements StepRuntime {

  private final Map<String, String> approvals = new ConcurrentHashMap<>();

  /** Records that {@code approver} approved the promotion named {@code promotion}. */
  public void approve(String promotion, String approver) {
    approvals.put(promotion, approver);
  }

  @Override
  public StepResult execute(StepContext ctx) {
    String approver = approvals.get(ctx.promotion().promotion());
    if (approver == null) {
      ctx.log().info("waiting for an approval of " + ctx.promotion().promotion());
      return StepResult.running(Duration.ofMinutes(10), Map.of(), "waiting for an approval");
    }
    return StepResult.succeeded(Map.of("approver", approver));
  }
}
