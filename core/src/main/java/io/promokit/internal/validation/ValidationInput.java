package io.promokit.internal.validation;

import io.promokit.documents.PromotionPlan;
import io.promokit.documents.PromotionTemplate;
import io.promokit.StepRegistry;
import io.promokit.documents.TaskCatalog;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.spi.CapabilityProvider;
import java.util.Objects;
import java.util.Optional;

/**
 * What every {@link ValidationCheck} looks at.
 *
 * @param template the template as written
 * @param plan the template with its task steps inflated (as far as they could be)
 * @param registry the registered steps
 * @param tasks the promotion tasks
 * @param resolver the expression resolver the promotion will use
 * @param expressions every template string of the plan, parsed
 * @param capabilityProvider the host's capability provider, or null when the host did not give it (then
 *     capabilities are not checked)
 * @param findings what the registry alone gives (an engine's, computed once; else computed for this input)
 */
public record ValidationInput(
    PromotionTemplate template,
    PromotionPlan plan,
    StepRegistry registry,
    TaskCatalog tasks,
    ExpressionResolver resolver,
    ExpressionIndex expressions,
    CapabilityProvider capabilityProvider,
    RegistryFindings findings) {

  public ValidationInput {
    Objects.requireNonNull(template, "template must not be null");
    Objects.requireNonNull(plan, "plan must not be null");
    Objects.requireNonNull(registry, "registry must not be null");
    Objects.requireNonNull(tasks, "tasks must not be null");
    Objects.requireNonNull(resolver, "resolver must not be null");
    Objects.requireNonNull(expressions, "expressions must not be null");
    if (findings == null) {
      findings = RegistryFindings.lazy(registry, resolver, capabilityProvider);
    } else if (findings.registry() != registry) {
      throw new IllegalArgumentException("the findings are of another registry");
    }
  }

  /** An input without the host's capability provider. */
  public ValidationInput(PromotionTemplate template, PromotionPlan plan, StepRegistry registry, TaskCatalog tasks,
      ExpressionResolver resolver, ExpressionIndex expressions) {
    this(template, plan, registry, tasks, resolver, expressions, null, null);
  }

  /** The host's capability provider, when given. */
  public Optional<CapabilityProvider> capabilities() {
    return Optional.ofNullable(capabilityProvider);
  }
}
