package io.promokit.steps;

/** A YAML or JSON text that does not parse; the message says what and where (line and column). */
final class DocumentSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DocumentSyntaxException(String message, Throwable cause) {
    super(message, cause);
  }
}
