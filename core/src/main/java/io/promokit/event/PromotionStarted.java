package io.promokit.event;

import java.time.Instant;
import java.util.List;

/**
 * A promotion started or resumed.
 *
 * @param promotion the promotion's name
 * @param aliases every step's alias in order
 * @param resumed whether it continues from a record
 * @param at when
 */
public record PromotionStarted(String promotion, List<String> aliases, boolean resumed, Instant at) {
  public PromotionStarted {
    aliases = List.copyOf(aliases);
  }
}
