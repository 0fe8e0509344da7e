package io.promokit.expressions.internal;

/** A parse error at an offset of the expression text. */
final class SyntaxError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int offset;

  SyntaxError(String message, int offset) {
    super(message, null, false, false);
    this.offset = offset;
  }
}
