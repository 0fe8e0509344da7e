package io.promokit.internal.engine;

import io.promokit.documents.SourceLocation;
import io.promokit.expressions.ExpressionException;

/**
 * An expression error with where its value is written, for errors whose holder the error alone does not tell:
 * a var named {@code vars.x} may be a global var or a step's. The message is the error's own.
 */
final class LocatedExpressionException extends ExpressionException {
  private static final long serialVersionUID = 1L;

  private final transient SourceLocation location;

  LocatedExpressionException(ExpressionException error, SourceLocation location) {
    super(error.reason(), error.template(), error.expression(), error.column(), error.configPath(), error.getCause());
    this.location = location;
  }

  /** Where the failing value is written, or null when unknown. */
  SourceLocation location() {
    return location;
  }
}
