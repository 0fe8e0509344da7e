package io.promokit.event;

import io.promokit.records.PromotionRecord;

/**
 * A promotion ended, or stopped to wait (its record's phase is then {@code Running}).
 *
 * @param record the record (secrets masked)
 */
public record PromotionFinished(PromotionRecord record) {}
