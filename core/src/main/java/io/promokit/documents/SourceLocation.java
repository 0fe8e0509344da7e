package io.promokit.documents;

import java.util.Objects;

/**
 * Where something was written: a file (or another source name), a 1-based line and column. Line and
 * column are 0 when unknown (for example for templates built in code).
 */
public record SourceLocation(String file, int line, int column) {

  /** The location of things built in code rather than read from a file. */
  public static final SourceLocation IN_CODE = new SourceLocation("<code>", 0, 0);

  public SourceLocation {
    Objects.requireNonNull(file, "file must not be null");
  }

  /** {@code file:line:column}, or less where unknown. */
  @Override
  public String toString() {
    if (line <= 0) {
      return file;
    }
    return column <= 0 ? file + ":" + line : file + ":" + line + ":" + column;
  }
}
