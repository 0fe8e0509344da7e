/**
 * What a promotion did: {@link io.promokit.records.PromotionRecord} (its JSON is the contract of CLI.md; a
 * waiting one is resumed from it at {@code nextDueAt()}), {@link io.promokit.records.StepRecord}, {@link
 * io.promokit.records.ContainerReport}. Secrets are masked in all of them. Everything is non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package io.promokit.records;

import org.jspecify.annotations.NullMarked;
