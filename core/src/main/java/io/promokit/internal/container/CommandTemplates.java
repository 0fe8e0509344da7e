package io.promokit.internal.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.promokit.CustomStepDefinition;
import io.promokit.CustomStepDefinition.EnvVar;
import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.ParsedExpression;
import io.promokit.expressions.TemplateInfo;
import io.promokit.internal.DataFormats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a definition's {@code command} and {@code env} for one attempt over {@code config} and
 * {@code ctx} only. Before evaluating, it checks that every statically referenced config key is set, and
 * that {@code command} neither calls {@code secret()} nor ends up holding a secret value.
 */
final class CommandTemplates {

  /** Functions whose values must not reach {@code command}. */
  static final Set<String> SECRET_FUNCTIONS = Set.of("secret", "sharedSecret");


  private final CustomStepDefinition definition;
  private final ExpressionResolver parser = ExpressionResolver.create();

  CommandTemplates(CustomStepDefinition definition) {
    this.definition = definition;
  }

  List<String> command(StepContext ctx, Map<String, Object> variables) {
    List<String> argv = new ArrayList<>();
    List<String> templates = definition.command();
    for (int i = 0; i < templates.size(); i++) {
      String where = "command[" + i + "]";
      String template = templates.get(i);
      if (isPlain(template)) {
        argv.add(template);
        continue;
      }
      TemplateInfo info = inspect(where, template);
      for (ParsedExpression e : info.expressions()) {
        for (String function : e.functions()) {
          if (SECRET_FUNCTIONS.contains(function)) {
            throw StepException.terminal(where + " of step \"" + definition.name() + "\" calls " + function
                + "(): secrets may not be passed in command (process lists and records would show them); pass them through env");
          }
        }
      }
      checkConfigReferences(info, ctx.config(), where);
      String value = resolve(ctx, variables, where, template);
      if (ctx.masker().containsSecret(value)) {
        throw StepException.terminal(where + " of step \"" + definition.name()
            + "\" would contain a secret value: secrets may not be passed in command; pass them through env");
      }
      argv.add(value);
    }
    return argv;
  }

  /** One resolved env value, and whether it is a secret. */
  record EnvValue(String value, boolean secret) {}

  /**
   * The definition's env, resolved. A value is a secret when its template calls {@code secret()} or
   * {@code sharedSecret()}, or when it holds a value the masker knows (one computed from a secret).
   */
  Map<String, EnvValue> env(StepContext ctx, Map<String, Object> variables) {
    Map<String, EnvValue> env = new LinkedHashMap<>();
    for (EnvVar var : definition.env()) {
      String where = "env." + var.name();
      if (isPlain(var.value())) {
        env.put(var.name(), new EnvValue(var.value(), false));
        continue;
      }
      TemplateInfo info = inspect(where, var.value());
      checkConfigReferences(info, ctx.config(), where);
      String value = resolve(ctx, variables, where, var.value());
      boolean callsSecret = info.expressions().stream()
          .anyMatch(e -> e.functions().stream().anyMatch(SECRET_FUNCTIONS::contains));
      env.put(var.name(), new EnvValue(value, callsSecret || ctx.masker().containsSecret(value)));
    }
    return env;
  }

  /** Text without a delimiter is used as it is (the resolver would return it unchanged). */
  private static boolean isPlain(String template) {
    return !template.contains("${");
  }

  private TemplateInfo inspect(String where, String template) {
    try {
      return parser.inspect(template);
    } catch (ExpressionException e) {
      throw StepException.terminal(where + " of step \"" + definition.name() + "\": " + e.getMessage(), e);
    }
  }

  private String resolve(StepContext ctx, Map<String, Object> variables, String where, String template) {
    try {
      return text(ctx.resolveIsolated(template, variables));
    } catch (ExpressionException e) {
      throw StepException.terminal(where + " of step \"" + definition.name() + "\": " + e.getMessage(), e);
    }
  }

  /** {@code config.x is not set} for the first statically referenced config path that is missing. */
  private void checkConfigReferences(TemplateInfo info, Map<String, Object> config, String where) {
    for (ParsedExpression e : info.expressions()) {
      for (List<String> path : e.references()) {
        if (path.isEmpty() || !path.get(0).equals("config")) {
          continue;
        }
        Object current = config;
        StringBuilder name = new StringBuilder("config");
        for (String key : path.subList(1, path.size())) {
          if (!(current instanceof Map<?, ?> map)) {
            break; // a list index or a scalar's member: left to the expression's own errors
          }
          name.append('.').append(key);
          if (!map.containsKey(key)) {
            throw StepException.terminal(name + " is not set (used by " + where + " of step \"" + definition.name()
                + "\")");
          }
          current = map.get(key);
        }
      }
    }
  }

  /** How a resolved value is written into argv or env: strings as they are, structures as JSON. */
  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      try {
        return DataFormats.writeJson(value);
      } catch (JsonProcessingException e) {
        throw StepException.terminal("cannot write value as JSON: " + e.getOriginalMessage());
      }
    }
    return String.valueOf(value);
  }
}
