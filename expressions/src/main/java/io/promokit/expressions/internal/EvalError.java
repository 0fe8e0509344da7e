package io.promokit.expressions.internal;

/**
 * An evaluation error raised by the resolver's own code (functions, operators, member access). The
 * message is the user-facing reason; the resolver adds the location.
 */
final class EvalError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  EvalError(String message) {
    super(message, null, false, false);
  }

  EvalError(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
