package io.promokit.steps.manifests;

import io.promokit.PromotionContext;
import java.util.List;

/**
 * The host's view of the Freight being promoted, for {@code kustomize-set-image} without {@code images}
 * (Kargo's auto mode reads the Freight and its Warehouses). Called from step threads; must be thread-safe.
 */
public interface FreightImageSource {

  /** Every image of the Freight the promotion moves. */
  List<FreightImage> images(PromotionContext promotion);

  /**
   * Whether two of the Freight's origins subscribe to the same image repository, so that picking one would
   * be a guess (Kargo: "manual configuration required due to ambiguous result").
   */
  default boolean isAmbiguous(PromotionContext promotion) {
    return false;
  }
}
