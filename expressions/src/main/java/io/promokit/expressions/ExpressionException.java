package io.promokit.expressions;

import org.jspecify.annotations.Nullable;

/**
 * A template or expression that could not be parsed or evaluated. Carries where it happened: the whole
 * template text, the failing expression, its column (1-based, within the template), and for config
 * trees the config path ({@code config.apps[0].name}). The message reads well on its own.
 */
public class ExpressionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String reason;
  private final @Nullable String template;
  private final @Nullable String expression;
  private final int column;
  private final @Nullable String configPath;
  private final boolean syntaxError;

  /**
   * @param reason what went wrong, without location (for example {@code vars.x is null, cannot read "y"})
   * @param template the whole template text, or null
   * @param expression the failing expression (without delimiters), or null
   * @param column 1-based column of the expression in the template, or 0 when unknown
   * @param configPath the config path of the value, or null
   * @param cause the underlying error, or null
   */
  public ExpressionException(
      String reason, @Nullable String template, @Nullable String expression, int column, @Nullable String configPath,
      @Nullable Throwable cause) {
    this(reason, template, expression, column, configPath, cause, false);
  }

  private ExpressionException(String reason, @Nullable String template, @Nullable String expression, int column,
      @Nullable String configPath, @Nullable Throwable cause, boolean syntaxError) {
    super(compose(reason, template, expression, column, configPath), cause);
    this.reason = reason;
    this.template = template;
    this.expression = expression;
    this.column = column;
    this.configPath = configPath;
    this.syntaxError = syntaxError;
  }

  /**
   * A template or expression that does not parse (or that the checker rejects before running it): it fails
   * whatever the values, so a step treats it as a mistake in its config rather than a passing failure.
   *
   * @param column 1-based column of the offending character within the template (or the bare expression)
   */
  public static ExpressionException syntaxError(String reason, String template, String expression, int column) {
    return new ExpressionException(reason, template, expression, column, null, null, true);
  }

  public ExpressionException(String reason) {
    this(reason, null, null, 0, null, null);
  }

  /** A copy of this exception that names the config path of the value that failed. */
  public ExpressionException withConfigPath(String path) {
    ExpressionException copy =
        new ExpressionException(reason, template, expression, column, path, getCause(), syntaxError);
    copy.setStackTrace(getStackTrace());
    return copy;
  }

  /** Whether the template or expression does not parse, rather than failing on the values it met. */
  public boolean isSyntaxError() {
    return syntaxError;
  }

  /** What went wrong, without the location. */
  public String reason() {
    return reason;
  }

  public @Nullable String template() {
    return template;
  }

  public @Nullable String expression() {
    return expression;
  }

  /**
   * 1-based column within the template: of the expression's opening delimiter for evaluation errors, of the
   * offending character for syntax errors; 0 when unknown.
   */
  public int column() {
    return column;
  }

  /** The config path of the failing value ({@code config.apps[0].name}), or null. */
  public @Nullable String configPath() {
    return configPath;
  }

  /** Longest expression quoted whole in a message; a longer one is quoted by its start and its length. */
  private static final int QUOTED_MAX = 200;

  private static String quoted(String expression) {
    if (expression.length() <= QUOTED_MAX) {
      return '"' + expression + '"';
    }
    return '"' + expression.substring(0, QUOTED_MAX / 2) + "...\" (" + expression.length() + " characters)";
  }

  private static String compose(String reason, String template, String expression, int column, String path) {
    StringBuilder sb = new StringBuilder();
    if (path != null && !path.isEmpty()) {
      sb.append(path).append(": ");
    }
    sb.append(reason);
    if (expression != null) {
      sb.append(" (in expression ").append(quoted(expression));
      if (column > 0) {
        sb.append(" at column ").append(column);
      }
      if (template != null && !template.equals(expression) && template.length() <= 200) {
        sb.append(" of \"").append(template).append('"');
      }
      sb.append(')');
    } else if (template != null && template.length() <= 200) {
      sb.append(" (in \"").append(template).append("\")");
    }
    return sb.toString();
  }
}
