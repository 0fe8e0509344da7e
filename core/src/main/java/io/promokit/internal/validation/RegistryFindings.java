package io.promokit.internal.validation;

import io.promokit.ConfigSchema;
import io.promokit.CustomStepDefinition;
import io.promokit.documents.Problem;
import io.promokit.RegisteredStep;
import io.promokit.StepRegistry;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.spi.CapabilityProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What validation finds from the registry alone, worked out once and reused for every template: each container
 * step definition's own problems (a secret in its command, a shell script that splices values without
 * {@code shellQuote()}, a capability the host does not offer) and the stand-in values of each config schema.
 * An engine makes one and computes it when built; {@link io.promokit.validation.PromotionValidator}'s static methods make
 * one per call and compute only what the template uses. Thread-safe.
 */
public final class RegistryFindings {

  private final StepRegistry registry;
  private final ExpressionResolver resolver;
  private final CapabilityProvider capabilities;
  private final Map<String, List<Problem>> byDefinition = new ConcurrentHashMap<>();
  private final Map<ConfigSchema, List<Object>> standIns = new ConcurrentHashMap<>();

  private RegistryFindings(StepRegistry registry, ExpressionResolver resolver, CapabilityProvider capabilities) {
    this.registry = registry;
    this.resolver = resolver;
    this.capabilities = capabilities;
  }

  /**
   * Findings computed as templates need them.
   *
   * @param capabilities the host's capability provider, or null to leave capabilities unchecked
   */
  public static RegistryFindings lazy(StepRegistry registry, ExpressionResolver resolver,
      CapabilityProvider capabilities) {
    return new RegistryFindings(registry, resolver, capabilities);
  }

  /** Findings for every step of the registry, computed now (an engine's, once for its life). */
  public static RegistryFindings computed(StepRegistry registry, ExpressionResolver resolver,
      CapabilityProvider capabilities) {
    RegistryFindings findings = lazy(registry, resolver, capabilities);
    for (RegisteredStep step : registry.steps()) {
      if (step instanceof RegisteredStep.Container container) {
        findings.problemsOf(container.definition());
      }
      step.options().configSchema().ifPresent(findings::standInsOf);
    }
    return findings;
  }

  /** The registry these findings are about. */
  public StepRegistry registry() {
    return registry;
  }

  /** The resolver the definitions' expressions were parsed with. */
  public ExpressionResolver resolver() {
    return resolver;
  }

  /**
   * A container step definition's own problems, located at the definition, with no step alias (the check that
   * reports them names the first step that uses the definition).
   */
  List<Problem> problemsOf(CustomStepDefinition definition) {
    return byDefinition.computeIfAbsent(definition.name(),
        name -> List.copyOf(ContainerStepCheck.definitionProblems(definition, resolver, capabilities)));
  }

  /** The values {@link ConfigSchemaCheck} tries in place of an expression, for this schema. */
  List<Object> standInsOf(ConfigSchema schema) {
    return standIns.computeIfAbsent(schema, ConfigSchemaCheck::standIns);
  }
}
