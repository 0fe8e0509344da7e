package io.promokit.validation;

import io.promokit.StepRegistry;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.TaskCatalog;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.internal.validation.RegistryFindings;
import io.promokit.internal.validation.TemplateValidation;
import io.promokit.spi.CapabilityProvider;
import java.util.Objects;

/**
 * Checks a template before anything runs and reports every problem at once, each with {@code file:line},
 * the step's alias, the field or config path and a message; errors and warnings are kept apart.
 *
 * <p>Errors: aliases that are duplicated, reserved ({@code step-N}, {@code task-N}) or malformed; steps that
 * set both or neither of {@code uses} and {@code task}; task steps that set more than {@code task},
 * {@code as} and {@code vars}; unknown tasks, tasks that use tasks, and required task vars nobody gives;
 * malformed var names; unknown step names (with the closest registered names); an {@code if} written as a
 * plain string; expressions that do not parse; status functions in vars; {@code outputs.X} or
 * {@code task.outputs.X} where no step X runs earlier; config that breaks the step's config schema (as far as
 * values are literal). Warnings: vars read but never defined or defined too late, vars never read, a task
 * step var the task does not know, {@code ctx} fields that do not exist, a task alias read as
 * {@code outputs.X} when the task composes no output, a step reading its own output, text around an
 * {@code if} expression, a template without steps.
 *
 * <pre>{@code
 * ValidationReport report = PromotionValidator.validate(template, registry, documents.taskCatalog());
 * if (!report.isValid()) {
 *   System.err.println(report.describeErrors());
 * }
 * }</pre>
 */
public final class PromotionValidator {

  private PromotionValidator() {}

  /** Validates with a default {@link ExpressionResolver}. */
  public static ValidationReport validate(PromotionTemplate template, StepRegistry registry, TaskCatalog tasks) {
    return validate(template, registry, tasks, ExpressionResolver.create());
  }

  /**
   * Validates with the resolver the promotion will use (so expressions are parsed the way they will run).
   *
   * @return every problem found, errors and warnings apart, in the order they are written
   */
  public static ValidationReport validate(PromotionTemplate template, StepRegistry registry, TaskCatalog tasks,
      ExpressionResolver resolver) {
    return validate(template, registry, tasks, resolver, null);
  }

  /**
   * Validates as {@link #validate(PromotionTemplate, StepRegistry, TaskCatalog, ExpressionResolver)} does, and
   * also checks that every capability a container step asks for is offered by the host's provider.
   */
  public static ValidationReport validate(PromotionTemplate template, StepRegistry registry, TaskCatalog tasks,
      ExpressionResolver resolver, CapabilityProvider capabilities) {
    Objects.requireNonNull(template, "template must not be null");
    Objects.requireNonNull(registry, "registry must not be null");
    Objects.requireNonNull(tasks, "tasks must not be null");
    Objects.requireNonNull(resolver, "resolver must not be null");
    return validate(template, tasks, resolver, capabilities, RegistryFindings.lazy(registry, resolver, capabilities));
  }

  private static ValidationReport validate(PromotionTemplate template, TaskCatalog tasks, ExpressionResolver resolver,
      CapabilityProvider capabilities, RegistryFindings findings) {
    return ValidationReport.of(TemplateValidation.problems(template, tasks, resolver, capabilities, findings));
  }
}
