/**
 * promokit's built-in steps (BUILTIN-STEPS.md), registered by {@code StepRegistry.Builder.withBuiltins()}
 * through {@link io.promokit.steps.BuiltinSteps}. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit.steps;

import org.jspecify.annotations.NullMarked;
