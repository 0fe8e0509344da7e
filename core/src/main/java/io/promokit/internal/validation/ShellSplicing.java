package io.promokit.internal.validation;

import io.promokit.CustomStepDefinition;
import io.promokit.documents.PlannedStep;
import io.promokit.documents.Problem;
import io.promokit.documents.VarSpec;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.ParsedExpression;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The shellQuote advice of {@link ContainerStepCheck}: an expression spliced into the script of {@code sh -c}
 * without {@code shellQuote()} gets a warning when the value a step gives it can carry shell syntax. What it
 * reads is judged from the step as written: a literal made of characters the shell takes as they are
 * ({@code 30}, {@code v1.2.3}, {@code ghcr.io/a/b:tag}), or a template whose expressions only read vars holding
 * such literals, cannot; anything else (outputs, ctx, a map, a value with a space or a quote) can.
 */
final class ShellSplicing {

  /** Characters a POSIX shell reads as they are, outside quotes. */
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_.,:/=@%+-]+");
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{.*?}}|\\$\\{%.*?%}", Pattern.DOTALL);

  private ShellSplicing() {}

  /**
   * Reports, once per definition and expression, the first step whose value there can carry shell syntax.
   *
   * @param warned the definitions and expressions already reported ({@code name + "\0" + expression}), added to
   */
  static void check(ExpressionResolver resolver, List<VarSpec> globalVars, PlannedStep step,
      CustomStepDefinition definition, Set<String> warned, Consumer<Problem> problems) {
    List<String> command = definition.command();
    int script = ContainerStepCheck.scriptIndex(command);
    if (script < 0) {
      return;
    }
    Map<String, Object> vars = literalVars(globalVars, step);
    for (ParsedExpression expression : ContainerStepCheck.parse(resolver, command.get(script))) {
      boolean secret = ContainerStepCheck.SECRET_FUNCTIONS.stream().anyMatch(expression.functions()::contains);
      if (secret || expression.functions().contains("shellQuote") || cannotCarryShellSyntax(resolver, expression,
          step.config(), vars)) {
        continue;
      }
      String text = expression.text().strip();
      if (!warned.add(definition.name() + "\0" + text)) {
        continue;
      }
      problems.accept(Problem.warning(definition.locationOf("command[" + script + "]"), step.alias(),
          "command[" + script + "]",
          "step \"" + definition.name() + "\" splices ${{ " + text + " }} into a shell script without shellQuote():"
              + " a value with spaces, quotes or ';' changes the command; write ${{ shellQuote(" + text + ") }}"));
    }
  }

  /** The vars a step sees, by name, later ones winning: their values as written. */
  private static Map<String, Object> literalVars(List<VarSpec> globalVars, PlannedStep step) {
    Map<String, Object> vars = new HashMap<>();
    globalVars.forEach(v -> vars.put(v.name(), v.value()));
    step.vars().forEach(v -> vars.put(v.name(), v.value()));
    return vars;
  }

  /** Whether every value the expression reads is known, from the step as written, to hold no shell syntax. */
  private static boolean cannotCarryShellSyntax(ExpressionResolver resolver, ParsedExpression expression,
      Map<String, Object> config, Map<String, Object> vars) {
    Set<List<String>> references = expression.references();
    if (references.isEmpty()) {
      return false;   // a reference the analysis could not follow (a computed key): unknown
    }
    for (List<String> path : references) {
      if (path.size() < 2 || !path.get(0).equals("config")) {
        return false;
      }
      Object value = config;
      for (String key : path.subList(1, path.size())) {
        value = value instanceof Map<?, ?> map ? map.get(key) : null;
      }
      if (value != null && !isShellSafe(resolver, value, vars)) {
        return false;
      }
    }
    return true;
  }

  /** A literal of shell-safe characters, or a template of such text whose expressions read only such vars. */
  private static boolean isShellSafe(ExpressionResolver resolver, Object value, Map<String, Object> vars) {
    if (value instanceof Number || value instanceof Boolean) {
      return true;
    }
    if (!(value instanceof String text)) {
      return false;
    }
    if (!text.contains("${")) {
      return SHELL_SAFE.matcher(text).matches();
    }
    String around = EXPRESSION.matcher(text).replaceAll("");
    if (!around.isEmpty() && !SHELL_SAFE.matcher(around).matches()) {
      return false;
    }
    List<ParsedExpression> expressions = ContainerStepCheck.parse(resolver, text);
    if (expressions.isEmpty()) {
      return false;
    }
    for (ParsedExpression inner : expressions) {
      if (inner.references().isEmpty()) {
        return false;
      }
      for (List<String> path : inner.references()) {
        if (!readsLiteralVar(resolver, path, vars)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether the path is {@code vars.x} and x holds a shell-safe literal (no expression of its own). */
  private static boolean readsLiteralVar(ExpressionResolver resolver, List<String> path, Map<String, Object> vars) {
    if (path.size() != 2 || !path.get(0).equals("vars")) {
      return false;
    }
    Object value = vars.get(path.get(1));
    if (value == null || value instanceof String s && s.contains("${")) {
      return false;
    }
    return isShellSafe(resolver, value, Map.of());
  }
}
