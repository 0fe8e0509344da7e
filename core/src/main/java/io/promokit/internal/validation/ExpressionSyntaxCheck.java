package io.promokit.internal.validation;

import io.promokit.documents.Problem;
import java.util.function.Consumer;

/**
 * Every expression parses; a failure names the config path ({@code config.apps[0].name}) or the var, and points
 * at the offending character (or, when the value is not written as it is, at the value).
 */
final class ExpressionSyntaxCheck implements ValidationCheck {

  @Override
  public void check(ValidationInput input, Consumer<Problem> problems) {
    for (ExpressionSite site : input.expressions().all()) {
      if (site.error() != null) {
        String reason = site.error().configPath() == null ? site.error().getMessage()
            : site.error().withConfigPath(null).getMessage();
        problems.accept(Problem.error(site.errorLocation(), site.alias(), site.path(), reason));
      }
    }
  }
}
