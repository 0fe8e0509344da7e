package io.promokit.spi;

import io.promokit.PromotionContext;

/**
 * Gives Freight their aliases for {@code set-freight-alias}: the host's store of Freight (Kargo patches the
 * Freight's {@code alias} field and its {@code kargo.akuity.io/alias} label, and its webhook keeps aliases unique
 * in a project). Given to {@code PromotionEngine.Builder.freightAliases}; without one, {@code set-freight-alias}
 * fails with a "no freight service" message.
 *
 * <p>Called on the step's thread, once per attempt; implementations must be thread-safe. Setting the alias a
 * Freight already has must succeed (the step may run again after a resume). Every thrown exception ends the step
 * {@code Failed} (no retry, as in Kargo), with the exception's message, which must not contain a secret.
 */
@FunctionalInterface
public interface FreightAliasService {

  /**
   * Gives the Freight the alias.
   *
   * @param promotion the promotion asking: its project is where the Freight lives
   * @param freightName the Freight's name, in the promotion's project
   * @param alias the new alias (not empty)
   * @return the alias the Freight had before, or the empty string when it had none
   * @throws Exception when the Freight does not exist, another Freight of the project has the alias, or the
   *     store cannot be written
   */
  String setAlias(PromotionContext promotion, String freightName, String alias) throws Exception;
}
