package io.promokit.cli;

/** Input the command cannot use (unreadable file, invalid JSON, unknown option value): exit code 2. */
final class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadInputException(String message) {
    super(message);
  }

  BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
