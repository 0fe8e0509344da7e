package io.promokit.cli;

/** A command line that does not parse (unknown option, missing or bad value): exit code 2, one line. */
final class BadArgumentsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadArgumentsException(String message) {
    super(message);
  }
}
