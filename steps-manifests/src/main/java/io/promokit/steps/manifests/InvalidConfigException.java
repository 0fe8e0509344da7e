package io.promokit.steps.manifests;

/**
 * A config that passed its schema but breaks a rule of the step (or asks for something this implementation
 * cannot honour). The message starts with the config path. The step ends {@code Failed}.
 */
final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidConfigException(String message) {
    super(message);
  }
}
