package io.promokit.steps.kit;

/**
 * A YAML or JSON text that does not parse; the message says what and where, such as
 * {@code is not valid YAML: mapping values are not allowed here (line 3, column 8)} (callers put the file
 * name in front).
 */
public final class DocumentSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A syntax problem; the message says what and where. */
  public DocumentSyntaxException(String message, Throwable cause) {
    super(message, cause);
  }
}
