/**
 * The step kit: the public, stable API that step modules (and the built-in steps) are written with.
 * {@link io.promokit.steps.kit.StepDefinition} registers a step with its JSON Schema and config type (the
 * engine checks the schema, {@link io.promokit.steps.kit.StepAttempt}; {@link io.promokit.steps.kit.ConfigBinder}
 * binds); {@link io.promokit.steps.kit.WorkdirPaths} confines paths to the working directory;
 * {@link io.promokit.steps.kit.AtomicFiles} writes files whole; {@link io.promokit.steps.kit.YamlEditor} and
 * {@link io.promokit.steps.kit.JsonEditor} edit documents keeping their layout;
 * {@link io.promokit.steps.kit.ProcessRunner} runs command-line tools bounded by the step's deadline. See
 * docs/step-kit.md. Parameters and return values are never null unless a method says so.
 */
@NullMarked
package io.promokit.steps.kit;

import org.jspecify.annotations.NullMarked;
