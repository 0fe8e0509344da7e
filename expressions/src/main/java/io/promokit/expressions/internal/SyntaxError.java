package io.promokit.expressions.internal;

/**
 * An error found while compiling an expression, at an offset of its text: a syntax error, a type error
 * (what expr-lang's checker rejects before running), or an exceeded limit.
 */
final class SyntaxError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int offset;
  private final String kind;

  SyntaxError(String message, int offset) {
    this("syntax error", message, offset);
  }

  /**
   * @param kind what sort of error, put before the message ("syntax error", "type error"), or "" for none
   */
  SyntaxError(String kind, String message, int offset) {
    super(message, null, false, false);
    this.kind = kind;
    this.offset = offset;
  }

  static SyntaxError typeError(String message, int offset) {
    return new SyntaxError("type error", message, offset);
  }

  /** The message as the user sees it, with its kind. */
  String reason() {
    return kind.isEmpty() ? getMessage() : kind + ": " + getMessage();
  }
}
