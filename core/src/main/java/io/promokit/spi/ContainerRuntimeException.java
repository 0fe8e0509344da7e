package io.promokit.spi;

import io.promokit.PromotionException;

/**
 * A container runtime could not do what was asked. {@link #isRetryable()} says whether trying again may
 * help (daemon or registry unreachable: {@link #retryable}) or not (image missing, name invalid, pull
 * unauthorized: {@link #terminal}); the engine retries the first kind within the step's error threshold and
 * ends the step at once on the second.
 */
public class ContainerRuntimeException extends PromotionException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /** For subclasses: the message, the cause (or null), and whether a retry may help. */
  protected ContainerRuntimeException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** A failure that trying again may cure (the daemon or registry was unreachable, a call timed out). */
  public static ContainerRuntimeException retryable(String message) {
    return new ContainerRuntimeException(message, null, true);
  }

  /** A failure that trying again may cure, caused by {@code cause}. */
  public static ContainerRuntimeException retryable(String message, Throwable cause) {
    return new ContainerRuntimeException(message, cause, true);
  }

  /** A failure that trying again will not cure (a missing image, an invalid name, refused credentials). */
  public static ContainerRuntimeException terminal(String message) {
    return new ContainerRuntimeException(message, null, false);
  }

  /** A failure that trying again will not cure, caused by {@code cause}. */
  public static ContainerRuntimeException terminal(String message, Throwable cause) {
    return new ContainerRuntimeException(message, cause, false);
  }

  /** Whether trying again may help. */
  public boolean isRetryable() {
    return retryable;
  }
}
