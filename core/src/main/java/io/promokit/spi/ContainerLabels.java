package io.promokit.spi;

/**
 * The labels every container (or Pod) carries, so that leftovers of a crashed host can be found and
 * removed by {@link ContainerRuntime#reap(String)}.
 */
public final class ContainerLabels {
  /** The id of the engine (host process) that owns the container. */
  public static final String ENGINE = "promokit.io/engine";
  /** The promotion's name. */
  public static final String PROMOTION = "promokit.io/promotion";
  /** The step's alias (sanitized for label values). */
  public static final String STEP = "promokit.io/step";
  /** The name of the {@code CustomPromotionStep} definition the container runs ({@code uses:}). */
  public static final String DEFINITION = "promokit.io/definition";
  /** The attempt number. */
  public static final String ATTEMPT = "promokit.io/attempt";
  /** Marks what promokit manages. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** The value of {@link #MANAGED_BY}. */
  public static final String MANAGED_BY_VALUE = "promokit";

  private ContainerLabels() {}
}
