/**
 * Checking a template before it runs: {@link io.promokit.validation.PromotionValidator} gives a {@link
 * io.promokit.validation.ValidationReport} of every problem at once; {@link
 * io.promokit.validation.ValidationException} when a sequence is built from an invalid template. Everything is
 * non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit.validation;

import org.jspecify.annotations.NullMarked;
