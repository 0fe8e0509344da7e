/**
 * The entry points: {@link io.promokit.PromotionEngine} (built once by a host), {@link
 * io.promokit.PromotionSequence} (one prepared promotion), {@link io.promokit.StepRegistry} and the step SPI
 * ({@link io.promokit.StepRuntime}, {@link io.promokit.StepContext}, {@link io.promokit.StepResult}, {@link
 * io.promokit.StepException}), {@link io.promokit.CustomStepDefinition} for container steps, and {@link
 * io.promokit.PromotionException}, the root of every exception. Documents are in {@code io.promokit.documents},
 * records in {@code io.promokit.records}, validation in {@code io.promokit.validation}. Everything is non-null
 * unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit;

import org.jspecify.annotations.NullMarked;
