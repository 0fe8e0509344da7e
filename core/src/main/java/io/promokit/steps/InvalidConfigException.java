package io.promokit.steps;

/**
 * A config that passed its schema but breaks one of the step's own rules (two fields that exclude each
 * other, a mode that is not allowed). The message starts with the config path of the field. The step ends
 * {@code Failed}.
 */
final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidConfigException(String message) {
    super(message);
  }
}
