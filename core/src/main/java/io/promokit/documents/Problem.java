package io.promokit.documents;

import io.promokit.validation.PromotionValidator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One finding of {@link PromotionValidator}: where (file, line), which step, which config path, and what.
 *
 * @param severity an error stops the promotion from running; a warning does not
 * @param location where the offending step or field is written
 * @param alias the step's alias, or null when the problem is not about one step
 * @param configPath the config path ({@code config.apps[0].name}) or field, or null
 * @param message what is wrong, readable on its own
 */
public record Problem(
    Severity severity, SourceLocation location, @Nullable String alias, @Nullable String configPath, String message) {

  /** How bad a problem is. */
  public enum Severity {
    ERROR,
    WARNING
  }

  public Problem {
    Objects.requireNonNull(severity, "severity must not be null");
    Objects.requireNonNull(location, "location must not be null");
    Objects.requireNonNull(message, "message must not be null");
  }

  public static Problem error(SourceLocation location, String alias, String configPath, String message) {
    return new Problem(Severity.ERROR, location, alias, configPath, message);
  }

  public static Problem warning(SourceLocation location, String alias, String configPath, String message) {
    return new Problem(Severity.WARNING, location, alias, configPath, message);
  }

  /** {@code file:line:col: error: step "alias": config.x: message}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(location).append(": ")
        .append(severity == Severity.ERROR ? "error" : "warning").append(": ");
    if (alias != null) {
      sb.append("step \"").append(alias).append("\": ");
    }
    if (configPath != null) {
      sb.append(configPath).append(": ");
    }
    return sb.append(message).toString();
  }
}
