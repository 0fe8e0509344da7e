package io.promokit.spi;

import io.promokit.PromotionContext;
import java.util.Map;

/**
 * Where {@code set-metadata} writes: the host's store of Stage and Freight metadata (Kargo keeps it in the
 * {@code status.metadata} of its Stage and Freight objects, and expressions read it back with
 * {@code stageMetadata()} and {@code freightMetadata()}). Given to {@code PromotionEngine.Builder.metadataSink};
 * without one, the values go into the promotion record's {@code metadata} section.
 *
 * <p>Called on the step's thread, once per update of the step's config, in order; promotions that share a sink
 * call it concurrently, so implementations must be thread-safe. A call may be repeated when the step is retried
 * after an error, so it must be idempotent: setting the same values again changes nothing. A thrown exception
 * makes the attempt {@code Errored} (retried while the step's {@code errorThreshold} allows, as in Kargo); its
 * message is shown, so it must not contain a secret.
 */
@FunctionalInterface
public interface PromotionMetadataSink {

  /**
   * Sets metadata of one Stage or Freight: every key of {@code values} is set to its value (replacing the value
   * it had), and keys not named keep theirs.
   *
   * @param promotion the promotion asking: its project is where the Stage or Freight lives
   * @param kind Stage or Freight
   * @param name the object's name, in the promotion's project
   * @param values at least one key; values are JSON-like (strings, numbers, booleans, null, lists, maps)
   * @throws Exception when the object does not exist or the store cannot be written
   */
  void setMetadata(PromotionContext promotion, MetadataKind kind, String name, Map<String, Object> values)
      throws Exception;
}
