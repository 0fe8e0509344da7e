package io.promokit.runtime.docker;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips each test of a Docker test class, saying why, when the daemon or the test images are missing,
 * unless {@code PROMOKIT_REQUIRE_DOCKER=true}: then the tests run and the class's
 * {@code DockerTestEnvironment.require()} makes them fail. Each test is skipped on its own (rather than
 * the class) so that the reason shows in every report.
 */
class RequiresDocker implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      return ConditionEvaluationResult.enabled("checked for each test");
    }
    String why = problem();
    if (why == null) {
      return ConditionEvaluationResult.enabled("the Docker test environment is there");
    }
    if (DockerTestEnvironment.isRequired()) {
      return ConditionEvaluationResult.enabled(DockerTestEnvironment.REQUIRE + "=true: the test fails instead");
    }
    return ConditionEvaluationResult.disabled(
        "Docker tests skipped: " + why + " (set " + DockerTestEnvironment.REQUIRE + "=true to fail instead)");
  }

  /** What is missing, or null. */
  String problem() {
    return DockerTestEnvironment.problem();
  }

  /** Also needs the private registry. */
  static final class AndRegistry extends RequiresDocker {
    @Override
    String problem() {
      String why = super.problem();
      return why != null ? why : DockerTestEnvironment.registryProblem();
    }
  }
}
