/**
 * Following promotions as they run: {@link io.promokit.event.PromotionListener} and its events; {@link
 * io.promokit.event.Slf4jPromotionListener} sends them to SLF4J; {@link io.promokit.event.StepError} is what a
 * step threw, secrets masked. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit.event;

import org.jspecify.annotations.NullMarked;
