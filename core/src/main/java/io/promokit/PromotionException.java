package io.promokit;

import io.promokit.documents.DocumentException;
import io.promokit.validation.ValidationException;

/**
 * The root of every exception promokit throws. Subtypes carry the context: {@link DocumentException}
 * (file, line, column, field), {@link ValidationException} (every problem of a template),
 * {@link StepException} (a step's error, retryable or terminal), and
 * {@link io.promokit.spi.ContainerRuntimeException} (a container runtime's error).
 */
public class PromotionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PromotionException(String message) {
    super(message);
  }

  public PromotionException(String message, Throwable cause) {
    super(message, cause);
  }
}
