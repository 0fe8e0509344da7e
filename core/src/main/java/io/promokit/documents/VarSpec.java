package io.promokit.documents;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A variable: {@code {name, value}}. The value is usually a string, possibly a template; a var without a
 * value (in a promotion task) must be given by the step that uses the task.
 *
 * @param name matches {@code ^[a-zA-Z_]\w*$}
 * @param value a string (template or literal), another JSON value, or null when not given
 * @param location where it is written
 * @param source where its {@code name} and {@code value} are written ({@link SourceMap#EMPTY} when built in
 *     code)
 */
public record VarSpec(String name, @Nullable Object value, SourceLocation location, SourceMap source) {
  public VarSpec {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(location, "location must not be null");
    source = source == null ? SourceMap.EMPTY : source;
  }

  /** A var without a source map. */
  public VarSpec(String name, Object value, SourceLocation location) {
    this(name, value, location, SourceMap.EMPTY);
  }

  public static VarSpec of(String name, Object value) {
    return new VarSpec(name, value, SourceLocation.IN_CODE);
  }

  /** Whether a value was given (a task var without one is required). */
  public boolean hasValue() {
    return value != null;
  }
}
