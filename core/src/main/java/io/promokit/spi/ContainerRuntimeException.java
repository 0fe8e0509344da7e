package io.promokit.spi;

import io.promokit.PromotionException;

/**
 * A container runtime could not do what was asked. {@link #isRetryable()} says whether trying again may
 * help (daemon or registry unreachable) or not (image missing, name invalid, pull unauthorized).
 */
public class ContainerRuntimeException extends PromotionException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public ContainerRuntimeException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public ContainerRuntimeException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  public boolean isRetryable() {
    return retryable;
  }
}
