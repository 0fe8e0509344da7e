package io.promokit.runtime.k8s.cluster;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class, with one line saying why, when no Docker daemon answers; unless
 * {@code PROMOKIT_REQUIRE_DOCKER=true}, when the class runs and {@link Docker#assumeAvailable()} in its
 * {@code @BeforeAll} fails it.
 */
public final class RequiresDocker implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> why = Docker.unavailableReason();
    if (why.isEmpty() || "true".equals(System.getenv("PROMOKIT_REQUIRE_DOCKER"))) {
      return ConditionEvaluationResult.enabled("Docker answers, or is required");
    }
    return ConditionEvaluationResult.disabled("Docker is not available (" + why.get()
        + "): the fake kubelet runs step Pods in Docker");
  }
}
