package io.promokit.internal.validation;

import io.promokit.documents.PlannedStep;
import io.promokit.documents.SourceLocation;
import io.promokit.documents.SourceMap;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ParsedExpression;
import io.promokit.expressions.TemplateInfo;
import java.util.List;
import java.util.Objects;

/**
 * A template string of the plan that holds an expression ({@code ${{ }}} or {@code ${% %}}), parsed once
 * for every check.
 *
 * @param kind where it sits
 * @param step the step it belongs to, or null for a global var
 * @param stepIndex the step's 0-based position in the plan, or -1 for a global var
 * @param varIndex for vars, the 0-based position of the var in its list; otherwise -1
 * @param path what holds it: {@code if}, {@code vars.name}, {@code config.apps[0].name}
 * @param template the template text
 * @param location where its value is written (or, when that is unknown, its step or var)
 * @param info the parsed template, or null when it does not parse
 * @param error why it does not parse, or null; {@link #errorLocation()} points inside the value
 * @param source where the nodes of its step or var are written
 * @param sourcePath its path in {@code source}: its config path, {@code if}, or {@code value} for a var
 */
public record ExpressionSite(
    SiteKind kind,
    PlannedStep step,
    int stepIndex,
    int varIndex,
    String path,
    String template,
    SourceLocation location,
    TemplateInfo info,
    ExpressionException error,
    SourceMap source,
    String sourcePath) {

  public ExpressionSite {
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(path, "path must not be null");
    Objects.requireNonNull(template, "template must not be null");
    Objects.requireNonNull(location, "location must not be null");
    source = source == null ? SourceMap.EMPTY : source;
  }

  /**
   * Where the error is: its offending character when the value is written as it is (a plain or quoted value
   * without escapes, a literal block), else where the value starts.
   */
  public SourceLocation errorLocation() {
    if (error == null || error.column() <= 0) {
      return location;
    }
    return source.charOf(sourcePath, template, error.column() - 1).orElse(location);
  }

  /** The parsed expressions; empty when the template does not parse. */
  public List<ParsedExpression> expressions() {
    return info == null ? List.of() : info.expressions();
  }

  /** The alias problems about this site name, or null for a global var. */
  public String alias() {
    return step == null ? null : step.alias();
  }
}
