package io.promokit;

import java.util.Objects;

/**
 * A document (template, task, step definition, env file) that cannot be read: malformed YAML, an
 * unknown or misspelled field, a wrong type, a bad duration, a missing required field. The message
 * starts with {@code file:line:column} and names the field.
 */
public class DocumentException extends PromotionException {
  private static final long serialVersionUID = 1L;

  private final SourceLocation location;
  private final String field;

  /**
   * @param location where the problem is
   * @param field the field's path, for example {@code steps[2].retry.timeout}, or null
   * @param problem what is wrong, without the location
   */
  public DocumentException(SourceLocation location, String field, String problem, Throwable cause) {
    super(compose(location, field, problem), cause);
    this.location = Objects.requireNonNull(location, "location must not be null");
    this.field = field;
  }

  public DocumentException(SourceLocation location, String field, String problem) {
    this(location, field, problem, null);
  }

  public SourceLocation location() {
    return location;
  }

  /** The path of the offending field, or null. */
  public String field() {
    return field;
  }

  private static String compose(SourceLocation location, String field, String problem) {
    return location + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + problem;
  }
}
