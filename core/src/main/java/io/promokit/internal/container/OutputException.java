package io.promokit.internal.container;

/** An output that cannot be parsed; the message says where. Turned into a terminal step error. */
final class OutputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OutputException(String message) {
    super(message);
  }
}
